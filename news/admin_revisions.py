"""A post's revisions in the admin: the history list with two revisions to pick, and the compare
page showing what changed between them, field by field, related items and sources included.

django-reversion keeps the revisions (PostAdmin is its VersionAdmin: history, restore and recover
are its views); this module reads them. Only editors who may change posts see any of it.
"""

import difflib
import re
from dataclasses import dataclass

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from films.models import Character, Film, Person
from news.models import Post, PostStatus, Source

# The post's fields in the order of its form, with the label the compare page gives them.
TEXT_FIELDS = {
    "title": "Title",
    "slug": "Slug",
    "standfirst": "Standfirst",
    "body": "Body",
    "status": "Status",
    "published_at": "Publication date",
    "author": "Author",
    "featured_image": "Featured image",
    "image_alt": "Image alt text",
    "image_caption": "Image caption",
    "image_credit": "Image credit",
}
RELATED_FIELDS = {"films": Film, "people": Person, "characters": Character}
LABELS = TEXT_FIELDS | {"films": "Films", "people": "People", "characters": "Characters"}


def require_change_permission(model_admin, request: HttpRequest, post: Post | None = None) -> None:
    """History, compare and restore are for editors who may change posts (a view-only
    permission shows none of them)."""
    if not model_admin.has_change_permission(request, post):
        raise PermissionDenied


