// The post form: character counters, live Markdown preview, suggested links (issue 11).
//
// The preview and the suggestions come from the admin's preview endpoint (news/admin_views.py),
// which renders the body with the public page's code. Without this script the form still works:
// the body is rendered at save and the "Suggested links" checkboxes appear after the first save.
"use strict";
{
    const RELATED = {films: "film", people: "person", characters: "character"};
    const DEBOUNCE_MS = 400;

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined) node.textContent = text;
        return node;
    }

    function describeBy(input, node) {
        const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        input.setAttribute("aria-describedby", [...ids, node.id].join(" "));
    }

    // "87/200", and a warning past the recommended length (data-recommended).
    function addCounter(input) {
        const max = Number(input.getAttribute("maxlength"));
        if (!max) return;
        const recommended = Number(input.dataset.recommended) || 0;
        const counter = element("span", "char-counter");
        counter.id = `${input.id}_counter`;
        input.insertAdjacentElement("afterend", counter);
        describeBy(input, counter);
        const update = () => {
            const length = input.value.length;
            const over = recommended > 0 && length > recommended;
            counter.textContent = `${length}/${max}` + (
                over ? ` · longer than the ${recommended} recommended: lists and search results cut it` : ""
            );
            counter.classList.toggle("char-counter--over", over);
        };
        input.addEventListener("input", update);
        update();
    }

    // Selects hold the related items; the admin's autocomplete (select2) reports changes
    // through jQuery, which native listeners do not hear.
    function onSelectChange(select, handler) {
        const jQuery = window.django && window.django.jQuery;
        if (jQuery) jQuery(select).on("change", handler);
        else select.addEventListener("change", handler);
    }

    function selectedKeys(select, prefix) {
        return [...select.selectedOptions].map((option) => `${prefix}:${option.value}`);
    }

    class PostEditor {
        constructor(form, body) {
            this.form = form;
            this.body = body;
            this.previewUrl = body.dataset.previewUrl;
            this.dismissUrl = body.dataset.dismissUrl || "";
            this.dismissed = form.querySelector("#id_dismissed");
            this.title = form.querySelector("#id_title");
            this.standfirst = form.querySelector("#id_standfirst");
            this.selects = {};
            this.wasRelated = new Set();
            for (const [field, prefix] of Object.entries(RELATED)) {
                const select = form.querySelector(`#id_${field}`);
                if (!select) continue;
                this.selects[field] = select;
                selectedKeys(select, prefix).forEach((key) => this.wasRelated.add(key));
                onSelectChange(select, () => {
                    selectedKeys(select, prefix).forEach((key) => this.wasRelated.add(key));
                    this.schedule(0);
                });
            }
            this.timer = null;
            this.request = null;
            this.buildPreview();
            this.buildSuggestions();
            body.addEventListener("input", () => this.schedule(DEBOUNCE_MS));
            for (const input of [this.title, this.standfirst]) {
                input?.addEventListener("input", () => this.showHeading());
            }
            this.showHeading();
            this.refresh();
        }

        buildPreview() {
            const editor = element("div", "post-editor");
            this.body.insertAdjacentElement("beforebegin", editor);
            editor.append(this.body);
            const preview = element("section", "post-preview");
            preview.setAttribute("aria-labelledby", "post-preview-heading");
            const heading = element("h3", "post-preview__heading", "Preview");
            heading.id = "post-preview-heading";
            this.status = element("p", "post-preview__status");
            this.status.setAttribute("role", "status");
            this.status.tabIndex = -1;
            const page = element("div", "post-preview__page");
            this.previewTitle = element("p", "post-preview__title");
            this.previewStandfirst = element("p", "post-preview__standfirst");
            this.previewBody = element("div", "post-preview__body news-article__body prose");
            page.append(this.previewTitle, this.previewStandfirst, this.previewBody);
            preview.append(heading, this.status, page);
            editor.append(preview);
        }

        buildSuggestions() {
            // The no-script checkboxes (after the first save) give way to the live panel.
            const checkboxes = this.form.querySelector(".field-suggested");
            if (checkboxes) checkboxes.closest("fieldset").hidden = true;
            const panel = element("section", "post-suggestions");
            panel.id = "post-suggestions";
            panel.setAttribute("aria-labelledby", "post-suggestions-heading");
            const heading = element("h3", "post-suggestions__heading", "Suggested links");
            heading.id = "post-suggestions-heading";
            const help = element(
                "p",
                "help",
                "Named in the body but not related to this post. Relate the ones it is about " +
                    "(their first mention links to their page); dismiss the others for good."
            );
            this.suggestionList = element("ul", "post-suggestions__list");
            panel.append(heading, help, this.suggestionList);
            panel.hidden = true;
            this.panel = panel;
            const related = Object.values(this.selects)[0]?.closest("fieldset");
            if (related) related.querySelector("h2")?.insertAdjacentElement("afterend", panel);
            else this.form.querySelector(".post-editor").insertAdjacentElement("afterend", panel);
        }

        showHeading() {
            this.previewTitle.textContent = this.title?.value || "";
            this.previewStandfirst.textContent = this.standfirst?.value || "";
        }

        schedule(delay) {
            clearTimeout(this.timer);
            this.timer = setTimeout(() => this.refresh(), delay);
        }

        csrfToken() {
            return this.form.querySelector("[name=csrfmiddlewaretoken]").value;
        }

        post(url, data, signal) {
            return fetch(url, {
                method: "POST",
                body: data,
                headers: {"X-CSRFToken": this.csrfToken(), Accept: "application/json"},
                credentials: "same-origin",
                signal,
            }).then(async (response) => {
                const answer = await response.json().catch(() => ({}));
                if (!response.ok) {
                    throw new Error(answer.error || `The server answered ${response.status}.`);
                }
                return answer;
            });
        }

        async refresh() {
            this.request?.abort();
            const request = new AbortController();
            this.request = request;
            const data = new FormData();
            data.append("body", this.body.value);
            for (const [field, select] of Object.entries(this.selects)) {
                for (const option of select.selectedOptions) data.append(field, option.value);
            }
            data.append("dismissed", this.dismissed?.value || "");
            data.append("was_related", [...this.wasRelated].join(" "));
            this.status.textContent = "Updating…";
            try {
                const answer = await this.post(this.previewUrl, data, request.signal);
                // Our own endpoint's HTML: the public page's renderer, sanitised by nh3.
                this.previewBody.innerHTML = answer.html;
                this.showSuggestions(answer.suggestions);
                const count = answer.suggestions.length;
                this.status.textContent = count
                    ? `As readers will see it. ${count} suggested link${count === 1 ? "" : "s"} under Related.`
                    : "As readers will see it.";
            } catch (error) {
                if (error.name === "AbortError") return;
                this.status.textContent = `No preview: ${error.message}`;
            }
        }

        showSuggestions(suggestions) {
            this.suggestionList.replaceChildren(
                ...suggestions.map((suggestion) => this.suggestionItem(suggestion))
            );
            this.panel.hidden = suggestions.length === 0;
            this.restoreFocus();
        }

        // After Relate or Dismiss the item goes: keyboard focus moves to the next one's button
        // (or the last one's), not back to the top of the page.
        keepFocusAt(item) {
            if (!item.contains(document.activeElement)) return;
            this.focusIndex = [...this.suggestionList.children].indexOf(item);
        }

        restoreFocus() {
            if (this.focusIndex === undefined) return;
            const items = this.suggestionList.children;
            const item = items[Math.min(this.focusIndex, items.length - 1)];
            this.focusIndex = undefined;
            if (item) item.querySelector("button").focus();
            else this.status.focus();
        }

        suggestionItem(suggestion) {
            const item = element("li", "post-suggestion");
            item.dataset.key = suggestion.key;
            const label = `${suggestion.text} (${suggestion.kind})`;
            item.append(element("span", "post-suggestion__name", label));
            if (suggestion.removed) {
                item.classList.add("post-suggestion--removed");
                item.append(element("strong", "post-suggestion__removed", "removed, but named in the body"));
            }
            const relate = element("button", "button", suggestion.removed ? "Relate again" : "Relate");
            relate.type = "button";
            relate.setAttribute("aria-label", `Relate ${label}`);
            relate.addEventListener("click", () => {
                this.keepFocusAt(item);
                this.relate(suggestion);
            });
            const dismiss = element("button", "button post-suggestion__dismiss", "Dismiss");
            dismiss.type = "button";
            dismiss.setAttribute("aria-label", `Dismiss ${label}`);
            dismiss.addEventListener("click", () => {
                this.keepFocusAt(item);
                this.dismiss(suggestion, item);
            });
            item.append(relate, dismiss);
            return item;
        }

        relate(suggestion) {
            const select = this.selects[suggestion.field];
            let option = [...select.options].find((o) => o.value === suggestion.value);
            if (!option) {
                option = new Option(suggestion.text, suggestion.value, true, true);
                select.append(option);
            }
            option.selected = true;
            const jQuery = window.django && window.django.jQuery;
            if (jQuery) jQuery(select).trigger("change");
            else select.dispatchEvent(new Event("change"));
        }

        async dismiss(suggestion, item) {
            if (this.dismissed) {
                const keys = new Set(this.dismissed.value.split(" ").filter(Boolean));
                keys.add(suggestion.key);
                this.dismissed.value = [...keys].join(" ");
            }
            item.remove();
            this.panel.hidden = this.suggestionList.children.length === 0;
            this.restoreFocus();
            if (!this.dismissUrl) {
                this.status.textContent = `${suggestion.text} will not be suggested again once the post is saved.`;
                return;
            }
            const data = new FormData();
            data.append("key", suggestion.key);
            try {
                await this.post(this.dismissUrl, data);
                this.status.textContent = `${suggestion.text} will not be suggested again for this post.`;
            } catch (error) {
                this.status.textContent = `${suggestion.text} is dismissed when you save (${error.message})`;
            }
        }
    }

    // A preview of the featured image picked, before it is uploaded, with its alt text.
    function addImagePreview(form) {
        const input = form.querySelector("#id_featured_image");
        const alt = form.querySelector("#id_image_alt");
        if (!input) return;
        const figure = element("figure", "post-image-preview");
        figure.hidden = true;
        const image = element("img", "post-image-preview__image");
        const caption = element("figcaption", "post-image-preview__caption");
        figure.append(image, caption);
        input.closest(".form-row").append(figure);
        // The saved image's preview stays; its "shows here once saved" note gives way to this.
        const saved = form.querySelector(".field-image_preview");
        const hasSaved = Boolean(saved?.querySelector("img"));
        if (saved && !hasSaved) saved.hidden = true;
        const describe = () => {
            const text = alt?.value.trim() || "";
            const replaces = hasSaved ? " It replaces the current one on saving." : "";
            image.alt = text;
            caption.textContent = text
                ? `New image, not saved yet.${replaces} Alt text: “${text}”`
                : `New image, not saved yet.${replaces} Describe it in the alt text below.`;
        };
        input.addEventListener("change", () => {
            if (image.src) URL.revokeObjectURL(image.src);
            const file = input.files[0];
            if (!file || !file.type.startsWith("image/")) {
                figure.hidden = true;
                image.removeAttribute("src");
                return;
            }
            image.src = URL.createObjectURL(file);
            describe();
            figure.hidden = false;
        });
        alt?.addEventListener("input", describe);
    }

    function init() {
        const body = document.querySelector("#post_form #id_body[data-preview-url]");
        if (!body) return;
        const form = body.form;
        form.querySelectorAll("input[maxlength][data-recommended], textarea[maxlength]").forEach(addCounter);
        addImagePreview(form);
        new PostEditor(form, body);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
}
