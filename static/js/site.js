// Site-wide enhancements. Everything works without JavaScript; this only makes it nicer.
// Discussion behaviour (spoilers, quote-reply) lives in comments.js.
document.addEventListener("DOMContentLoaded", () => {
  // Close the account menu when clicking elsewhere.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  // Escape closes an open account menu and gives focus back to its button (the summary).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = event.target.closest?.("details.account-menu[open]");
    if (!menu) return;
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});

// The theme switch (footer) without a reload: the server still sets the cookie, so the next page
// renders in the chosen theme; without JavaScript the form posts and comes back.
document.addEventListener("submit", (event) => {
  const form = event.target.closest(".theme-switch");
  if (!form || !event.submitter || form.dataset.plain) return;
  event.preventDefault();
  const choice = event.submitter.value;
  const data = new FormData(form, event.submitter);
  const plainly = () => {  // anything wrong: post the form the ordinary way
    form.dataset.plain = "1";
    form.requestSubmit(event.submitter);
  };
  fetch(form.action, { method: "POST", body: data, headers: { "X-Theme-Switch": "1" } }).then((response) => {
    if (!response.ok) return plainly();
    const root = document.documentElement;
    if (choice === "system") delete root.dataset.theme;
    else root.dataset.theme = choice;
    document.querySelector('meta[name="color-scheme"]')?.setAttribute("content", choice === "system" ? "light dark" : choice);
    form.querySelectorAll("button[name=theme]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button === event.submitter));
    });
  }, plainly);
});
