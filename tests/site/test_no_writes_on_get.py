"""GET and HEAD never write: no public page creates or changes a row of the project's own models
(accounts, films, news, comments), whether the visitor is signed in or not. Sessions and
sorl-thumbnail's key-value store are not ours and are left out."""

import pytest
from django.apps import apps
from django.urls import reverse

from comments import services
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_user,
    start_thread,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "films", "news", "comments")
PAGES = [
    "home",
    "films index",
    "film",
    "cast",
    "person",
    "character",
    "news index",
    "post with a thread",
    "post without a thread",
    "year archive",
    "month archive",
    "rss feed",
    "atom feed",
    "discussions",
    "thread",
    "permalink",
    "search",
    "profile",
    "notifications",
    "sitemap",
    "robots",
    "healthz",
]


def _snapshot() -> dict:
    """Every row of our models, every column: any insert, update or delete shows."""
    rows = {}
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


@pytest.fixture
def site() -> dict:
    """One of each page's subject, with comments, likes, follows and notifications."""
    member = make_user(username="romy")
    film = make_film(title="Romy and Michele")
    person = make_person(name="Lisa Kudrow")
    character = make_character(name="Michele")
    make_credit(film=film, person=person, character=character)
    discussed = make_post(title="The sequel is on")
    post_thread = start_thread(title=discussed.title, post=discussed, author=member)
    quiet = make_post(title="Casting news")
    thread = start_thread(title="Favourite scene", film=film, author=member)
    comment = services.comment_create(
        thread=thread, author=make_user(), body="The dance! @romy", parent=thread.comments.first()
    )
    services.reaction_toggle(comment=comment, user=member)
    year, month = discussed.get_absolute_url().strip("/").split("/")[1:3]
    urls = {
        "home": reverse("home"),
        "films index": reverse("films:index"),
        "film": film.get_absolute_url(),
        "cast": reverse("films:cast", args=[film.slug]),
        "person": person.get_absolute_url(),
        "character": character.get_absolute_url(),
        "news index": reverse("news:index"),
        "post with a thread": post_thread.get_page_url(),
        "post without a thread": quiet.get_absolute_url(),
        "year archive": reverse("news:year", args=[int(year)]),
        "month archive": reverse("news:month", args=[int(year), month]),
        "rss feed": reverse("news:feed"),
        "atom feed": reverse("news:atom"),
        "discussions": reverse("comments:index"),
        "thread": thread.get_absolute_url(),
        "permalink": comment.get_absolute_url(),
        "search": reverse("search") + "?q=sequel",
        "profile": member.get_absolute_url(),
        "notifications": reverse("comments:notifications"),
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots-txt"),
        "healthz": reverse("healthz"),
    }
    return {"member": member, "urls": urls}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("page", PAGES)
def test_reading_a_page_writes_no_row(client, site, page, method, signed_in):
    if signed_in:
        client.force_login(site["member"])  # Signing in writes (last_login): before the count.
    before = _snapshot()
    response = getattr(client, method)(site["urls"][page])
    assert response.status_code < 400
    assert _snapshot() == before


def test_the_post_page_without_a_thread_makes_none(client, site):
    """The named write on a GET: showing a post's comments used to make its thread."""
    client.force_login(site["member"])
    response = client.get(site["urls"]["post without a thread"])
    assert b'name="body"' in response.content
    assert apps.get_model("comments", "Thread").objects.filter(title="Casting news").count() == 0
