"""What search looks through, whatever the database: the kinds of page, the rows readers may
see of each (the owning apps' rules, never restated here) and the names near-misses are
matched against."""

from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, StringAgg, Subquery, TextField, Value

from comments.models import Comment, Thread
from films.models import Character, Credit, Film, Person
from news.models import Post


@dataclass(frozen=True)
class NameMatch:
    kind: str  # "films", "people" or "characters"
    pk: int
    name: str
    similarity: float  # to everything typed: counts as found from MATCH_SIMILARITY
    closeness: float  # to everything typed or any one word: offered from SUGGEST_SIMILARITY


CREDITED_NAMES_SEPARATOR = ", "


def credited_names() -> Subquery:
    """The names of everyone credited on the film, joined by CREDITED_NAMES_SEPARATOR (a
    person with two credits twice): "kudrow sorvino" finds the film both star in."""
    names = (
        Credit.objects.filter(film=OuterRef("pk"))
        .order_by()
        .values("film")
        .annotate(names=StringAgg("person__name", delimiter=Value(CREDITED_NAMES_SEPARATOR)))
        .values("names")
    )
    return Subquery(names, output_field=TextField())


# What a thread's result shows besides the thread: the subject its picture comes from and the
# film it gives away.
THREAD_SHOWN = ("film", "person", "post", "spoilers_for")


def searchable(kind: str) -> QuerySet:
    """The rows of a kind that anyone may find, with what their result shows."""
    return {
        "films": lambda: Film.objects.annotate(credited_names=credited_names()),
        "people": Person.objects.all,
        "characters": Character.objects.all,
        "posts": Post.objects.published,
        # THREAD_SHOWN, not with_subject(): a character's thread shows no picture, and one join
        # fewer is about a millisecond less of PostgreSQL's planning. comments.spoilers.hides
        # reads the film a thread or comment gives away.
        "threads": lambda: Thread.objects.public().select_related(*THREAD_SHOWN),
        # Loaded afterwards, by comments_shown (fansite.search._full_text says why).
        "comments": lambda: Comment.objects.visible().in_public_threads(),
    }[kind]()


def comments_shown(ids: list[int]) -> dict[int, Comment]:
    """Comments found, by id, with what their results show: the thread, its subject and the
    films they give away."""
    shown = ["spoilers_for", *(f"thread__{related}" for related in THREAD_SHOWN)]
    return Comment.objects.select_related(*shown).order_by().in_bulk(ids)


NAMED = {"films": (Film, "title"), "people": (Person, "name"), "characters": (Character, "name")}


def name_querysets() -> list[QuerySet]:
    """Films' titles, people's and characters' names, as (kind, ident, label) annotations so the
    three can be one UNION."""
    return [
        model.objects.order_by().annotate(kind=Value(kind), ident=F("pk"), label=F(field))
        for kind, (model, field) in NAMED.items()
    ]


def names_sql() -> tuple[str, tuple]:
    """name_querysets() as the SQL of one UNION of (kind, ident, label) rows, and its
    parameters: the backends compare the names with what was typed around it."""
    first, *rest = [queryset.values_list("kind", "ident", "label") for queryset in name_querysets()]
    return first.union(*rest, all=True).order_by().query.sql_with_params()
