"""An editor types a post in the admin: counters, the live preview, suggested links (relate,
dismiss, a removal caught) and the featured image's preview before saving."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from PIL import Image
from playwright.sync_api import expect

from news.models import Post
from tests.factories import make_film, make_person, make_post, make_user

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "Mira Sorvino says a sequel to Romy and Michele's High School Reunion is coming.\n\n"
    "## Who else\n\nAlan Cumming would be in. <script>document.title = 'owned'</script>"
)


@pytest.fixture
def still(tmp_path) -> Path:
    target = tmp_path / "still.png"
    Image.new("RGB", (640, 360), (123, 45, 142)).save(target)
    return target


@pytest.fixture
def signed_in_editor(page, live_server, client):
    """An editor of the Editors group (not a superuser), signed in in the browser."""
    # The flush between browser tests drops the group the migrations made (serialized_rollback
    # would bring it back, but leaves the next tests without content types): make it again.
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["news", "films"]))
    editor = make_user(is_staff=True)
    editor.groups.add(group)
    client.force_login(editor)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return editor


def test_editor_previews_relates_dismisses_and_sees_the_image(
    page, live_server, signed_in_editor, still, screenshot, csp_errors
):
    film = make_film(title="Romy and Michele's High School Reunion")
    sorvino = make_person(name="Mira Sorvino")
    cumming = make_person(name="Alan Cumming")

    page.goto(f"{live_server.url}/admin/news/post/add/")
    title = page.get_by_label("Title:")
    title.press_sequentially("Romy and Michele sequel")
    expect(page.locator("#id_title_counter")).to_have_text("23/200")
    title.fill("A" * 101)
    expect(page.locator("#id_title_counter")).to_contain_text("longer than the 100 recommended")
    title.fill("Romy and Michele sequel is “full force ahead”")
    expect(page.locator("#id_title_counter")).to_have_text("45/200")

    page.get_by_label("Body:").fill(BODY)
    preview = page.locator(".post-preview__body")
    expect(preview.get_by_role("heading", name="Who else")).to_be_visible()
    expect(preview).to_contain_text("<script>document.title = 'owned'</script>")
    expect(page.locator(".post-preview__title")).to_have_text(
        "Romy and Michele sequel is “full force ahead”"
    )
    suggestions = page.locator("#post-suggestions")
    expect(suggestions).to_contain_text("Alan Cumming (person)")
    expect(suggestions).to_contain_text(f"{film} (film)")

    # Relate: the person joins the autocomplete box and the preview links the name.
    page.get_by_role("button", name="Relate Mira Sorvino (person)").click()
    expect(page.locator(".field-people .select2-selection__choice")).to_contain_text("Mira Sorvino")
    expect(preview.get_by_role("link", name="Mira Sorvino")).to_have_attribute(
        "href", sorvino.get_absolute_url()
    )
    expect(suggestions).not_to_contain_text("Mira Sorvino")

    # Dismiss: gone from the panel, carried by the form to be stored at save.
    page.get_by_role("button", name="Dismiss Alan Cumming (person)").click()
    expect(suggestions).not_to_contain_text("Alan Cumming")
    expect(page.locator("#id_dismissed")).to_have_value(f"person:{cumming.pk}")
    # Keyboard focus stays in the panel, on what is left.
    expect(page.get_by_role("button", name=f"Relate {film} (film)")).to_be_focused()

    # A mis-click removing her shows at once.
    page.locator(".field-people .select2-selection__choice__remove").click()
    page.keyboard.press("Escape")
    removed = suggestions.locator(".post-suggestion--removed")
    expect(removed).to_contain_text("Mira Sorvino (person)")
    expect(removed).to_contain_text("removed, but named in the body")
    page.get_by_role("button", name="Relate Mira Sorvino (person)").click()
    expect(removed).to_have_count(0)

    # The featured image, before it is uploaded.
    page.locator("#id_featured_image").set_input_files(still)
    picked = page.locator(".post-image-preview__image")
    expect(picked).to_have_attribute("src", re.compile(r"^blob:"))
    expect(picked).to_have_js_property("complete", True)
    assert picked.evaluate("img => img.naturalWidth") == 640
    page.get_by_label("Image alt text:").fill("A violet still")
    expect(picked).to_have_attribute("alt", "A violet still")
    expect(page.locator(".post-image-preview__caption")).to_contain_text("A violet still")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot("news-admin-post-form-1280")
    page.set_viewport_size({"width": 360, "height": 780})
    screenshot("news-admin-post-form-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    post = Post.objects.get()
    assert post.dismissed_suggestions == [f"person:{cumming.pk}"]
    assert list(post.people.all()) == [sorvino]
    assert "owned" not in page.title()
    assert csp_errors == []


def test_a_saved_posts_suggestion_dismissed_stays_dismissed(
    page, live_server, signed_in_editor, csp_errors
):
    cumming = make_person(name="Alan Cumming")
    make_person(name="Lisa Kudrow")
    post = make_post(body="Alan Cumming and Lisa Kudrow would be in.")
    change_url = f"{live_server.url}/admin/news/post/{post.pk}/change/"

    page.goto(change_url)
    suggestions = page.locator("#post-suggestions")
    expect(suggestions).to_contain_text("Alan Cumming (person)")
    # The no-script checkboxes give way to the panel.
    expect(page.locator(".field-suggested")).to_be_hidden()
    page.get_by_role("button", name="Dismiss Alan Cumming (person)").click()
    expect(page.locator(".post-preview__status")).to_contain_text(
        "will not be suggested again for this post"
    )

    # Stored at once, without saving the form.
    post.refresh_from_db()
    assert post.dismissed_suggestions == [f"person:{cumming.pk}"]
    page.goto(change_url)
    expect(suggestions).to_contain_text("Lisa Kudrow (person)")
    expect(suggestions).not_to_contain_text("Alan Cumming")
    assert csp_errors == []
