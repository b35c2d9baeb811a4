"""Demo content for the news app: written in our own words from ../shared/seed/FACTS.md.

Runs after `seed_films()`; idempotent (rows are found by slug or name, never duplicated).
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.demo import demo_user
from films import demo_images
from films.models import Character, Credit, CreditStatusChange, Film, Person, ProductionEvent
from news.models import Post, PostStatus, Source
from news.services import post_refresh_links

SEQUEL_POST_SLUG = "romy-and-michele-sequel-in-development"
EDITOR = {"username": "editor", "display_name": "Fan site editor"}
PEOPLE = ["Mira Sorvino", "Lisa Kudrow", "Alan Cumming", "Robin Schiff"]
CHARACTERS = ["Romy White", "Michele Weinberger", "Sandy Frink"]

TITLE = "A Romy and Michele sequel is in the works, with Sorvino and Kudrow back"
STANDFIRST = (
    "Mira Sorvino and Lisa Kudrow will star in and executive produce a follow-up to the 1997 "
    "comedy, and Robin Schiff is writing the script."
)
BODY = """\
Good news for fans of the 1997 comedy: a sequel to Romy and Michele’s High School Reunion is \
in development. Mira Sorvino told Us Weekly that the project is going \
“full force ahead”.

## Who is coming back

Sorvino and Lisa Kudrow return as Romy and Michele, and both will be executive producers too. \
For now they are the only confirmed cast. Alan Cumming, the first film’s Sandy Frink, said in a \
2023 interview with The A.V. Club that he would be “very in for it”. Nothing has been said yet \
about anyone else from the 1997 cast.

## Waiting for the script

Robin Schiff, who adapted the first film from her own 1988 play *Ladies’ Room*, is writing again. \
Sorvino explained that Schiff is fitting the draft for the studio around her work on *Emily in \
Paris*, which is why there are no plot details yet.

A release in time for the original’s 28th anniversary, in 2025, has been floated as possible; it \
is not a date. What Sorvino hopes for is simple: that the two friends stay as lovable, and as \
loyal to each other, as they were the first time.
"""
SOURCES = [
    ("Us Weekly", "https://www.usmagazine.com/", "Interview with Mira Sorvino about the sequel."),
    ("The A.V. Club", "https://www.avclub.com/", "Alan Cumming on returning as Sandy (2023)."),
]
IMAGE = {
    "image_alt": "Illustration: a yellow sticky note reading “Romy and Michele: the sequel” "
    "on a violet background scattered with glitter.",
    "image_caption": "The sequel is in development, with the original duo back.",
    "image_credit": "Illustration by Romy and Michele Fans",
}


@transaction.atomic
def seed_news() -> None:
    """Create or update the demo news posts."""
    editor = _editor()
    post, _ = Post.objects.update_or_create(
        slug=SEQUEL_POST_SLUG,
        defaults={
            "title": TITLE,
            "standfirst": STANDFIRST,
            "body": BODY,
            "status": PostStatus.PUBLISHED,
            "published_at": datetime.datetime(2024, 2, 9, 12, 0, tzinfo=datetime.UTC),
            "author": editor,
            **IMAGE,
        },
    )
    if not post.featured_image:
        picture = demo_images.sticky_note(["Romy and", "Michele:", "the sequel"], "in development")
        post.featured_image.save("sequel-in-development.png", ContentFile(picture))
    for order, (outlet, url, reported) in enumerate(SOURCES):
        Source.objects.update_or_create(
            post=post, outlet=outlet, defaults={"url": url, "reported": reported, "order": order}
        )

    original, sequel = _films()
    post.films.set([film for film in (sequel, original) if film])
    post.people.set(Person.objects.filter(name__in=PEOPLE))
    post.characters.set(Character.objects.filter(name__in=CHARACTERS))
    post_refresh_links(post=post)
    # The demo report was never revised: "updated" is when it came out, not when it was seeded.
    Post.objects.filter(pk=post.pk).update(updated_at=post.published_at)

    if sequel:
        Credit.objects.filter(film=sequel).update(source_post=post)
        # Our post is now their source; where the outlet's own date is unknown (Cumming's 2023
        # interview has none in FACTS.md), the date is the day our post reported it.
        Credit.objects.filter(film=sequel, status__gt="", reported_on__isnull=True).update(
            reported_on=post.published_at.date()
        )
        CreditStatusChange.objects.filter(
            credit__film=sequel, source_name__iexact="Us Weekly"
        ).update(source_post=post)
        ProductionEvent.objects.filter(film=sequel, source_name__iexact="Us Weekly").update(
            source_post=post
        )


def _editor():
    return demo_user(EDITOR["username"], display_name=EDITOR["display_name"], is_staff=True)


def _films() -> tuple[Film | None, Film | None]:
    """The 1997 film and its sequel, however the films demo named their slugs."""
    original = (
        Film.objects.filter(title__istartswith="Romy and Michele", sequel_to__isnull=True)
        .order_by("release_date")
        .first()
    )
    sequel = Film.objects.filter(sequel_to=original).first() if original else None
    return original, sequel
