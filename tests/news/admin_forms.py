"""Posting an admin form back as an editor would: the values the page shows, a few changed."""

import datetime

from django.db.models.fields.files import FieldFile
from django.urls import reverse

from news.models import Post


def change_form_data(client, post: Post, **changes) -> dict:
    """What the post's change form posts back unchanged, with `changes` on top."""
    return form_data(client, reverse("admin:news_post_change", args=[post.pk]), **changes)


def form_data(client, url: str, **changes) -> dict:
    """What the admin form at `url` (a change form, a revision to restore) posts back as the
    page shows it: every inline's management form included, with `changes` on top."""
    page = client.get(url)
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if hasattr(field.widget, "widgets"):  # the date and time halves
                parts = field.widget.decompress(value) if value else ["", ""]
                for index, part in enumerate(parts):
                    data[f"{key}_{index}"] = _text(part)
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            elif value is not None and value is not False and not isinstance(value, FieldFile):
                data[key] = str(value)
    return data | {"_save": "Save"} | changes


def _text(part) -> str:
    if isinstance(part, datetime.date | datetime.time):
        return part.strftime("%Y-%m-%d" if isinstance(part, datetime.date) else "%H:%M:%S")
    return str(part or "")
