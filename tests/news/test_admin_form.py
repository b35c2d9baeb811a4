"""The post form in the admin (issue 11): live preview, suggested links and their dismissal,
removals that unlink a name, field widths."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from news.admin_views import MAX_PREVIEW_CHARS
from news.models import Post
from news.services import post_dismiss_suggestions
from tests.factories import (
    make_character,
    make_editor,
    make_film,
    make_person,
    make_post,
    make_user,
)
from tests.news.test_admin import ADD_URL, _change_data, _change_url, _form_data

pytestmark = pytest.mark.django_db

PREVIEW_URL = reverse("admin:news_post_preview")
STATIC = Path(settings.BASE_DIR) / "static" / "news" / "admin"


def _dismiss_url(post: Post) -> str:
    return reverse("admin:news_post_dismiss_suggestion", args=[post.pk])


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def _preview(client: Client, **data) -> dict:
    response = client.post(PREVIEW_URL, data)
    assert response.status_code == 200, response.content
    return response.json()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The preview endpoint


def test_preview_renders_the_body_as_the_public_page_does(editor_client):
    film = make_film(title="Romy and Michele's High School Reunion")
    person = make_person(name="Alan Cumming")
    body = "## Back\n\nAlan Cumming is in *Romy and Michele's High School Reunion*. Cumming too."
    post = make_post(body=body)
    post.films.add(film)
    post.people.add(person)
    post.save()

    answer = _preview(editor_client, body=body, films=[film.pk], people=[person.pk])

    assert answer["html"] == post.body_html
    assert f'<a class="entity-link" href="{person.get_absolute_url()}">' in answer["html"]


def test_preview_of_a_script_comes_back_as_text(editor_client):
    answer = _preview(
        editor_client, body='Hello <script>alert("x")</script> <img src=x onerror=alert(1)>'
    )

    assert "<script" not in answer["html"]
    assert "<img" not in answer["html"]
    assert "&lt;script&gt;" in answer["html"]


def test_preview_drops_images_from_elsewhere(editor_client):
    answer = _preview(editor_client, body="![pixel](https://tracker.example/p.gif)")

    assert "tracker.example" not in answer["html"]


def test_preview_refuses_anonymous_visitors(client):
    response = client.post(PREVIEW_URL, {"body": "Hi"})

    assert response.status_code == 403
    assert "error" in response.json()


def test_preview_refuses_members_who_are_not_staff(user_client):
    response = user_client.post(PREVIEW_URL, {"body": "Hi"})

    assert response.status_code == 403


def test_preview_refuses_staff_without_news_permissions(client):
    moderator = make_user(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="change_comment"))
    client.force_login(moderator)

    response = client.post(PREVIEW_URL, {"body": "Hi"})

    assert response.status_code == 403
    assert response.json() == {"error": "You may not write news posts."}


def test_preview_lets_staff_who_may_only_add_posts_in(client):
    writer = make_user(is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="add_post"))
    client.force_login(writer)

    assert client.post(PREVIEW_URL, {"body": "Hi"}).status_code == 200


def test_preview_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())

    refused = client.post(PREVIEW_URL, {"body": "Hi"})
    client.get(ADD_URL)  # sets the CSRF cookie, as the form page does for editor.js
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(PREVIEW_URL, {"body": "Hi"}, headers={"X-CSRFToken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 200


def test_preview_is_post_only(editor_client):
    assert editor_client.get(PREVIEW_URL, {"body": "Hi"}).status_code == 405


def test_preview_refuses_a_body_over_the_limit(editor_client):
    response = editor_client.post(PREVIEW_URL, {"body": "a" * (MAX_PREVIEW_CHARS + 1)})

    assert response.status_code == 413
    assert "too long to preview" in response.json()["error"]


@pytest.mark.parametrize(
    "data", [{"people": ["twelve"]}, {"dismissed": "person:1 <script>"}, {"was_related": "user:1"}]
)
def test_preview_refuses_malformed_choices(editor_client, data):
    response = editor_client.post(PREVIEW_URL, {"body": "Hi", **data})

    assert response.status_code == 400
    assert response.json()["error"]


def test_preview_queries_do_not_grow_with_the_items_chosen(
    editor_client, django_assert_max_num_queries
):
    """Guards the preview against a query per related film or person chosen."""
    people = [make_person() for _ in range(6)]
    films = [make_film() for _ in range(4)]
    body = " ".join(person.name for person in people) + " " + " ".join(f.title for f in films)

    # Session, user, groups' permissions; chosen films, people; all films, people, characters.
    with django_assert_max_num_queries(9):
        answer = _preview(
            editor_client,
            body=body,
            films=[f.pk for f in films],
            people=[p.pk for p in people],
        )

    assert answer["html"].count("entity-link") == 10


# Suggested links before the first save


def test_preview_suggests_what_the_body_names_before_the_first_save(editor_client):
    film = make_film(title="Romy and Michele's High School Reunion")
    sorvino = make_person(name="Mira Sorvino")
    kudrow = make_person(name="Lisa Kudrow")
    sandy = make_character(name="Sandy Frink")
    make_person(name="Janeane Garofalo")  # not named

    answer = _preview(
        editor_client,
        body="Mira Sorvino, Lisa Kudrow: Romy and Michele's High School Reunion; Sandy Frink too.",
        people=[kudrow.pk],
    )

    assert [(s["key"], s["field"], s["text"]) for s in answer["suggestions"]] == [
        (f"film:{film.pk}", "films", str(film)),
        (f"person:{sorvino.pk}", "people", "Mira Sorvino"),
        (f"character:{sandy.pk}", "characters", "Sandy Frink"),
    ]
    assert not any(s["removed"] for s in answer["suggestions"])


def test_preview_leaves_dismissed_suggestions_out(editor_client):
    sorvino = make_person(name="Mira Sorvino")
    kudrow = make_person(name="Lisa Kudrow")

    answer = _preview(
        editor_client, body="Mira Sorvino and Lisa Kudrow.", dismissed=f"person:{sorvino.pk}"
    )

    assert [s["key"] for s in answer["suggestions"]] == [f"person:{kudrow.pk}"]


def test_preview_marks_a_removed_item_the_body_names(editor_client):
    cumming = make_person(name="Alan Cumming")

    answer = _preview(
        editor_client, body="Alan Cumming would be in.", was_related=f"person:{cumming.pk}"
    )

    assert answer["suggestions"] == [
        {
            "key": f"person:{cumming.pk}",
            "field": "people",
            "value": str(cumming.pk),
            "text": "Alan Cumming",
            "kind": "person",
            "removed": True,
        }
    ]


# Dismissing for good


def test_dismissing_a_saved_posts_suggestion_stores_it(editor_client):
    sorvino = make_person(name="Mira Sorvino")
    post = make_post(body="Mira Sorvino spoke.")

    first = editor_client.post(_dismiss_url(post), {"key": f"person:{sorvino.pk}"})
    again = editor_client.post(_dismiss_url(post), {"key": f"person:{sorvino.pk}"})

    assert first.status_code == again.status_code == 200
    post.refresh_from_db()
    assert post.dismissed_suggestions == [f"person:{sorvino.pk}"]
    assert post.unrelated_mentions() == []


def test_dismissing_refuses_a_malformed_key(editor_client):
    post = make_post()

    response = editor_client.post(_dismiss_url(post), {"key": "person:1; drop"})

    assert response.status_code == 400
    post.refresh_from_db()
    assert post.dismissed_suggestions == []


def test_dismissing_needs_the_change_permission(client):
    writer = make_user(is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="add_post"))
    client.force_login(writer)
    post = make_post()

    response = client.post(_dismiss_url(post), {"key": "person:1"})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.dismissed_suggestions == []


def test_dismissing_refuses_non_staff(user_client):
    post = make_post()

    assert user_client.post(_dismiss_url(post), {"key": "person:1"}).status_code == 403


def test_dismissing_for_a_missing_post_is_404(editor_client):
    assert (
        editor_client.post(
            "/admin/news/post/999999/dismiss-suggestion/", {"key": "person:1"}
        ).status_code
        == 404
    )


def test_dismiss_service_keeps_earlier_keys_once_each():
    post = make_post(dismissed_suggestions=["film:3"])

    kept = post_dismiss_suggestions(post=post, keys=["person:1", "film:3", "person:1"])

    assert kept == ["film:3", "person:1"]
    post.refresh_from_db()
    assert post.dismissed_suggestions == ["film:3", "person:1"]


def test_change_form_no_longer_repeats_a_dismissed_name(editor_client):
    sorvino = make_person(name="Mira Sorvino")
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Mira Sorvino spoke. Alan Cumming would be in.")
    post_dismiss_suggestions(post=post, keys=[f"person:{sorvino.pk}"])

    form_page = editor_client.get(_change_url(post))
    response = editor_client.post(_change_url(post), _change_data(post))

    choices = dict(form_page.context["adminform"].form.fields["suggested"].choices)
    assert choices == {f"person:{cumming.pk}": "Alan Cumming (person)"}
    [message] = [message for message in _messages(response) if "without relating" in message]
    assert "Alan Cumming" in message
    assert "Mira Sorvino" not in message


def test_a_new_posts_dismissals_are_stored_when_it_is_saved(editor_client):
    sorvino = make_person(name="Mira Sorvino")
    data = _form_data(body="Mira Sorvino talks about the sequel.", dismissed=f"person:{sorvino.pk}")

    response = editor_client.post(ADD_URL, data)

    post = Post.objects.get()
    assert post.dismissed_suggestions == [f"person:{sorvino.pk}"]
    assert not any("Mira Sorvino" in message for message in _messages(response))
    assert response["Location"] == reverse("admin:news_post_changelist")


def test_the_form_refuses_malformed_dismissals(editor_client):
    response = editor_client.post(ADD_URL, _form_data(dismissed="person:1 admin"))

    assert "dismissed" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_the_form_carries_the_posts_dismissals(editor_client):
    post = make_post(dismissed_suggestions=["person:4", "film:2"])

    response = editor_client.get(_change_url(post))

    assertContains(response, 'name="dismissed" value="person:4 film:2"')
    assertContains(response, f'data-dismiss-url="{_dismiss_url(post)}"')
    assertContains(response, f'data-preview-url="{PREVIEW_URL}"')


# Removals that unlink a name


def test_removing_a_named_person_from_a_published_post_warns(editor_client):
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Alan Cumming would be in.")
    post.people.add(cumming)

    response = editor_client.post(_change_url(post), _change_data(post, people=[]))

    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "Alan Cumming (person) no longer related" in warnings[0]
    assert "lost their link" in warnings[0]


def test_removing_an_unnamed_person_does_not_warn(editor_client):
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Nobody named here.")
    post.people.add(cumming)

    response = editor_client.post(_change_url(post), _change_data(post, people=[]))

    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_removing_a_named_person_from_a_draft_only_suggests_them_again(editor_client):
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Alan Cumming would be in.", published=False)
    post.people.add(cumming)

    response = editor_client.post(_change_url(post), _change_data(post, people=[]))

    levels = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert "warning" not in levels
    assert "Alan Cumming" in levels["info"]


def test_removing_a_dismissed_person_does_not_warn(editor_client):
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Alan Cumming would be in.", dismissed_suggestions=[])
    post.people.add(cumming)
    key = f"person:{cumming.pk}"

    response = editor_client.post(_change_url(post), _change_data(post, people=[], dismissed=key))

    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


# Widths, counters and the page's policy


def test_title_and_autocomplete_boxes_are_sized_for_long_names(editor_client):
    response = editor_client.get(ADD_URL)

    form = response.context["adminform"].form
    title = form["title"].as_widget()
    assert 'class="vTextField post-form__wide"' in title
    assert 'maxlength="200"' in title and 'data-recommended="100"' in title
    assert 'maxlength="300"' in form["standfirst"].as_widget()
    css = (STATIC / "editor.css").read_text()
    assert ".aligned .form-row .post-form__wide" in css
    assert ".field-films .select2-container" in css
    assertContains(response, "news/admin/editor.css")
    assertContains(response, "news/admin/editor.js")


def test_only_the_post_form_allows_blob_images(editor_client, client):
    form_policy = editor_client.get(ADD_URL)["Content-Security-Policy"]
    home_policy = Client().get("/")["Content-Security-Policy"]

    assert "img-src 'self' data: blob:" in form_policy
    assert "script-src 'self'" in form_policy
    assert "blob:" not in home_policy


def test_preview_answer_is_json(editor_client):
    response = editor_client.post(PREVIEW_URL, {"body": "Hi"})

    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["html"] == "<p>Hi</p>"
