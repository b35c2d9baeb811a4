"""The editor's desk: the sequel article entered through the admin as an editor would, from the
seed text, with what it reports for the tracker and the timeline, read in the live preview, saved
as a draft, then published backdated to 9 February 2024; readers, feeds and the revision list
then tell the truth.

The test counts what the editor had to do from the admin's index to the published post, and
prints it (run with -s, or read the captured output): a click is a click on a button, link,
autocomplete box or option, a select counts two (open, pick), a file counts one click (Choose
file) and one typed field; every text box typed into is a typed field.

The article is read at run time through the seed_article fixture (tests/conftest.py), from
../shared/seed/sequel-article.txt; it is not copied here, and without it the test is skipped.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from films.models import Credit, ReturnStatus
from news.models import Post
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_comments import sign_in
from tests.e2e.test_news_editor import featured_png, site_with_media  # noqa: F401 (fixtures)
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_sequel,
    make_staff,
)

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Romy and Michele sequel is “full force ahead”"
SEQUEL = "Untitled Romy and Michele sequel"
ORIGINAL = "Romy and Michele's High School Reunion"
CAST = [  # (actor, character) of the 1997 film the article names
    ("Mira Sorvino", "Romy White"),
    ("Lisa Kudrow", "Michele Weinberger"),
    ("Janeane Garofalo", "Heather Mooney"),
    ("Alan Cumming", "Sandy Frink"),
    ("Justin Theroux", "the Cowboy"),
]
SUGGESTED = [  # (field, kind, label) of what the seed body names
    ("films", "film", f"{ORIGINAL} (1997)"),
    ("people", "person", "Robin Schiff"),
    ("people", "person", "Alan Cumming"),
]
CHOSEN_PEOPLE = ["Mira Sorvino", "Lisa Kudrow"]
PEOPLE = ["Robin Schiff", "Alan Cumming", *CHOSEN_PEOPLE]
CHARACTERS = ["Romy White", "Michele Weinberger", "Sandy Frink"]
SUMMARY = "Robin Schiff finishing a draft of the script for the studio"


class Desk:
    """The editor's hands: every click and typed field goes through here and is counted."""

    def __init__(self, page: Page):
        self.page = page
        self.clicks = 0
        self.typed = 0

    def click(self, target: Locator) -> None:
        target.click()
        self.clicks += 1

    def fill(self, target: Locator, text: str) -> None:
        target.fill(text)
        self.typed += 1

    def type(self, target: Locator, text: str) -> None:
        """Typed key by key, for fields whose scripts follow the keys (the slug)."""
        target.press_sequentially(text)
        self.typed += 1

    def select(self, target: Locator, label: str) -> None:
        target.select_option(label=label)
        self.clicks += 2

    def attach(self, target: Locator, path: Path) -> None:
        target.set_input_files(path)
        self.clicks += 1
        self.typed += 1

    def choose(self, field: str, label: str) -> None:
        """Pick a related row in the admin's autocomplete: its search box, a word, the row."""
        search = self.page.locator(f"#id_{field} + .select2 .select2-search__field")
        self.click(search)
        self.fill(search, label.split()[0])
        self.click(self.page.locator(".select2-results__option", has_text=label))

    def relate(self, field: str, kind: str, label: str) -> None:
        """Relate something the body names from the live suggestions: one click."""
        self.click(self.page.get_by_role("button", name=f"Relate {label} ({kind})", exact=True))
        expect(self.page.locator(f"#id_{field} option:checked", has_text=label)).to_have_count(1)


@pytest.fixture
def sequel_cast():
    """The 1997 film, its sequel in development, the article's people; Alan Cumming is credited
    as Sandy Frink on the sequel with no news yet, as before the A.V. Club interview."""
    original = make_film(title=ORIGINAL, slug="romy-and-michele")
    sequel = make_sequel(original, title=SEQUEL, slug="romy-and-michele-sequel")
    for billing, (actor, character) in enumerate(CAST, start=1):
        person = make_person(name=actor, slug=actor.lower().replace(" ", "-"))
        role = make_character(name=character, slug=character.lower().replace(" ", "-"))
        make_credit(film=original, person=person, character=role, billing=billing)
        if actor == "Alan Cumming":
            make_credit(film=sequel, person=person, character=role, billing=billing)
    make_person(name="Robin Schiff", slug="robin-schiff")
    return sequel


