"""Demo content for the films app: written in our own words from ../shared/seed/FACTS.md.

Idempotent: rows are found by slug (or by their natural key) and updated, never duplicated;
pictures are drawn only when a row has none yet. `news.demo.seed_news()` runs afterwards and
points the sequel's credits at its demo post.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from films import demo_images
from films.models import (
    Character,
    Credit,
    Department,
    Film,
    FilmStatus,
    Person,
    ProductionEvent,
    ReturnStatus,
)
from films.services import credit_record_status_change

ORIGINAL_SLUG = "romy-and-micheles-high-school-reunion"
SEQUEL_SLUG = "romy-and-michele-sequel"
REPORTED = datetime.date(2024, 2, 9)
US_WEEKLY = {"source_name": "Us Weekly", "source_url": "https://www.usmagazine.com/"}
AV_CLUB = {"source_name": "The A.V. Club", "source_url": "https://www.avclub.com/"}

FILMS = {
    ORIGINAL_SLUG: {
        "title": "Romy and Michele's High School Reunion",
        "status": FilmStatus.RELEASED,
        "release_date": datetime.date(1997, 4, 25),
        "runtime_minutes": 92,
        "distributor": "Touchstone Pictures (Walt Disney Studios)",
        "based_on": "Ladies' Room, Robin Schiff's 1988 play",
        "tagline": "Two best friends, one reunion, and a very creative idea of success.",
        "synopsis": (
            "Romy and Michele share an apartment in Los Angeles, a closet full of outfits of "
            "their own making, and not much of a plan. When the invitation to their ten-year "
            "high school reunion arrives, they set off for Tucson.\n\n"
            "On the drive they look back on how they became best friends and on the popular "
            "crowd that made school hard for them, and they settle on a scheme: to turn up as "
            "successful businesswomen. By the end of the film the two have something better "
            "than a cover story, a boutique selling clothes they designed themselves."
        ),
    },
    SEQUEL_SLUG: {
        "title": "Untitled Romy and Michele sequel",
        "status": FilmStatus.IN_DEVELOPMENT,
        "release_date": None,
        "runtime_minutes": None,
        "distributor": "",
        "based_on": "",
        "tagline": "",
        "synopsis": (
            "A follow-up to the 1997 comedy has been in development since early 2024. Mira "
            "Sorvino and Lisa Kudrow are set to play Romy and Michele again and to serve as "
            "executive producers, and Robin Schiff is writing the script. There are no plot "
            "details yet, and no release date: a release around the original's 28th "
            "anniversary in 2025 was floated as possible but never announced."
        ),
    },
}

# slug: (name, description); a description only where FACTS.md says who they are.
CHARACTERS = {
    "romy-white": (
        "Romy White",
        "Carefree, loyal, and one half of the best-friend duo at the heart of the film; she "
        "shares an apartment in Los Angeles with Michele.",
    ),
    "michele-weinberger": (
        "Michele Weinberger",
        "Romy's best friend and roommate, the other half of the duo.",
    ),
    "heather-mooney": ("Heather Mooney", ""),
    "sandy-frink": (
        "Sandy Frink",
        "The awkward classmate who comes back to the reunion a millionaire.",
    ),
    "christie-masters": ("Christie Masters", ""),
    "billy-christianson": ("Billy Christianson", ""),
    "toby-walters": ("Toby Walters", ""),
    "the-cowboy": ("The Cowboy", ""),
    "lisa-luder": ("Lisa Luder", ""),
}

# slug: (name, bio)
PEOPLE = {
    "mira-sorvino": (
        "Mira Sorvino",
        "Mira Sorvino played Romy White in the 1997 comedy. In early 2024 she told Us Weekly "
        "that the sequel was going \u201cfull force ahead\u201d; she returns to star in it "
        "and is one of its executive producers.",
    ),
    "lisa-kudrow": (
        "Lisa Kudrow",
        "Lisa Kudrow played Michele Weinberger in the 1997 comedy, and returns to star in the "
        "sequel, which she also executive produces.",
    ),
    "janeane-garofalo": (
        "Janeane Garofalo",
        "Janeane Garofalo played Heather Mooney in the 1997 comedy.",
    ),
    "alan-cumming": (
        "Alan Cumming",
        "Alan Cumming played Sandy Frink, the awkward classmate turned millionaire, in the "
        "1997 comedy. Asked about a sequel in 2023, he told The A.V. Club he would be "
        "\u201cvery in for it\u201d.",
    ),
    "julia-campbell": (
        "Julia Campbell",
        "Julia Campbell played Christie Masters in the 1997 comedy.",
    ),
    "vincent-ventresca": (
        "Vincent Ventresca",
        "Vincent Ventresca played Billy Christianson in the 1997 comedy.",
    ),
    "camryn-manheim": ("Camryn Manheim", "Camryn Manheim played Toby Walters in the 1997 comedy."),
    "justin-theroux": ("Justin Theroux", "Justin Theroux played the Cowboy in the 1997 comedy."),
    "elaine-hendrix": ("Elaine Hendrix", "Elaine Hendrix played Lisa Luder in the 1997 comedy."),
    "david-mirkin": ("David Mirkin", "David Mirkin directed the 1997 comedy."),
    "robin-schiff": (
        "Robin Schiff",
        "Robin Schiff wrote the 1997 comedy, adapting her own 1988 play Ladies' Room. She is "
        "writing the sequel too, fitting the draft for the studio around her work on the TV "
        "series Emily in Paris.",
    ),
}

ORIGINAL_CAST = [
    ("mira-sorvino", "romy-white"),
    ("lisa-kudrow", "michele-weinberger"),
    ("janeane-garofalo", "heather-mooney"),
    ("alan-cumming", "sandy-frink"),
    ("julia-campbell", "christie-masters"),
    ("vincent-ventresca", "billy-christianson"),
    ("camryn-manheim", "toby-walters"),
    ("justin-theroux", "the-cowboy"),
    ("elaine-hendrix", "lisa-luder"),
]
ORIGINAL_CREW = [
    ("david-mirkin", Department.DIRECTING, "Director"),
    ("robin-schiff", Department.WRITING, "Screenplay"),
]

CONFIRMED = {"status": ReturnStatus.CONFIRMED, "reported_on": REPORTED, **US_WEEKLY}
# (person, character) for cast; (person, department, job) for crew; then what was reported.
SEQUEL_CAST = [
    ("mira-sorvino", "romy-white", CONFIRMED),
    ("lisa-kudrow", "michele-weinberger", CONFIRMED),
    (
        "alan-cumming",
        "sandy-frink",
        # He said it in a 2023 interview; the day is not known, so no date.
        {"status": ReturnStatus.EXPRESSED_INTEREST, "reported_on": None, **AV_CLUB},
    ),
]
SEQUEL_CREW = [
    ("robin-schiff", Department.WRITING, "Screenplay", CONFIRMED),
    ("mira-sorvino", Department.PRODUCTION, "Executive producer", CONFIRMED),
    ("lisa-kudrow", Department.PRODUCTION, "Executive producer", CONFIRMED),
]
SEQUEL_EVENTS = [
    (
        REPORTED,
        "Sequel reported in development, with Sorvino and Kudrow returning",
        FilmStatus.IN_DEVELOPMENT,
    ),
    (REPORTED, "Script in progress: Robin Schiff is finishing a draft for the studio", ""),
]

POSTER_COLOURS = {
    ORIGINAL_SLUG: ((123, 45, 142), (255, 126, 182)),
    SEQUEL_SLUG: ((34, 23, 42), (123, 45, 142)),
}
HEADSHOT_COLOURS = [
    (123, 45, 142),
    (163, 59, 159),
    (91, 31, 106),
    (31, 111, 67),
    (138, 90, 0),
    (40, 90, 160),
    (163, 22, 46),
    (80, 60, 110),
    (200, 80, 120),
]


@transaction.atomic
def seed_films() -> None:
    """Create or update the demo films, people, characters, credits and production events."""
    films = {
        slug: Film.objects.update_or_create(slug=slug, defaults=fields)[0]
        for slug, fields in FILMS.items()
    }
    original, sequel = films[ORIGINAL_SLUG], films[SEQUEL_SLUG]
    if sequel.sequel_to_id != original.pk:
        sequel.sequel_to = original
        sequel.save(update_fields=["sequel_to"])

    characters = {
        slug: Character.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )[0]
        for slug, (name, description) in CHARACTERS.items()
    }
    people = {
        slug: Person.objects.update_or_create(slug=slug, defaults={"name": name, "bio": bio})[0]
        for slug, (name, bio) in PEOPLE.items()
    }

    for billing, (person, character) in enumerate(ORIGINAL_CAST, start=1):
        _cast(original, people[person], characters[character], billing)
    for billing, (person, department, job) in enumerate(ORIGINAL_CREW, start=1):
        _crew(original, people[person], department, job, billing)

    for billing, (person, character, report) in enumerate(SEQUEL_CAST, start=1):
        _cast(sequel, people[person], characters[character], billing, report)
    for billing, (person, department, job, report) in enumerate(SEQUEL_CREW, start=1):
        _crew(sequel, people[person], department, job, billing, report)

    for happened_on, summary, status in SEQUEL_EVENTS:
        ProductionEvent.objects.update_or_create(
            film=sequel,
            summary=summary,
            defaults={"happened_on": happened_on, "status": status, "reported_on": happened_on}
            | US_WEEKLY,
        )

    for film in films.values():
        if not film.poster:
            label = str(film.year) if film.year else film.get_status_display()
            picture = demo_images.poster(film.title, label, *POSTER_COLOURS[film.slug])
            film.poster.save(f"{film.slug}.png", ContentFile(picture), save=True)
    for index, person in enumerate(people.values()):
        if not person.headshot:
            colour = HEADSHOT_COLOURS[index % len(HEADSHOT_COLOURS)]
            picture = demo_images.headshot(person.initials, person.name, colour)
            person.headshot.save(f"{person.slug}.png", ContentFile(picture), save=True)


def _cast(film, person, character, billing, report=None) -> Credit:
    credit, _ = Credit.objects.update_or_create(
        film=film,
        person=person,
        character=character,
        department=Department.CAST,
        defaults={"billing": billing, "job": "", **(report or {})},
    )
    _record_first_report(credit)
    return credit


def _crew(film, person, department, job, billing, report=None) -> Credit:
    credit, _ = Credit.objects.update_or_create(
        film=film,
        person=person,
        department=department,
        job=job,
        defaults={"billing": billing, **(report or {})},
    )
    _record_first_report(credit)
    return credit


def _record_first_report(credit: Credit) -> None:
    # Only the first time: news.demo later cites its post on the credit, which is not a new report.
    if credit.status and not credit.status_changes.exists():
        credit_record_status_change(credit=credit)
