"""Spoilers scoped to a film, as writers and readers mark them: the "Contains spoilers for"
select of the thread and comment forms, the admin's, the seen button (members: a SeenFilm row;
anonymous visitors: a cookie, with its CSRF rule) and notification emails."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments import services
from comments.forms import CommentForm, ThreadForm
from comments.markdown import hide_spoilers
from comments.models import Comment, SeenFilm, Thread
from comments.spoilers import (
    SEEN_COOKIE,
    email_safe_body,
    email_safe_thread_title,
    film_seen_set,
)
from tests.factories import make_film, make_sequel, make_user, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def film(db):
    return make_film(title="The Reunion", release_date="1997-04-25")


@pytest.fixture
def member(client):
    user = make_user()
    client.force_login(user)
    return user


def _seen_url(film) -> str:
    return reverse("comments:film-seen", args=[film.pk])


# The forms ------------------------------------------------------------------------------------


def test_the_select_lists_the_discussions_own_film_first(film):
    make_film(title="An older film", release_date="1990-01-01")
    choices = [label for _, label in ThreadForm(own_film_id=film.pk).fields["spoilers_for"].choices]
    assert choices[:3] == ["No spoilers", "The Reunion (1997)", "An older film (1990)"]


def test_starting_a_discussion_about_a_film_can_mark_its_spoilers(client, member, film):
    url = reverse("comments:thread-new-about", args=["film", film.slug])
    form = client.get(url).content.decode()
    assert 'name="spoilers_for"' in form and "Contains spoilers for" in form
    response = client.post(url, {"title": "The ending", "body": "Wow.", "spoilers_for": film.pk})
    thread = Thread.objects.get(title="The ending")
    assert response.status_code == 302
    assert thread.spoilers_for == film


def test_a_discussion_started_without_a_mark_has_none(client, member, film):
    client.post(
        reverse("comments:thread-new"), {"title": "Hello", "body": "Hi.", "spoilers_for": ""}
    )
    assert Thread.objects.get(title="Hello").spoilers_for is None


def test_an_unknown_film_in_the_select_is_a_form_error_and_nothing_is_saved(client, member):
    response = client.post(
        reverse("comments:thread-new"), {"title": "Hello", "body": "Hi.", "spoilers_for": 999999}
    )
    assert response.status_code == 400
    assertContains(response, "Select a valid choice", status_code=400)
    assert not Thread.objects.filter(title="Hello").exists()


def test_a_comment_can_be_marked_as_giving_a_film_away(client, member, film):
    thread = start_thread(film=film)
    client.post(
        reverse("comments:comment-create", args=[thread.pk]),
        {"body": "Sandy is a billionaire.", "spoilers_for": film.pk},
    )
    assert Comment.objects.get(body="Sandy is a billionaire.").spoilers_for == film


def test_the_reply_form_starts_with_the_parents_mark(client, member, film):
    thread = start_thread(film=film)
    parent = services.comment_create(
        thread=thread, author=make_user(), body="The ending!", spoilers_for=film
    )
    form = client.get(reverse("comments:reply", args=[parent.pk])).context["form"]
    assert form["spoilers_for"].value() == film.pk


def test_a_reply_can_be_marked(client, member, film):
    thread = start_thread(film=film)
    parent = thread.comments.get()
    client.post(
        reverse("comments:reply", args=[parent.pk]), {"body": "Agreed.", "spoilers_for": film.pk}
    )
    assert Comment.objects.get(body="Agreed.").spoilers_for == film


def test_editing_a_comment_shows_and_changes_its_mark(client, member, film):
    thread = start_thread(film=film)
    comment = services.comment_create(thread=thread, author=member, body="Hmm", spoilers_for=film)
    url = reverse("comments:edit", args=[comment.pk])
    assert client.get(url).context["form"]["spoilers_for"].value() == film.pk
    client.post(url, {"body": "Hmm, edited", "spoilers_for": ""})
    comment.refresh_from_db()
    assert (comment.body, comment.spoilers_for) == ("Hmm, edited", None)


def test_comment_edit_service_keeps_the_mark_unless_told(film):
    comment = services.comment_create(
        thread=start_thread(), author=make_user(), body="Hmm", spoilers_for=film
    )
    services.comment_edit(comment=comment, body="Hmm, again")
    comment.refresh_from_db()
    assert comment.spoilers_for == film


def test_preview_ignores_the_select(client, member):
    response = client.post(
        reverse("comments:preview"), {"body": "Looks *good*", "spoilers_for": "junk"}
    )
    assertContains(response, "<em>good</em>")


def test_comment_form_field_order_keeps_the_text_first():
    assert list(CommentForm().fields) == ["body", "spoilers_for"]


# The admin ------------------------------------------------------------------------------------


def test_admin_lists_and_edits_a_threads_mark(staff_client, film):
    thread = start_thread(title="Sandy Frink")
    changelist = staff_client.get(reverse("admin:comments_thread_changelist"))
    assertContains(changelist, "spoilers_for")  # Its column and filter.
    url = reverse("admin:comments_thread_change", args=[thread.pk])
    data = {"title": thread.title, "starter": thread.starter_id, "spoilers_for": film.pk}
    assert staff_client.post(url, data).status_code == 302
    thread.refresh_from_db()
    assert thread.spoilers_for == film


def test_admin_corrects_a_comments_mark_through_the_service(
    staff_client, film, django_capture_on_commit_callbacks
):
    from comments.caching import thread_version

    comment = start_thread().comments.get()
    before = thread_version(comment.thread_id)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"spoilers_for": film.pk})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.spoilers_for == film
    assert thread_version(comment.thread_id) > before  # Its cached sections are retired.


# The seen button: members ---------------------------------------------------------------------


def test_a_member_marks_a_film_seen_and_not_seen_again(client, member, film):
    response = client.post(_seen_url(film), {"seen": "1", "next": "/discussions/"})
    assert response.status_code == 302 and response.url == "/discussions/"
    assert SeenFilm.objects.filter(user=member, film=film).exists()
    client.post(_seen_url(film), {"seen": "1"})  # Twice: the same state.
    assert SeenFilm.objects.filter(user=member).count() == 1
    response = client.post(_seen_url(film), {"seen": "0"})
    assert response.url == film.get_absolute_url()
    assert not SeenFilm.objects.filter(user=member).exists()
    assert SEEN_COOKIE not in response.cookies  # Members keep rows, not cookies.


def test_nobody_can_mark_an_unreleased_film_seen(client, member, film):
    sequel = make_sequel(film)
    response = client.post(_seen_url(sequel), {"seen": "1"})
    assertContains(response, "is not released yet", status_code=400)
    assert not SeenFilm.objects.exists()


def test_film_seen_service_refuses_an_unreleased_film(film):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        film_seen_set(user=make_user(), film=make_sequel(film), seen=True)


def test_an_unknown_film_is_404(client, member):
    assert (
        client.post(reverse("comments:film-seen", args=[999999]), {"seen": "1"}).status_code == 404
    )


def test_a_mark_that_says_neither_is_400(client, member, film):
    assertContains(client.post(_seen_url(film), {"seen": "maybe"}), "Say seen", status_code=400)


def test_a_members_mark_needs_the_csrf_token(film):
    client = Client(enforce_csrf_checks=True)
    user = make_user()
    client.force_login(user)
    response = client.post(_seen_url(film), {"seen": "1"}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    assert not SeenFilm.objects.exists()


def test_next_may_not_lead_off_the_site(client, member, film):
    response = client.post(_seen_url(film), {"seen": "1", "next": "https://evil.example/"})
    assert response.url == film.get_absolute_url()


# The seen button: anonymous visitors ----------------------------------------------------------


@pytest.fixture
def strict():
    """A client that checks CSRF as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def test_an_anonymous_visitor_marks_a_film_seen_in_a_cookie(strict, film):
    response = strict.post(_seen_url(film), {"seen": "1"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    cookie = response.cookies[SEEN_COOKIE]
    assert cookie.value == str(film.pk)
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) > 365 * 24 * 60 * 60
    assert not SeenFilm.objects.exists()


def test_an_origin_of_this_site_is_enough_without_fetch_metadata(strict, film):
    response = strict.post(_seen_url(film), {"seen": "1"}, HTTP_ORIGIN="http://testserver")
    assert response.cookies[SEEN_COOKIE].value == str(film.pk)


def test_marking_not_seen_takes_the_film_out_of_the_cookie(strict, film):
    other = make_film()
    strict.cookies[SEEN_COOKIE] = f"{film.pk}.{other.pk}"
    response = strict.post(_seen_url(film), {"seen": "0"}, HTTP_ORIGIN="http://testserver")
    assert response.cookies[SEEN_COOKIE].value == str(other.pk)


def test_another_sites_form_only_gets_a_confirmation_page(strict, film):
    response = strict.post(
        _seen_url(film),
        {"seen": "1"},
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )
    assertContains(response, "Have you seen The Reunion?")
    assertContains(response, "csrfmiddlewaretoken")
    assert SEEN_COOKIE not in response.cookies


def test_without_the_browsers_word_the_confirmation_form_marks_it(strict, film):
    response = strict.post(_seen_url(film), {"seen": "1"})  # No Origin, no Sec-Fetch-Site.
    assertContains(response, "Yes, I’ve seen it")
    assert SEEN_COOKIE not in response.cookies
    token = response.context["csrf_token"]
    response = strict.post(_seen_url(film), {"seen": "1", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert response.cookies[SEEN_COOKIE].value == str(film.pk)


def test_get_only_asks_and_writes_nothing(client, film):
    response = client.get(_seen_url(film))
    assertContains(response, "Have you seen The Reunion?")
    assert SEEN_COOKIE not in response.cookies


def test_an_anonymous_visitor_cannot_mark_the_unreleased_sequel_seen(strict, film):
    response = strict.post(
        _seen_url(make_sequel(film)), {"seen": "1"}, HTTP_ORIGIN="http://testserver"
    )
    assertContains(response, "is not released yet", status_code=400)
    assert SEEN_COOKIE not in response.cookies


def test_marking_seen_then_shows_the_spoiler_thread(client, film):
    start_thread(film=film, title="Romy marries Sandy", spoilers_for=film)
    client.post(_seen_url(film), {"seen": "1"}, HTTP_ORIGIN="http://testserver")
    response = client.get(reverse("comments:index"))
    assertContains(response, ">Romy marries Sandy</a>")
    assertNotContains(response, "spoiler-title")


# Email ----------------------------------------------------------------------------------------


def test_a_marked_comments_email_says_only_what_it_spoils(film):
    comment = services.comment_create(
        thread=start_thread(), author=make_user(), body="Sandy is rich", spoilers_for=film
    )
    assert email_safe_body(comment) == "This comment contains spoilers for The Reunion."
    assert email_safe_body(comment, recipient=make_user()) == (
        "This comment contains spoilers for The Reunion."
    )


def test_a_comment_in_a_marked_discussion_is_kept_out_of_email_too(film):
    thread = start_thread(film=film, spoilers_for=film)
    assert email_safe_body(thread.comments.get()) == (
        "This comment contains spoilers for The Reunion."
    )
    assert email_safe_thread_title(thread) == "a discussion with spoilers for The Reunion"


def test_a_recipient_who_has_seen_the_film_gets_the_text_with_inline_spoilers_hidden(film):
    reader = make_user()
    film_seen_set(user=reader, film=film, seen=True)
    comment = services.comment_create(
        thread=start_thread(), author=make_user(), body="It ends ||here||", spoilers_for=film
    )
    assert email_safe_body(comment, recipient=reader) == hide_spoilers("It ends ||here||")
    assert "here" not in email_safe_body(comment, recipient=reader)


def test_an_unmarked_comments_email_keeps_inline_spoilers_hidden():
    comment = services.comment_create(thread=start_thread(), author=make_user(), body="A ||b|| c")
    assert email_safe_body(comment) == "A [spoiler] c"
