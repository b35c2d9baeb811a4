"""An anonymous visitor who has not seen the film reads the discussions unspoiled: a marked
comment is collapsed (out of the accessibility tree too) until revealed, marked threads are
listed blurred; marking the film seen on its page shows them normally. With the page cache on,
as in production, with JavaScript (htmx) and without it."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from comments import services
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import make_film, make_sequel, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Heather invented the glue"
TITLE = "Romy marries Sandy Frink"


@pytest.fixture
def spoiled(page_cache):
    film = make_film(title="Romy and Michele's High School Reunion", slug="reunion")
    make_sequel(film, title="Romy and Michele 2", slug="sequel")
    fan = make_user()
    talk = services.thread_start(
        author=fan, title="Favourite scenes", body="The dance, surely.", film=film
    )
    services.comment_create(thread=talk, author=make_user(), body=SECRET, spoilers_for=film)
    services.thread_start(
        author=fan, title=TITLE, body="Did anyone see it coming?", film=film, spoilers_for=film
    )
    return film, talk


def _title_row(page):
    return page.locator(".thread-row", has=page.locator(".badge--spoiler"))


def test_anonymous_visitor_reveals_a_spoiler_then_marks_the_film_seen(
    page, live_server, spoiled, screenshot, csp_errors
):
    film, talk = spoiled
    page.goto(f"{live_server.url}/discussions/")
    row = _title_row(page)
    expect(row).to_contain_text("Contains spoilers for Romy and Michele's High School Reunion")
    assert TITLE not in page.locator(".thread-list").aria_snapshot()
    blur = row.locator(".spoiler-title").evaluate("el => getComputedStyle(el).filter")
    assert blur.startswith("blur(")
    screenshot("spoilers-index-unseen")

    page.get_by_role("link", name="Title hidden: a discussion with spoilers for").click()
    expect(page.get_by_text("This discussion contains spoilers for")).to_be_visible()
    heading = page.locator("h1 .spoiler-title")
    assert heading.evaluate("el => getComputedStyle(el).filter").startswith("blur(")
    page.get_by_text("Show the discussion anyway").click()  # Read it anyway: the title clears.
    expect(heading).to_have_css("filter", "none")
    expect(page.get_by_text("Did anyone see it coming?")).to_be_visible()

    page.goto(live_server.url + talk.get_absolute_url())
    collapsed = page.locator("details.spoiler-box")
    expect(collapsed.locator("summary")).to_contain_text("Contains spoilers for")
    expect(page.get_by_text(SECRET)).to_be_hidden()
    assert SECRET not in page.locator("#comments").aria_snapshot()
    screenshot("spoilers-thread-collapsed")
    collapsed.locator("summary").click()
    expect(page.get_by_text(SECRET)).to_be_visible()
    assert SECRET in page.locator("#comments").aria_snapshot()

    page.goto(live_server.url + film.get_absolute_url())
    page.get_by_role("button", name="I’ve seen it").click()
    expect(page.get_by_role("button", name="Mark as not seen")).to_be_focused()
    expect(page.get_by_text("its spoilers show")).to_be_visible()
    screenshot("spoilers-film-seen")

    page.goto(f"{live_server.url}/discussions/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator(".spoiler-title")).to_have_count(0)
    page.goto(live_server.url + talk.get_absolute_url())
    expect(page.get_by_text(SECRET)).to_be_visible()
    assert csp_errors == []


def test_without_javascript_the_seen_button_is_a_plain_form(browser, live_server, spoiled):
    film, _ = spoiled
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + film.get_absolute_url())
    page.get_by_role("button", name="I’ve seen it").click()
    expect(page.get_by_role("button", name="Mark as not seen")).to_be_visible()
    page.goto(f"{live_server.url}/discussions/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.goto(live_server.url + film.get_absolute_url())
    page.get_by_role("button", name="Mark as not seen").click()
    page.goto(f"{live_server.url}/discussions/")
    expect(_title_row(page)).to_have_count(1)
    context.close()


def test_the_unreleased_sequel_has_no_seen_button(page, live_server, spoiled):
    page.goto(f"{live_server.url}/films/sequel/")
    expect(page.get_by_text("Not released yet: discussions that give")).to_be_visible()
    expect(page.get_by_role("button", name="I’ve seen it")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 360])
def test_spoiler_pages_at_desktop_and_phone_width(page, live_server, spoiled, screenshot, width):
    film, talk = spoiled
    thread = talk.__class__.objects.get(title=TITLE)
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in [
        ("index", "/discussions/"),
        ("marked-thread", thread.get_absolute_url()),
        ("comment", talk.get_absolute_url()),
        ("film", film.get_absolute_url()),
    ]:
        page.goto(live_server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} scrolls sideways at {width}px"
        screenshot(f"spoilers-{name}-{width}")


def _signed_in(browser, live_server, user, **options):
    """A browser context holding a session of the user's, as signing in would leave."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def test_a_member_marks_a_new_discussion_and_a_reader_who_has_not_seen_it_is_spared(
    browser, live_server, spoiled
):
    film, _ = spoiled
    writer = _signed_in(browser, live_server, make_user(), viewport={"width": 360, "height": 800})
    page = writer.new_page()
    page.goto(f"{live_server.url}/discussions/new/film/{film.slug}/")
    page.get_by_label("Title").fill("The glue was Heather's")
    page.get_by_label("First comment").fill("She invented it, not Romy.")
    select = page.get_by_label("Contains spoilers for")
    expect(select.locator("option").nth(1)).to_have_text(f"{film.title} (1997)")  # Its own film.
    select.select_option(label=f"{film.title} (1997)")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "spoilers-start-form-360.png"), full_page=True)
    page.get_by_role("button", name="Start the discussion").click()
    expect(page.get_by_role("heading", name="The glue was Heather's")).to_be_visible()
    writer.close()

    reader = _signed_in(browser, live_server, make_user())
    page = reader.new_page()
    page.goto(f"{live_server.url}/discussions/")
    expect(page.get_by_role("link", name="The glue was Heather's")).to_have_count(0)
    expect(_title_row(page)).to_have_count(2)
    reader.close()
