"""An editor signs in, enters the reference article in the admin, publishes it, and readers find it.

The article is read at run time through the seed_article fixture (tests/conftest.py), from
../shared/seed/sequel-article.txt; it is not copied here, and without it the test is skipped.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import path
from django.utils import timezone
from django.views.static import serve
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from fansite.urls import urlpatterns as site_urlpatterns
from news.models import Post
from tests.factories import PASSWORD, make_film, make_person, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Romy and Michele sequel is “full force ahead”"
PEOPLE_CHOSEN = ["Mira Sorvino", "Lisa Kudrow", "Robin Schiff"]
PEOPLE_SUGGESTED = ["Alan Cumming", "Janeane Garofalo"]


def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The site's URLs plus uploaded media, which the project serves only with DEBUG on, so the
# screenshots show the images.
urlpatterns = [*site_urlpatterns, path("media/<path:path>", _media)]


@pytest.fixture
def site_with_media(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def featured_png(tmp_path) -> Path:
    """A 1600×900 picture drawn for the test: no photographs."""
    image = Image.new("RGB", (1600, 900), (123, 45, 142))
    draw = ImageDraw.Draw(image)
    draw.rectangle([500, 200, 1100, 700], fill=(255, 216, 77))
    draw.ellipse([150, 120, 450, 420], fill=(255, 126, 182))
    target = tmp_path / "reunion.png"
    image.save(target)
    return target


def choose(page: Page, field: str, label: str) -> None:
    """Pick a related row: through the admin's autocomplete when the films admin provides it."""
    select = page.locator(f"#id_{field}")
    if "admin-autocomplete" in (select.get_attribute("class") or ""):
        # The search box, not the middle of the box, where a chosen item's remove button may be.
        page.locator(f"#id_{field} + .select2 .select2-search__field").click()
        page.locator(f"#id_{field} + .select2 .select2-search__field").fill(label.split()[0])
        page.locator(".select2-results__option", has_text=label).click()
    else:
        values = select.evaluate("s => [...s.selectedOptions].map(o => o.value)")
        value = select.locator("option", has_text=label).get_attribute("value")
        select.select_option(value=[*values, value])


def test_editor_publishes_the_seed_article_and_readers_find_it(
    page, live_server, site_with_media, featured_png, screenshot, csp_errors, seed_article
):
    article = seed_article
    film = make_film(title="Romy and Michele's High School Reunion", slug="romy-and-michele")
    for name in PEOPLE_CHOSEN + PEOPLE_SUGGESTED + ["Justin Theroux"]:
        make_person(name=name)
    editor = make_staff(email="editor@example.com", display_name="Editor Ann")

    # The admin sends the editor to the site's own sign-in page.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(editor.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/news/post/add/")
    page.get_by_label("Title:").press_sequentially(TITLE)
    expect(page.get_by_label("Slug:")).to_have_value("romy-and-michele-sequel-is-full-force-ahead")
    page.get_by_label("Standfirst:").fill(article["standfirst"])
    page.get_by_label("Body:").fill(article["body"])
    page.get_by_label("Status:").select_option(label="Published")
    # Typed rather than the "Today"/"Now" shortcuts, which use the browser's clock and zone.
    published = timezone.localtime() - timedelta(minutes=2)
    page.locator("#id_published_at_0").fill(published.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill(published.strftime("%H:%M:%S"))
    expect(page.get_by_label("Author:")).to_have_value(str(editor.pk))
    page.locator("#id_featured_image").set_input_files(featured_png)
    page.get_by_label("Image alt text:").fill("A yellow square and a pink circle on violet.")
    page.get_by_label("Image caption:").fill("Romy and Michele are coming back.")
    page.get_by_label("Image credit:").fill(article["image_credit"])
    choose(page, "films", str(film))
    for name in PEOPLE_CHOSEN:
        choose(page, "people", name)
    page.locator("#id_sources-0-outlet").fill("Us Weekly")
    page.locator("#id_sources-0-url").fill("https://www.usmagazine.com/")
    page.locator("#id_sources-0-reported").fill("Mira Sorvino on the sequel")
    page.locator("#id_sources-1-outlet").fill("The A.V. Club")
    page.locator("#id_sources-1-url").fill("https://www.avclub.com/")
    page.locator("#id_sources-1-reported").fill("Alan Cumming on playing Sandy again")
    page.locator("#id_sources-1-order").fill("1")
    screenshot("news-admin-add")
    page.locator("input[name=_save]").first.click()

    # People named in the body but not chosen stay suggested (editor.js's panel, live).
    expect(page.get_by_role("heading", name="Suggested links")).to_be_visible()
    for name in PEOPLE_SUGGESTED:
        expect(page.get_by_role("button", name=f"Relate {name} (person)")).to_be_visible()
    screenshot("news-admin-suggestions")
    page.get_by_role("button", name="Relate Alan Cumming (person)").click()
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    post = Post.objects.get()
    assert post.is_published()
    assert set(post.people.values_list("name", flat=True)) == {*PEOPLE_CHOSEN, "Alan Cumming"}
    assert post.sources.count() == 2

    page.goto(f"{live_server.url}/admin/news/post/")
    expect(page.locator("#result_list")).to_contain_text("Live")
    screenshot("news-admin-changelist")

    # Readers find it from the home page, the news index and the film page.
    page.goto(live_server.url)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    body = page.locator(".news-article__body")
    expect(body).to_contain_text("Romy and Michele’s High School Reunion")
    expect(body).to_contain_text("“full force ahead.”")
    expect(body.get_by_role("link", name="Alan Cumming")).to_have_attribute(
        "href", "/people/" + post.people.get(name="Alan Cumming").slug + "/"
    )
    expect(page.locator(".news-sources")).to_contain_text("The A.V. Club")
    expect(page.locator(".news-article__figure img")).to_have_js_property("complete", True)
    assert page.locator(".news-article__figure img").evaluate("img => img.naturalWidth") > 0
    screenshot("news-post")

    page.goto(f"{live_server.url}/news/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot("news-index")

    page.goto(f"{live_server.url}{film.get_absolute_url()}")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot("news-film-page")

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("news-post-360")
    page.goto(f"{live_server.url}/news/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("news-index-360")
    page.goto(live_server.url)
    screenshot("news-home-360")
    assert csp_errors == []


def test_draft_preview_shows_banner_to_staff_only(page, live_server, client, screenshot):
    from tests.factories import make_post

    draft = make_post(title="Not out yet", published=False)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Not out yet")).to_have_count(0)

    client.force_login(make_staff())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    expect(page.get_by_role("status")).to_contain_text("Only staff can see this preview.")
    screenshot("news-draft-preview")
