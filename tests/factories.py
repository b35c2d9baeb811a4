"""Small helpers that make test data: `make_film(**overrides)` and friends.

Each fills in sensible defaults and a unique slug, so a test only names what it cares about.
"""

import io
import itertools
import re
from datetime import date, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from comments.models import Comment, Thread
from films.models import Character, Credit, Department, Film, FilmStatus, Person
from news.models import Post, PostStatus, Source

_numbers = itertools.count(1)
PASSWORD = "a-strong-test-password-42"


def _next() -> int:
    return next(_numbers)


def make_user(*, verified: bool = True, password: str = PASSWORD, **overrides) -> User:
    n = _next()
    fields = {"username": f"fan{n}", "email": f"fan{n}@example.com"} | overrides
    user = User.objects.create_user(password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_staff(**overrides) -> User:
    return make_user(is_staff=True, is_superuser=True, **overrides)


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (40, 60), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 160)).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def make_upload(
    name: str = "picture.png", image_format: str = "PNG", **kwargs
) -> SimpleUploadedFile:
    content_type = "image/png" if image_format == "PNG" else f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, image_bytes(image_format, **kwargs), content_type=content_type)


def make_film(**overrides) -> Film:
    n = _next()
    fields = {
        "title": f"Film {n}",
        "slug": f"film-{n}",
        "status": FilmStatus.RELEASED,
        "release_date": date(1997, 4, 25),
        "synopsis": "Two friends go to their reunion.",
    } | overrides
    return Film.objects.create(**fields)


def make_sequel(original: Film | None = None, **overrides) -> Film:
    original = original or make_film()
    fields = {
        "status": FilmStatus.IN_DEVELOPMENT,
        "release_date": None,
        "sequel_to": original,
    } | overrides
    return make_film(**fields)


def make_person(**overrides) -> Person:
    n = _next()
    fields = {"name": f"Person {n}", "slug": f"person-{n}"} | overrides
    return Person.objects.create(**fields)


def make_character(**overrides) -> Character:
    n = _next()
    fields = {"name": f"Character {n}", "slug": f"character-{n}"} | overrides
    return Character.objects.create(**fields)


def make_credit(**overrides) -> Credit:
    fields = {"department": Department.CAST, "billing": 1} | overrides
    if "film" not in fields:
        fields["film"] = make_film()
    if "person" not in fields:
        fields["person"] = make_person()
    if fields["department"] == Department.CAST and "character" not in fields:
        fields["character"] = make_character()
    if fields["department"] != Department.CAST:
        fields.setdefault("job", "Crew")  # a crew credit needs a job (credit_crew_has_job)
    return Credit.objects.create(**fields)


def make_post(*, published: bool = True, **overrides) -> Post:
    n = _next()
    fields = {
        "title": f"News item {n}",
        "slug": f"news-item-{n}",
        "standfirst": "Something happened.",
        "body": "A paragraph of news.\n\nAnother paragraph.",
    }
    if published:
        fields |= {
            "status": PostStatus.PUBLISHED,
            "published_at": timezone.now() - timedelta(hours=n),
        }
    fields |= overrides
    return Post.objects.create(**fields)


def make_source(**overrides) -> Source:
    fields = {"outlet": "Us Weekly", "url": "https://example.com/story"} | overrides
    if "post" not in fields:
        fields["post"] = make_post()
    return Source.objects.create(**fields)


def make_thread(**overrides) -> Thread:
    n = _next()
    fields = {"title": f"Discussion {n}"} | overrides
    if "starter" not in fields:
        fields["starter"] = make_user()
    return Thread.objects.create(**fields)


def make_comment(**overrides) -> Comment:
    """A comment stored as is, without the services' counters; for reading tests."""
    fields = {"body": "I love this film.", "body_html": "<p>I love this film.</p>"} | overrides
    if "thread" not in fields:
        fields["thread"] = make_thread()
    if "author" not in fields:
        fields["author"] = make_user()
    parent = fields.get("parent")
    if parent is not None:
        fields.setdefault("root", parent.root or parent)
        fields.setdefault("depth", parent.depth + 1)
    return Comment.objects.create(**fields)


def make_moderator(**overrides) -> User:
    """A user in the Moderators group (made by a comments migration)."""
    from django.contrib.auth.models import Group

    user = make_user(**overrides)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_editor(**overrides) -> User:
    """Staff in the Editors group (made by a news migration), not a superuser."""
    from django.contrib.auth.models import Group

    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def start_thread(*, body: str = "What did everyone think?", **overrides) -> Thread:
    """A thread started through the service: first comment, counters and subscription."""
    from comments.services import thread_start

    n = _next()
    fields = {"title": f"Talk {n}", "body": body} | overrides
    if "author" not in fields:
        fields["author"] = make_user()
    return thread_start(**fields)


SEED_ARTICLE = Path(__file__).resolve().parents[1] / ".." / "shared" / "seed" / "sequel-article.txt"


def read_seed_article() -> dict:
    """The reference article, read at run time: its date, paragraphs and image credit.

    The file has no title: tests give it one. Its first paragraph serves as the standfirst.
    """
    text = SEED_ARTICLE.read_text(encoding="utf-8").strip()
    match = re.match(r"date (\d{4}-\d{2}-\d{2})\s+", text)
    published = date.fromisoformat(match.group(1))
    paragraphs = [part.strip() for part in text[match.end() :].split("\n\n") if part.strip()]
    credit = re.fullmatch(r"\(featured image: (.+)\)", paragraphs[-1])
    if credit:
        paragraphs.pop()
    return {
        "date": published,
        "paragraphs": paragraphs,
        "standfirst": paragraphs[0],
        "body": "\n\n".join(paragraphs[1:]),
        "image_credit": credit.group(1) if credit else "",
    }


def make_suspension(*, user=None, days: float | None = 7, **overrides):
    """A suspension in force from now for `days` (None: until a moderator lifts it), stored as
    is; the moderation services make real ones."""
    from accounts.models import Suspension

    fields = {"reason": "Insults in the sequel thread."} | overrides
    starts_at = fields.setdefault("starts_at", timezone.now())
    if days is not None:
        fields.setdefault("ends_at", starts_at + timedelta(days=days))
    return Suspension.objects.create(user=user or make_user(), **fields)