def test_editor_enters_publishes_and_reports_the_sequel_article_from_one_page(
    page,
    live_server,
    site_with_media,  # noqa: F811
    featured_png,  # noqa: F811
    screenshot,
    csp_errors,
    seed_article,
    sequel_cast,
    record_property,
):
    article = seed_article
    sequel = sequel_cast
    editor = make_staff(email="editor@example.com", display_name="Editor Ann")

    # Signing in is the site's, not the desk's: not counted.
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/")

    desk = Desk(page)
    desk.click(page.locator("a.addlink[href$='/news/post/add/']").first)
    desk.type(page.get_by_label("Title:"), TITLE)
    expect(page.get_by_label("Slug:")).to_have_value("romy-and-michele-sequel-is-full-force-ahead")
    desk.fill(page.get_by_label("Standfirst:"), article["standfirst"])
    desk.fill(page.get_by_label("Body:"), article["body"])
    # The live preview renders the body as the public page will, before any save.
    expect(page.locator(".post-preview__body")).to_contain_text("full force ahead")
    expect(page.locator(".post-preview__title")).to_have_text(TITLE)
    # Backdated as a draft first: typed, not the "Today"/"Now" shortcuts.
    desk.fill(page.locator("#id_published_at_0"), "2024-02-09")
    desk.fill(page.locator("#id_published_at_1"), "09:00:00")
    line = page.locator(".publishing-line")
    expect(line).to_contain_text(
        "Draft: only editors see it. Publishing it keeps its date, 9 February 2024."
    )
    desk.attach(page.locator("#id_featured_image"), featured_png)
    expect(page.locator(".post-image-preview")).to_be_visible()
    desk.fill(page.get_by_label("Image alt text:"), "A yellow square and a pink circle on violet.")
    desk.fill(page.get_by_label("Image caption:"), "Romy and Michele are coming back.")
    desk.fill(page.get_by_label("Image credit:"), article["image_credit"])
    # What the body names is suggested before the first save, a click each; the sequel's
    # working title, the people the standfirst names and the characters are chosen.
    for field, kind, label in SUGGESTED:
        desk.relate(field, kind, label)
    desk.choose("films", SEQUEL)
    for name in CHOSEN_PEOPLE:
        desk.choose("people", name)
    for name in CHARACTERS:
        desk.choose("characters", name)
    desk.fill(page.locator("#id_sources-0-outlet"), "Us Weekly")
    desk.fill(page.locator("#id_sources-0-url"), "https://www.usmagazine.com/")
    desk.fill(page.locator("#id_sources-0-reported"), "Mira Sorvino on the sequel")
    desk.fill(page.locator("#id_sources-1-outlet"), "The A.V. Club")
    desk.fill(page.locator("#id_sources-1-url"), "https://www.avclub.com/")
    desk.fill(page.locator("#id_sources-1-reported"), "Alan Cumming on playing Sandy again")

    # What the post reports, on the same page: the reported date and the event's date default
    # to the post's publication date; the event's film to the sequel.
    changes = page.locator("#creditstatuschange_reports-group")
    desk.select(
        changes.locator("select[name$='-0-credit']"),
        f"Alan Cumming – Sandy Frink ({SEQUEL})",
    )
    desk.select(changes.locator("select[name$='-0-status']"), "Expressed interest")
    events = page.locator("#productionevent_reports-group")
    expect(events.locator("select[name$='-0-film'] option:checked")).to_have_text(SEQUEL)
    desk.fill(events.locator("input[name$='-0-summary']"), SUMMARY)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for group in (changes, events):
        assert group.evaluate("g => g.querySelector('table').offsetWidth <= g.clientWidth")
    screenshot("editor-desk-add")
    desk.click(page.get_by_role("button", name="Save and continue editing").first)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    post = Post.objects.get()
    alan = Credit.objects.get(film=sequel, person__name="Alan Cumming")
    assert (alan.status, alan.source_post) == (ReturnStatus.EXPRESSED_INTEREST, post)
    screenshot("editor-desk-draft")

    # Published as of its own date: the form says so before saving.
    desk.select(page.get_by_label("Status:"), "Published")
    expect(page.locator(".publishing-line")).to_contain_text(
        "Will be published as of 9 February 2024, backdated"
    )
    desk.click(page.locator("input[name=_save]").first)
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    record_property("editor_desk_clicks", desk.clicks)
    record_property("editor_desk_typed", desk.typed)
    print(f"editor desk: {desk.clicks} clicks, {desk.typed} typed fields")

    post.refresh_from_db()
    assert post.is_published()
    assert set(post.people.values_list("name", flat=True)) == set(PEOPLE)
    assert post.sources.count() == 2
    # Saved twice, reported once: the second save left the report rows as they were.
    assert alan.status_changes.count() == 1
    assert sequel.production_events.get().source_post == post

    # The public post: backdated, and no "Updated" line.
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    byline = page.locator(".news-article__meta")
    expect(byline).to_contain_text("Published 9 February 2024")
    expect(byline).not_to_contain_text("Updated")
    expect(page.locator(".news-sources")).to_contain_text("The A.V. Club")
    screenshot("editor-desk-post")

    # The sequel page: Alan Cumming's new status citing the post, the event on the timeline.
    page.goto(f"{live_server.url}{sequel.get_absolute_url()}")
    row = page.locator(".returning__row", has_text="Alan Cumming")
    expect(row.locator(".returning__status")).to_contain_text("Expressed interest")
    expect(row.get_by_role("link", name=TITLE)).to_have_attribute("href", post.get_absolute_url())
    timeline = page.locator(".timeline__event", has_text=SUMMARY)
    expect(timeline).to_contain_text("9 Feb 2024")
    expect(timeline.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot("editor-desk-sequel")

    # The feeds carry it with its 2024 date.
    rss = page.request.get(f"{live_server.url}/news/feed/").text()
    assert TITLE.replace("“", "&#8220;") in rss or TITLE in rss
    assert "Fri, 09 Feb 2024" in rss
    atom = page.request.get(f"{live_server.url}/news/atom/").text()
    assert "<published>2024-02-09" in atom or "<updated>2024-02-09" in atom

    # The revision list: both saves, by the editor.
    page.goto(f"{live_server.url}/admin/news/post/{post.pk}/history/")
    history = page.locator("#change-history tbody tr")
    expect(history).to_have_count(2)
    by = re.compile(f"{re.escape(editor.username)}|{re.escape(editor.display_name)}")
    expect(page.locator("#change-history tbody tr").first).to_contain_text(by)
    expect(page.locator("#change-history tbody tr").last).to_contain_text(by)
    screenshot("editor-desk-history")

    # On a phone the report rows scroll inside their table, as the admin's tables do.
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/admin/news/post/{post.pk}/change/")
    expect(page.locator("#creditstatuschange_reports-group")).to_contain_text("Alan Cumming")
    reports = page.locator(".news-reports").first
    reports.screenshot(path=str(SCREENSHOTS / "editor-desk-reports-360.png"))
    assert csp_errors == []
