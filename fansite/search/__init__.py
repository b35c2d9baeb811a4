"""Site search across films, people, characters, news and discussions.

One box, every kind of page, results grouped by kind and ranked by relevance (titles above
bodies). A page is found when it contains every word searched for, in any order; case, accents,
apostrophes and quotes never matter (fansite.search.normalise). Names typed a little wrong are
found by trigram similarity, and when no page has the words, "Did you mean" offers the closest
names. The work is split by job:

- normalise: what was typed, as the words to look for;
- kinds: which rows of each kind anyone may find (the owning apps' rules);
- postgres / sqlite: full-text matching and name similarity on each database (PostgreSQL's
  full-text search with GIN indexes and pg_trgm; SQLite's FTS5 and pg_trgm's algorithm in
  Python: fansite.search.names), giving the same results;
- snippets: the highlighted passage each result shows.

A search costs a fixed number of queries: one for the names, one per kind (two for comments:
ranked, then loaded; none when thread titles already fill the discussions), and at most one
more per kind of name for near-misses the full-text search did not find.
"""

import html
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from comments.markdown import hide_spoilers
from fansite.search import postgres, sqlite
from fansite.search.kinds import (
    CREDITED_NAMES_SEPARATOR,
    NAMED,
    NameMatch,
    comments_shown,
    searchable,
)
from fansite.search.names import MATCH_SIMILARITY
from fansite.search.normalise import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, SearchQuery, fold, parse
from fansite.search.snippets import best_text, highlight

MAX_RESULTS_PER_KIND = 10
# Comments matching a search that are ranked by relevance: the newest ones. Common words match
# comments by the ten thousand, and ranking them all costs as much as reading them all.
RANKED_COMMENTS = 500
MAX_NAMES = 20  # names read for near-misses and suggestions
MAX_SUGGESTIONS = 3

__all__ = ["MAX_QUERY_LENGTH", "MIN_QUERY_LENGTH", "SearchResults", "search_everything"]


@dataclass
class Hit:
    """One result, with what its line shows."""

    object: Any  # the film, person, character, post, thread or comment found
    url: str
    title: SafeString
    snippet: SafeString
    when: date | datetime | None = None
    image: Any = None  # an ImageFieldFile, shown as a thumbnail
    picture_kind: str = ""  # a films_tags PICTURE_KINDS key, or "news" for a post's image
    image_alt: str = ""
    label: str = ""  # what a missing picture's placeholder shows
    note: str = ""  # e.g. "Close match"
    near_miss: bool = False
    # A discussion's: the thread whose title, and the thread or comment whose text, may give
    # away a film the reader has not seen (the template asks comments.spoilers).
    title_spoilers: Any = None
    text_spoilers: Any = None


@dataclass
class Group:
    kind: str
    heading: str
    hits: list[Hit]


@dataclass
class SearchResults:
    query: SearchQuery
    groups: list[Group] = field(default_factory=list)
    suggestions: list[NameMatch] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(group.hits) for group in self.groups)

    @property
    def found_words(self) -> bool:
        """Whether any page contains the words (not only a name that is close)."""
        return any(not hit.near_miss for group in self.groups for hit in group.hits)

    def found(self, kind: str) -> list:
        """The objects found of one kind ("films", ..., "discussions": threads and comments)."""
        return [hit.object for group in self.groups if group.kind == kind for hit in group.hits]


HEADINGS = {
    "films": "Films",
    "people": "People",
    "characters": "Characters",
    "posts": "News",
    "discussions": "Discussions",
}


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def _most_relevant(ranked: QuerySet, limit: int) -> list[int]:
    """The ids of the `limit` rows of `ranked` (sliced, each row with a `rank`) ranked highest,
    ties in id order. The slice is a derived table, which the ORM cannot write: filtered again
    by id instead (`pk__in`), its rows would be looked up a second time."""
    sql, params = ranked.query.sql_with_params()
    with connection.cursor() as cursor:
        # Columns by position: values_list("pk", "rank") gives them in that order.
        cursor.execute(
            f"SELECT * FROM ({sql}) ranked ORDER BY 2 DESC, 1 LIMIT %s", [*params, limit]
        )
        return [pk for pk, _rank in cursor.fetchall()]


def _full_text(kind: str, terms: tuple[str, ...]) -> list:
    if not terms:
        return []
    if kind != "comments":
        found = _backend().full_text(kind, searchable(kind), terms)
        return list(found[:MAX_RESULTS_PER_KIND])
    # Comments are ranked joined to nothing but what decides who may read them, then the few
    # found are loaded with their threads' subjects: with those joins too, PostgreSQL's planner
    # stopped reordering the joins (join_collapse_limit) and read all 100,000 comments.
    newest = _backend().newest_matches(searchable(kind), terms, RANKED_COMMENTS)
    ids = _most_relevant(newest.values_list("pk", "rank"), MAX_RESULTS_PER_KIND)
    shown = comments_shown(ids)
    return [shown[pk] for pk in ids if pk in shown]


def _film_hit(film, terms) -> Hit:
    names = dict.fromkeys((film.credited_names or "").split(CREDITED_NAMES_SEPARATOR))
    credited = f"With {CREDITED_NAMES_SEPARATOR.join(names)}." if film.credited_names else ""
    texts = [film.tagline, film.synopsis, credited, film.based_on]
    return Hit(
        film,
        film.get_absolute_url(),
        highlight(str(film), terms, whole=True),
        highlight(best_text(texts, terms), terms),
        when=film.release_date,
        image=film.poster,
        picture_kind="poster-small",
        image_alt=f"Poster of {film.title}",
        label=film.title,
        note="" if film.release_date else film.get_status_display(),
    )


