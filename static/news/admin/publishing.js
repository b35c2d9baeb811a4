// The post form: says what saving will do with the status and publication date, as they are
// typed, in the sentence news/publishing.py gives for the saved post ("Will be published as of
// 9 February 2024, backdated: ..."). The server's clock and time zone come from data-now, so the
// sentence does not depend on the editor's computer; the comparison is of "YYYY-MM-DD HH:MM:SS"
// strings, which sort as the dates they spell.
"use strict";
(function () {
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function parse(dateText, timeText) {
    const date = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(dateText.trim());
    if (!date) return null;
    const time = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(timeText.trim() || "00:00");
    if (!time) return null;
    const pad = (n) => String(n).padStart(2, "0");
    const [year, month, dayOfMonth] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return null;
    return {
      year, month, dayOfMonth,
      key: `${year}-${pad(month)}-${pad(dayOfMonth)} ${pad(time[1])}:${time[2]}:${time[3] || "00"}`,
      clock: `${pad(time[1])}:${time[2]}`,
    };
  }

  const day = (when) => `${when.dayOfMonth} ${MONTHS[when.month - 1]} ${when.year}`;

  function sentence(status, when, dateText, now, written) {
    if (dateText.trim() && !when) {
      return "The publication date is not a date yet: use the calendar or YYYY-MM-DD.";
    }
    if (status === "draft") {
      return when
        ? `Draft: only editors see it. Publishing it keeps its date, ${day(when)}.`
        : "Draft: only editors see it. Publishing it now dates it today.";
    }
    if (!when) return "A published post needs a publication date: pick one, or keep it a draft.";
    if (when.key > now) return `Scheduled: appears on ${day(when)}, ${when.clock}.`;
    let text = `Will be published as of ${day(when)}`;
    if (when.key.slice(0, 10) < written) {
      text += `, backdated: it goes into the archive for ${MONTHS[when.month - 1]} ${when.year}` +
        " and the feeds under that date";
    }
    return `${text}.`;
  }

  function start() {
    const line = document.querySelector(".publishing-line");
    const status = document.getElementById("id_status");
    const date = document.getElementById("id_published_at_0");
    const time = document.getElementById("id_published_at_1");
    if (!line || !status || !date || !time) return;
    const loadedAt = Date.now();
    const serverNow = new Date(line.dataset.now.replace(" ", "T") + "Z");
    const saved = { text: line.textContent, values: [status.value, date.value, time.value].join("|") };

    function update() {
      // The server's wall clock, moved on by the time the page has been open.
      const now = new Date(serverNow.getTime() + Date.now() - loadedAt).toISOString()
        .slice(0, 19).replace("T", " ");
      const values = [status.value, date.value, time.value].join("|");
      line.textContent = values === saved.values
        ? saved.text
        : sentence(status.value, parse(date.value, time.value), date.value, now, line.dataset.written);
    }

    // The admin's Today/Now links and calendar set the fields without an input event: look again
    // after any click or change in the fieldset.
    const fieldset = document;
    for (const type of ["input", "change", "click", "keyup"]) {
      fieldset.addEventListener(type, () => window.setTimeout(update, 0));
    }
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
