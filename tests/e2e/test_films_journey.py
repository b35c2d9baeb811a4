"""A fan goes film -> full cast -> person -> character -> sequel, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from films.demo import seed_films

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_films(live_server):
    seed_films()


@pytest.mark.parametrize("width", [1280, 360])
def test_fan_walks_from_the_film_to_the_sequel(
    page, live_server, demo_films, screenshot, csp_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/films/")
    screenshot(f"films-index-{width}")
    page.get_by_role("link", name="Romy and Michele's High School Reunion", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("High School Reunion")
    expect(page.get_by_role("heading", name="Top cast")).to_be_visible()
    screenshot(f"films-film-{width}")
    page.get_by_role("link", name="Full cast and crew").click()

    expect(page.get_by_role("heading", name="Full cast and crew")).to_be_visible()
    expect(page.locator(".credit-list__item")).to_have_count(11)
    screenshot(f"films-cast-{width}")
    page.get_by_role("link", name="Alan Cumming").click()

    expect(page.get_by_role("heading", name="Alan Cumming", level=1)).to_be_visible()
    expect(page.get_by_text("Expressed interest")).to_be_visible()
    screenshot(f"films-person-{width}")
    page.get_by_role("link", name="Sandy Frink").first.click()

    expect(page.get_by_role("heading", name="Sandy Frink", level=1)).to_be_visible()
    screenshot(f"films-character-{width}")
    page.get_by_role("link", name="Untitled Romy and Michele sequel").first.click()

    expect(page.get_by_role("heading", name="Who is returning")).to_be_visible()
    returning = page.locator(".returning__row")
    expect(returning).to_have_count(9)
    expect(returning.filter(has_text="Romy White")).to_contain_text("Confirmed")
    expect(returning.filter(has_text="Heather Mooney")).to_contain_text("No news yet")
    expect(page.get_by_role("heading", name="Production timeline")).to_be_visible()
    screenshot(f"films-sequel-{width}")

    # Nothing is wider than the screen, and every picture has alt text or a label.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("img:not([alt])").count() == 0
    assert csp_errors == []


def test_home_page_shows_who_is_returning(page, live_server, demo_films, screenshot):
    page.goto(live_server.url)
    section = page.locator(".home-sequel")
    expect(section.get_by_role("heading", name="Who is returning")).to_be_visible()
    expect(section.locator(".returning__row").filter(has_text="Sandy Frink")).to_contain_text(
        "Expressed interest"
    )
    screenshot("films-home-1280")
