// Discussions: spoilers, quote-reply and htmx niceties (owned by the comments app).
// Everything works without this file; it only saves clicks and reloads.
(() => {
  "use strict";

  // Inline spoilers. Without JavaScript CSS shows one while it has focus (its text stays in
  // the accessibility tree). With it, each becomes a button, collapsed and its text hidden from
  // assistive technology too, until a click, Enter or Space reveals it.
  const enhance = (root) => {
    root.querySelectorAll?.(".spoiler:not([role])").forEach((spoiler) => {
      const text = document.createElement("span");
      text.className = "spoiler__text";
      text.setAttribute("aria-hidden", "true");
      text.append(...spoiler.childNodes);
      // Named by hidden text, not aria-label: a label would not hold the visible (if
      // transparent) text, which axe reports (label-content-name-mismatch).
      const label = document.createElement("span");
      label.className = "visually-hidden spoiler__label";
      label.textContent = "Spoiler: reveal";
      spoiler.append(text, label);
      spoiler.setAttribute("role", "button");
      spoiler.setAttribute("aria-expanded", "false");
      spoiler.removeAttribute("title");
    });
  };
  enhance(document);
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));

  const reveal = (spoiler) => {
    spoiler.classList.add("spoiler--revealed");
    spoiler.removeAttribute("title");
    if (spoiler.getAttribute("aria-expanded") !== "false") return;
    spoiler.setAttribute("aria-expanded", "true");
    spoiler.querySelector(".spoiler__label")?.remove();
    spoiler.querySelector(".spoiler__text")?.removeAttribute("aria-hidden");
  };

  document.addEventListener("click", (event) => {
    const spoiler = event.target.closest(".spoiler");
    if (spoiler) reveal(spoiler);

    const cancel = event.target.closest("[data-cancel-form]");
    if (cancel) {
      const opener = openerOf(cancel);
      cancel.closest("form")?.remove();
      focusFirst([opener]);
    }
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

  // "More replies" brings a page of replies under their parents: one the reader posted since
  // the page loaded is already there, so it is not added twice.
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    event.detail.fragment?.querySelectorAll?.(".comment-item[id]").forEach((item) => {
      if (document.getElementById(item.id)) item.remove();
    });
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

  // Keyboard focus across swaps, for every htmx control at once (like, follow, seen, edit,
  // cancel, delete, reply): when a swap takes the focused element away, focus goes to its
  // equivalent in the new markup (found by the id or the hx URL of the nearest form or control,
  // and its position there), else to the control that opens the form again, else to what
  // replaced it.
  const focusable = "a[href], button:not([disabled]), input:not([type=hidden]), textarea, select, summary";
  const lost = () => {
    const active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  };
  const scopeOf = (element) => {
    const scope = element.closest("[id], [data-hx-post], [data-hx-get]");
    if (!scope) return null;
    if (scope.id) return `#${CSS.escape(scope.id)}`;
    const attribute = scope.hasAttribute("data-hx-post") ? "data-hx-post" : "data-hx-get";
    return `[${attribute}="${CSS.escape(scope.getAttribute(attribute))}"]`;
  };
  // The Reply or Edit link whose form sat in this slot.
  const openerOf = (element) => {
    const slot = element.closest("[id^='reply-slot-'], [id^='comment-body-']");
    return slot ? `[data-hx-target="#${CSS.escape(slot.id)}"]` : null;
  };
  const focusFirst = (selectors) => {
    for (const selector of selectors) {
      const element = selector && document.querySelector(selector);
      if (element) {
        if (!element.matches(focusable)) element.setAttribute("tabindex", "-1");
        element.focus();
        return true;
      }
    }
    return false;
  };
  // The swap's target, found again after it: by its id, or (a comment's article, which an
  // edit or delete replaces alone) as the child of an element with one.
  const selectorOf = (target) => {
    if (target.id) return `#${CSS.escape(target.id)}`;
    const parent = target.parentElement;
    return parent?.id ? `#${CSS.escape(parent.id)} > ${target.localName}` : null;
  };
  let before = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const active = document.activeElement;
    const target = event.detail.target;
    before = null;
    if (!active || active === document.body || !target?.contains(active)) return;
    const scope = scopeOf(active);
    const scopeElement = scope && document.querySelector(scope);
    const position = scopeElement ? [...scopeElement.querySelectorAll(focusable)].indexOf(active) : -1;
    before = { scope, position, opener: openerOf(active), target: selectorOf(target) };
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const added = event.detail.target?.querySelector?.(".comment-item--new");
    const remembered = before;
    before = null;
    // A new comment or reply: bring it into view and take the focus there.
    if (added) {
      added.classList.remove("comment-item--new");
      added.classList.add("comment-item--added");
      added.scrollIntoView({ block: "nearest" });
      const comment = added.querySelector(".comment") || added;
      comment.setAttribute("tabindex", "-1");
      comment.focus({ preventScroll: true });
      return;
    }
    if (!remembered || !lost()) return;
    const scope = remembered.scope && document.querySelector(remembered.scope);
    const again = scope && (scope.matches(focusable) ? [scope] : [...scope.querySelectorAll(focusable)]);
    if (again?.length) {
      again[Math.max(0, Math.min(remembered.position, again.length - 1))].focus();
      return;
    }
    // A deleted comment's placeholder: the comment itself (named "Comment by ..."), not its list
    // item with the replies.
    const replaced = remembered.target && `${remembered.target} > .comment`;
    focusFirst([remembered.opener, replaced, remembered.target]);
  });
})();