def _name_hit(obj, text: str, terms, **shown) -> Hit:
    """A person or a character: the name, a passage of `text` and a headshot (or initials)."""
    initials = "".join(word[0] for word in obj.name.split()[:2]).upper()
    return Hit(
        obj,
        obj.get_absolute_url(),
        highlight(obj.name, terms, whole=True),
        highlight(text, terms),
        picture_kind="headshot-small",
        label=initials,
        **shown,
    )


def _person_hit(person, terms) -> Hit:
    shown = {"when": person.birth_date, "image": person.headshot, "image_alt": person.name}
    return _name_hit(person, person.bio, terms, **shown)


def _character_hit(character, terms) -> Hit:
    return _name_hit(character, character.description, terms)


def _post_hit(post, terms) -> Hit:
    body = html.unescape(strip_tags(post.body_html))
    return Hit(
        post,
        post.get_absolute_url(),
        highlight(post.title, terms, whole=True),
        highlight(best_text([post.standfirst, body], terms), terms),
        when=post.published_at,
        image=post.featured_image,
        picture_kind="news",
        image_alt=post.image_alt,
        label="News",
    )


def _subject_picture(thread) -> dict:
    if thread.film_id:
        return {"image": thread.film.poster, "picture_kind": "poster-small"}
    if thread.person_id:
        return {"image": thread.person.headshot, "picture_kind": "headshot-small"}
    if thread.post_id:
        return {"image": thread.post.featured_image, "picture_kind": "news"}
    return {"picture_kind": "headshot-small"}


def _marked(*items):
    """The first of a discussion's items marked as giving a film away, if any."""
    return next((item for item in items if item.spoilers_for_id), None)


def _thread_hit(thread, terms) -> Hit:
    return Hit(
        thread,
        thread.get_page_url(),
        highlight(thread.title, terms, whole=True),
        SafeString(""),
        when=thread.last_activity_at,
        label="Talk",
        title_spoilers=_marked(thread),
        text_spoilers=_marked(thread),
        **_subject_picture(thread),
    )


def _comment_hit(comment, terms) -> Hit:
    thread = comment.thread
    # The source, spoilers blanked and Markdown's marks dropped: plain text to escape and mark.
    text = hide_spoilers(comment.body).replace("**", "").replace("__", "").replace("`", "")
    return Hit(
        comment,
        comment.get_absolute_url(),
        highlight(thread.title, terms, whole=True),
        highlight(text, terms),
        when=comment.created_at,
        label="Talk",
        note="A comment in this discussion",
        title_spoilers=_marked(thread),
        text_spoilers=_marked(comment, thread),
        **_subject_picture(thread),
    )


HIT_BUILDERS = {
    "films": _film_hit,
    "people": _person_hit,
    "characters": _character_hit,
    "posts": _post_hit,
}


def _with_near_misses(kind: str, found: list, names: list[NameMatch]) -> list[tuple[Any, bool]]:
    """The full-text results of a kind, then the names close enough to count as found (in one
    more query, only when there are some the full-text search missed)."""
    found_ids = {obj.pk for obj in found}
    close = [
        name
        for name in names
        if name.kind == kind and name.similarity >= MATCH_SIMILARITY and name.pk not in found_ids
    ]
    room = MAX_RESULTS_PER_KIND - len(found)
    close = close[:room]
    extra = searchable(kind).in_bulk([name.pk for name in close]) if close else {}
    return [(obj, False) for obj in found] + [
        (extra[name.pk], True) for name in close if name.pk in extra
    ]


def _discussions(terms: tuple[str, ...]) -> list[Hit]:
    """Threads whose title has the words, then comments that have them (one line per thread):
    titles are weighted above bodies."""
    hits, seen = [], set()
    for thread in _full_text("threads", terms):
        seen.add(thread.pk)
        hits.append(_thread_hit(thread, terms))
    if len(hits) >= MAX_RESULTS_PER_KIND:
        return hits  # titles fill the list: no comment would show
    for comment in _full_text("comments", terms):
        if comment.thread_id not in seen:
            seen.add(comment.thread_id)
            hits.append(_comment_hit(comment, terms))
    return hits[:MAX_RESULTS_PER_KIND]


def _suggestions(query: SearchQuery, names: list[NameMatch]) -> list[NameMatch]:
    """The closest names, each once, leaving out what was typed itself."""
    offered, typed = {}, fold(query.name_text)
    for name in names:
        key = fold(name.name)
        if key != typed and key not in offered:
            offered[key] = name
    return list(offered.values())[:MAX_SUGGESTIONS]


def search_everything(raw: str) -> SearchResults:
    query = parse(raw)
    results = SearchResults(query=query)
    if query.too_short or not query.terms:
        return results
    terms = query.terms
    names = _backend().similar_names(query.words, MAX_NAMES)
    for kind, build in HIT_BUILDERS.items():
        found = _full_text(kind, terms)
        if kind in NAMED:
            pairs = _with_near_misses(kind, found, names)
        else:
            pairs = [(obj, False) for obj in found]
        hits = []
        for obj, near_miss in pairs:
            hit = build(obj, terms)
            if near_miss:
                hit.near_miss, hit.note = True, "Close match"
            hits.append(hit)
        if hits:
            results.groups.append(Group(kind, HEADINGS[kind], hits))
    if discussions := _discussions(terms):
        results.groups.append(Group("discussions", HEADINGS["discussions"], discussions))
    if not results.found_words:
        results.suggestions = _suggestions(query, names)
    return results