def post_versions(post_id) -> "QuerySet[Version]":  # noqa: F821 (reversion's QuerySet)
    """The post's versions, newest first, each with its revision and the revision's author."""
    return (
        Version.objects.get_for_object_reference(Post, post_id)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def keep_initial_revision(post_id) -> None:
    """Before the first change of a post saved without revisions (seeded, or older than them),
    keep it as it is, so the change has something to be compared with and undone to."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or Version.objects.get_for_object(post).exists():
        return
    with reversion.create_revision():
        reversion.set_comment("As it was before its first revision here.")
        reversion.add_to_revision(post)


@dataclass
class HistoryEntry:
    version: Version
    restore_url: str


def history_entries(post_id) -> list[HistoryEntry]:
    return [
        HistoryEntry(version, reverse("admin:news_post_revision", args=[post_id, version.pk]))
        for version in post_versions(post_id)
    ]


# Diffs ----------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    diff: SafeString  # escaped text with <del> and <ins> marks
    is_list: bool = False


def _tokens(text: str) -> list[str]:
    # Words and the spaces between them, so the diff keeps the text's own line breaks.
    return [token for token in re.split(r"(\s+)", text) if token]


# Unchanged text longer than this many words and spaces is cut to its ends around the changes.
CONTEXT = 40


def _unchanged(tokens: list[str], *, first: bool, last: bool) -> str:
    if len(tokens) <= 3 * CONTEXT:
        return "".join(tokens)
    head = [] if first else tokens[:CONTEXT]
    tail = [] if last else tokens[-CONTEXT:]
    return "".join(head) + " […] " + "".join(tail)


def text_diff(old: str, new: str) -> SafeString:
    """`old` against `new`, word by word: removed words in <del>, added ones in <ins>, all of
    it escaped; long unchanged stretches are cut to the words around the changes."""
    before, after = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    parts = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            text = _unchanged(before[i1:i2], first=index == 0, last=index == len(opcodes) - 1)
            parts.append(format_html("{}", text))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(after[j1:j2])))
    return mark_safe("".join(parts))  # every part went through format_html


def list_diff(old: list[str], new: list[str]) -> SafeString:
    """Two lists of items (related names, sources) as one <ul>: removed items in <del>,
    added ones in <ins>, items in both plain."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    items = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            items += [format_html("<li>{}</li>", item) for item in old[i1:i2]]
            continue
        items += [format_html("<li><del>{}</del></li>", item) for item in old[i1:i2]]
        items += [format_html("<li><ins>{}</ins></li>", item) for item in new[j1:j2]]
    return mark_safe(f"<ul>{''.join(items)}</ul>")  # every item went through format_html


# Reading two versions -------------------------------------------------------------------------


class _Names:
    """Names of the users, films, people and characters two versions point at, one query per
    kind (an item deleted since shows as deleted)."""

    def __init__(self, dicts: list[dict]):
        wanted = {"author": get_user_model(), **RELATED_FIELDS}
        self.by_field = {}
        for field, model in wanted.items():
            key = "author_id" if field == "author" else field
            pks = {pk for data in dicts for pk in _as_list(data.get(key)) if pk is not None}
            self.by_field[field] = model._default_manager.in_bulk(pks) if pks else {}

    def name(self, field: str, pk) -> str:
        obj = self.by_field[field].get(int(pk))
        if obj is None:
            return f"(deleted, #{pk})"
        return getattr(obj, "public_name", None) or str(obj)


def _as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def _field_text(field: str, data: dict, names: _Names) -> str:
    value = data.get("author_id" if field == "author" else field)
    if value in (None, ""):
        return ""
    if field == "author":
        return names.name("author", value)
    if field == "status":
        return PostStatus(value).label
    if field == "published_at":
        return date_format(timezone.localtime(value), "j F Y, H:i")
    return str(value)


def _sources(version: Version) -> list[str]:
    """The sources the revision holds for the post, as lines, in their order."""
    content_type = ContentType.objects.get_for_model(Source)
    rows = [
        other.field_dict for other in version.revision.version_set.filter(content_type=content_type)
    ]
    rows = [row for row in rows if str(row["post_id"]) == str(version.object_id)]
    rows.sort(key=lambda row: (row["order"], row["id"]))
    return [
        " — ".join(part for part in (r["outlet"], r["reported"], r["url"]) if part) for r in rows
    ]


def compare_versions(older: Version, newer: Version) -> tuple[list[FieldChange], list[str]]:
    """What changed from `older` to `newer`, and the labels of what did not."""
    before, after = older.field_dict, newer.field_dict
    names = _Names([before, after])
    changes, unchanged = [], []
    for field, label in TEXT_FIELDS.items():
        old, new = _field_text(field, before, names), _field_text(field, after, names)
        if old == new:
            unchanged.append(label)
        else:
            changes.append(FieldChange(label, text_diff(old, new)))
    for field in RELATED_FIELDS:
        old = sorted(names.name(field, pk) for pk in before.get(field, []))
        new = sorted(names.name(field, pk) for pk in after.get(field, []))
        if old == new:
            unchanged.append(LABELS[field])
        else:
            changes.append(FieldChange(LABELS[field], list_diff(old, new), is_list=True))
    old_sources, new_sources = _sources(older), _sources(newer)
    if old_sources == new_sources:
        unchanged.append("Sources")
    else:
        changes.append(FieldChange("Sources", list_diff(old_sources, new_sources), is_list=True))
    return changes, unchanged


# Views ----------------------------------------------------------------------------------------


def post_compare(request: HttpRequest, object_id: str, model_admin) -> HttpResponse:
    """Two of the post's revisions side by side: ?older=<version>&newer=<version>, the two
    picked on the history page (in either order), else the latest two."""
    post = get_object_or_404(Post, pk=unquote(object_id))
    require_change_permission(model_admin, request, post)
    history_url = reverse("admin:news_post_history", args=[post.pk])
    versions = post_versions(post.pk)
    picked = request.GET.getlist("version") or [
        request.GET.get(key, "") for key in ("older", "newer") if key in request.GET
    ]
    if not picked:
        picked = [str(version.pk) for version in versions[:2]]
    if len(set(picked)) != 2 or not all(pk.isdigit() for pk in picked):
        messages.error(request, "Pick two different revisions to compare.")
        return HttpResponseRedirect(history_url)
    pair = list(versions.filter(pk__in=picked))
    if len(pair) != 2:
        messages.error(request, "One of those revisions is not a revision of this post.")
        return HttpResponseRedirect(history_url)
    newer, older = pair  # newest first
    changes, unchanged = compare_versions(older, newer)
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "object": post,
        "title": f"Compare revisions of “{post}”",
        "older": older,
        "newer": newer,
        "changes": changes,
        "unchanged": unchanged,
        "history_url": history_url,
        "restore_older_url": reverse("admin:news_post_revision", args=[post.pk, older.pk]),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/news/post/compare.html", context)
