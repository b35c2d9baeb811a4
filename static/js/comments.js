// Discussions: spoilers, quote-reply and htmx niceties (owned by the comments app).
// Everything works without this file; it only saves clicks and reloads.
(() => {
  "use strict";

  const reveal = (spoiler) => {
    spoiler.classList.add("spoiler--revealed");
    spoiler.removeAttribute("title");
  };

  // Spoilers: CSS shows one while it has focus; a click or Enter keeps it open.
  document.addEventListener("click", (event) => {
    const spoiler = event.target.closest(".spoiler");
    if (spoiler) reveal(spoiler);

    const cancel = event.target.closest("[data-cancel-form]");
    if (cancel) cancel.closest("form")?.remove();
  });
  document.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === " ") && event.target.matches?.(".spoiler")) {
      event.preventDefault();
      reveal(event.target);
    }
  });

  // Quote: with text selected inside the comment, quote just that part.
  document.addEventListener("htmx:configRequest", (event) => {
    const link = event.detail.elt;
    if (!link.matches?.("[data-quote]")) return;
    const body = link.closest(".comment")?.querySelector(".comment__body");
    const selection = window.getSelection();
    if (!body || !selection || selection.isCollapsed || !body.contains(selection.anchorNode)) return;
    const text = selection.toString().trim();
    if (text) event.detail.parameters.selection = text;
  });

  // What each comment form sent last, so that emptying it after the answer never takes away a
  // draft typed since.
  const sent = new WeakMap();
  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches?.("form[data-comment-form]")) return;
    sent.set(form, form.querySelector("textarea")?.value);
  });

  // The server says a comment was posted: empty the main form, take an inline reply form away,
  // unless the member has already started writing something else in it.
  document.addEventListener("commentPosted", (event) => {
    const form = event.target.closest?.("form[data-comment-form]");
    if (!form) return;
    const textarea = form.querySelector("textarea");
    if (textarea && sent.has(form) && textarea.value !== sent.get(form)) return;
    if (form.hasAttribute("data-remove-on-success")) {
      form.remove();
      return;
    }
    form.reset();
    form.querySelector(".comment-form__preview")?.replaceChildren();
  });

  // A reply or edit form that htmx just placed: put the cursor at the end of its text.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target?.id || !/^(reply-slot|comment-body)-/.test(target.id)) return;
    const textarea = target.querySelector("textarea");
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  });

  // A new comment or reply: bring it into view.
  document.addEventListener("htmx:afterSettle", (event) => {
    const added = event.detail.target?.querySelector?.(".comment-item--new");
    if (!added) return;
    added.classList.remove("comment-item--new");
    added.classList.add("comment-item--added");
    added.scrollIntoView({ block: "nearest" });
  });
})();
