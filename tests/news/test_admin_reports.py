"""The post's admin page records what the post reports: a credit's status, a timeline event."""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from comments import following
from comments.models import Notification, NotificationKind
from films.models import FilmStatus, ReturnStatus
from films.services import credit_set_status
from news.models import Post, PostStatus
from tests.factories import (
    make_character,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_sequel,
    make_user,
)
from tests.news.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CHANGES = "creditstatuschange_reports"
EVENTS = "productionevent_reports"
PUBLISHED = timezone.make_aware(datetime(2024, 2, 9, 9, 0))


@pytest.fixture
def sequel():
    original = make_film(title="Romy and Michele's High School Reunion", slug="romy-and-michele")
    return make_sequel(original, title="Romy and Michele 2", slug="romy-and-michele-2")


@pytest.fixture
def alan(sequel):
    """Alan Cumming as Sandy Frink in both films; on the sequel, no news yet."""
    person = make_person(name="Alan Cumming", slug="alan-cumming")
    sandy = make_character(name="Sandy Frink", slug="sandy-frink")
    make_credit(film=sequel.sequel_to, person=person, character=sandy, billing=4)
    return make_credit(film=sequel, person=person, character=sandy, billing=4)


@pytest.fixture
def post():
    return make_post(title="Full force ahead", published_at=PUBLISHED)


def _change_url(post: Post) -> str:
    return reverse("admin:news_post_change", args=[post.pk])


def _management(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data |= {f"{prefix}-{n}-{name}": value for name, value in row.items()}
    return data


def _post_data(post: Post, *, changes=(), events=(), initial_changes=0, initial_events=0) -> dict:
    """The change form as the editor submits it: the post as it is, plus report rows."""
    when = timezone.localtime(post.published_at)
    return {
        "title": post.title,
        "slug": post.slug,
        "standfirst": post.standfirst,
        "body": post.body,
        "status": post.status,
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:%S"),
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        **_management("sources", []),
        **_management(CHANGES, list(changes), initial_changes),
        **_management(EVENTS, list(events), initial_events),
        "_continue": "Save and continue editing",
    }


def _saved(response) -> None:
    """The form saved (a redirect), or the test shows the errors it did not save for."""
    if response.status_code != 302:
        context = response.context
        errors = [context["adminform"].form.errors] + [
            (formset.formset.errors, formset.formset.non_form_errors())
            for formset in context["inline_admin_formsets"]
        ]
        pytest.fail(f"not saved: {errors}")


def test_status_change_on_the_post_page_sets_the_credit_and_cites_the_post(
    staff_client, post, alan
):
    row = {"credit": alan.pk, "status": ReturnStatus.EXPRESSED_INTEREST, "reported_on": ""}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row])))

    alan.refresh_from_db()
    assert (alan.status, alan.source_post, alan.reported_on) == (
        ReturnStatus.EXPRESSED_INTEREST,
        post,
        date(2024, 2, 9),  # empty: the post's publication date
    )
    change = alan.status_changes.get()
    assert (change.status, change.source_post, change.reported_on) == (
        ReturnStatus.EXPRESSED_INTEREST,
        post,
        date(2024, 2, 9),
    )


def test_a_reported_date_typed_in_is_kept(staff_client, post, alan):
    row = {"credit": alan.pk, "status": ReturnStatus.IN_TALKS, "reported_on": "2023-07-14"}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row])))

    assert alan.status_changes.get().reported_on == date(2023, 7, 14)


def test_the_sequel_page_shows_the_new_status_at_once(staff_client, client, page_cache, post, alan):
    sequel = alan.film
    assertNotContains(client.get(sequel.get_absolute_url()), "Expressed interest")  # now cached

    row = {"credit": alan.pk, "status": ReturnStatus.EXPRESSED_INTEREST, "reported_on": ""}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row])))

    client.logout()
    page = client.get(sequel.get_absolute_url())
    assertContains(page, "Expressed interest")
    assertContains(page, post.get_absolute_url())


def test_the_credit_select_offers_films_still_to_come_labelled_with_role_and_film(
    staff_client, post, alan
):
    make_credit(film=alan.film.sequel_to, person=make_person(name="Lisa Kudrow"))
    response = staff_client.get(_change_url(post))

    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == CHANGES
    )
    labels = [label for value, label in formset.empty_form.fields["credit"].choices if value]
    assert labels == ["Alan Cumming – Sandy Frink (Romy and Michele 2)"]


def test_a_credit_on_a_released_film_is_refused_with_a_message(staff_client, post, alan):
    released = make_credit(film=alan.film.sequel_to)
    row = {"credit": released.pk, "status": ReturnStatus.CONFIRMED, "reported_on": ""}
    response = staff_client.post(_change_url(post), _post_data(post, changes=[row]))

    assert response.status_code == 200
    assertContains(response, "Only credits on films still to come have a status.")
    released.refresh_from_db()
    assert released.status == ""


def test_a_saved_change_is_read_only(staff_client, post, alan):
    credit_set_status(credit=alan, status=ReturnStatus.RUMOURED, source_post=post)
    change = alan.status_changes.get()
    row = {"id": change.pk, "source_post": post.pk, "credit": alan.pk,
           "status": ReturnStatus.CONFIRMED, "reported_on": "2020-01-01"}  # fmt: skip
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row], initial_changes=1)))

    change.refresh_from_db()
    alan.refresh_from_db()
    assert (change.status, alan.status) == (ReturnStatus.RUMOURED, ReturnStatus.RUMOURED)


def test_deleting_the_latest_change_puts_the_status_before_back(staff_client, post, alan):
    credit_set_status(credit=alan, status=ReturnStatus.RUMOURED, source_name="Us Weekly")
    credit_set_status(credit=alan, status=ReturnStatus.EXPRESSED_INTEREST, source_post=post)
    latest = alan.status_changes.latest()
    row = {"id": latest.pk, "source_post": post.pk, "DELETE": "on"}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row], initial_changes=1)))

    alan.refresh_from_db()
    assert (alan.status, alan.source_name, alan.source_post) == (
        ReturnStatus.RUMOURED,
        "Us Weekly",
        None,
    )
    assert alan.status_changes.count() == 1


def test_deleting_an_older_change_keeps_the_current_status(staff_client, post, alan):
    credit_set_status(credit=alan, status=ReturnStatus.RUMOURED, source_post=post)
    older = alan.status_changes.get()
    credit_set_status(credit=alan, status=ReturnStatus.CONFIRMED, source_name="Variety")
    row = {"id": older.pk, "source_post": post.pk, "DELETE": "on"}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row], initial_changes=1)))

    alan.refresh_from_db()
    assert (alan.status, alan.source_name) == (ReturnStatus.CONFIRMED, "Variety")
    assert alan.status_changes.count() == 1


def test_deleting_the_only_change_clears_the_status(staff_client, post, alan):
    credit_set_status(credit=alan, status=ReturnStatus.RUMOURED, source_post=post)
    row = {"id": alan.status_changes.get().pk, "source_post": post.pk, "DELETE": "on"}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row], initial_changes=1)))

    alan.refresh_from_db()
    assert (alan.status, alan.source_post) == ("", None)


def test_a_new_post_is_the_source_of_what_it_reports(staff_client, staff_user, alan):
    data = _post_data(
        Post(
            title="New",
            slug="new",
            body="Text.",
            status=PostStatus.PUBLISHED,
            published_at=PUBLISHED,
        ),  # fmt: skip
        changes=[{"credit": alan.pk, "status": ReturnStatus.CONFIRMED, "reported_on": ""}],
        events=[
            {"film": alan.film_id, "happened_on": "", "summary": "Script in progress", "status": ""}
        ],  # fmt: skip
    )
    data |= {"author": staff_user.pk, "_save": "Save"}
    data.pop("_continue")
    response = staff_client.post(reverse("admin:news_post_add"), data)

    assertRedirects(response, reverse("admin:news_post_changelist"))
    post = Post.objects.get(slug="new")
    alan.refresh_from_db()
    assert alan.source_post == post
    assert alan.film.production_events.get().source_post == post


def test_a_status_change_on_the_post_page_tells_followers(
    staff_client, post, alan, django_capture_on_commit_callbacks
):
    fan = make_user()
    following.follow_set(user=fan, subject=alan.person, following=True)
    row = {"credit": alan.pk, "status": ReturnStatus.EXPRESSED_INTEREST, "reported_on": ""}
    with django_capture_on_commit_callbacks(execute=True):
        _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row])))

    told = Notification.objects.filter(kind=NotificationKind.TRACKER, recipient=fan)
    assert told.get().status_change == alan.status_changes.get()


def test_saving_the_post_untouched_reports_nothing(staff_client, post, alan):
    """The empty rows as the page shows them (the event's film already the sequel) stay empty."""
    data = change_form_data(staff_client, post)
    _saved(staff_client.post(_change_url(post), data))

    assert not alan.status_changes.exists()
    assert not alan.film.production_events.exists()


# The production timeline ------------------------------------------------------------------------


def test_an_event_without_status_joins_the_timeline_and_leaves_the_film_alone(
    staff_client, post, sequel
):
    row = {"film": sequel.pk, "happened_on": "", "summary": "Script in progress", "status": ""}
    _saved(staff_client.post(_change_url(post), _post_data(post, events=[row])))

    event = sequel.production_events.get()
    assert (event.summary, event.happened_on, event.reported_on, event.source_post) == (
        "Script in progress",
        date(2024, 2, 9),
        date(2024, 2, 9),
        post,
    )
    sequel.refresh_from_db()
    assert sequel.status == FilmStatus.IN_DEVELOPMENT


def test_an_event_with_a_status_moves_the_film_on(staff_client, client, post, sequel):
    row = {"film": sequel.pk, "happened_on": "2024-02-09", "summary": "Cameras roll",
           "status": FilmStatus.FILMING}  # fmt: skip
    _saved(staff_client.post(_change_url(post), _post_data(post, events=[row])))

    sequel.refresh_from_db()
    assert sequel.status == FilmStatus.FILMING
    client.logout()
    page = client.get(sequel.get_absolute_url())
    assertContains(page, "Cameras roll")
    assertContains(page, "Filming")


def test_an_older_event_does_not_undo_a_later_status(staff_client, post, sequel):
    later = {"film": sequel.pk, "happened_on": "2024-06-01", "summary": "Cameras roll",
             "status": FilmStatus.FILMING}  # fmt: skip
    earlier = {"film": sequel.pk, "happened_on": "2024-01-01", "summary": "Greenlit",
               "status": FilmStatus.PRE_PRODUCTION}  # fmt: skip
    _saved(staff_client.post(_change_url(post), _post_data(post, events=[later, earlier])))

    sequel.refresh_from_db()
    assert sequel.status == FilmStatus.FILMING


def test_an_event_cannot_release_a_film_without_its_release_date(staff_client, post, sequel):
    row = {"film": sequel.pk, "happened_on": "", "summary": "Out now",
           "status": FilmStatus.RELEASED}  # fmt: skip
    response = staff_client.post(_change_url(post), _post_data(post, events=[row]))

    assertContains(response, "A released film needs its release date.")
    sequel.refresh_from_db()
    assert sequel.status == FilmStatus.IN_DEVELOPMENT
    assert not sequel.production_events.exists()


def test_the_event_row_offers_the_sequel_first(staff_client, post, sequel):
    response = staff_client.get(_change_url(post))

    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == EVENTS
    )
    field = formset.empty_form.fields["film"]
    assert field.initial == sequel.pk
    assert field.choices[1][0] == sequel.pk


# Who may ----------------------------------------------------------------------------------------


def _news_only_editor(client):
    """Staff who may edit posts but nothing of the films."""
    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="news", codename__endswith="_post")
    )
    client.force_login(user)
    return user


def test_editors_see_both_inlines(client, post):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)

    response = client.get(_change_url(post))

    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert {CHANGES, EVENTS} <= prefixes


def test_staff_without_film_permissions_see_neither_inline(client, post):
    _news_only_editor(client)

    response = client.get(_change_url(post))

    assert response.status_code == 200
    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert not {CHANGES, EVENTS} & prefixes


def test_staff_without_film_permissions_cannot_post_a_status_change(client, post, alan):
    _news_only_editor(client)
    row = {"credit": alan.pk, "status": ReturnStatus.CONFIRMED, "reported_on": ""}
    client.post(_change_url(post), _post_data(post, changes=[row]))

    alan.refresh_from_db()
    assert alan.status == ""


def _report(post: Post, sequel, n: int) -> None:
    credit = make_credit(film=sequel, billing=n + 1)
    credit_set_status(credit=credit, status=ReturnStatus.RUMOURED, source_post=post)
    sequel.production_events.create(
        source_post=post, happened_on=date(2024, 1, n + 1), summary=f"Step {n}"
    )


def test_change_page_queries_do_not_grow_with_reports(
    staff_client, post, sequel, django_assert_max_num_queries
):
    """Guards the report rows against an N+1: each row's credit, person, character and film,
    and the selects' choices, load once for all rows (20 queries with either count when
    written, the page's own included)."""
    _report(post, sequel, 0)
    with CaptureQueriesContext(connection) as one_row:
        staff_client.get(_change_url(post))
    for n in range(1, 6):
        _report(post, sequel, n)

    with django_assert_max_num_queries(25):
        response = staff_client.get(_change_url(post))
    with CaptureQueriesContext(connection) as six_rows:
        staff_client.get(_change_url(post))

    assert response.status_code == 200
    assert len(six_rows) == len(one_row)


def test_restoring_an_earlier_revision_of_the_post_leaves_its_reports_alone(
    staff_client, post, alan
):
    """Revisions keep the post and its sources only: the reports are the films services' to
    write, so a restore must neither delete a status change nor leave the credit without it."""
    from reversion.models import Version

    from tests.news.admin_forms import form_data

    _saved(staff_client.post(_change_url(post), _post_data(post)))
    row = {"credit": alan.pk, "status": ReturnStatus.EXPRESSED_INTEREST, "reported_on": ""}
    _saved(staff_client.post(_change_url(post), _post_data(post, changes=[row])))
    before_reports = Version.objects.get_for_object(post).order_by("pk").first()
    url = reverse("admin:news_post_revision", args=[post.pk, before_reports.pk])

    assert staff_client.post(url, form_data(staff_client, url)).status_code == 302

    alan.refresh_from_db()
    assert alan.status == ReturnStatus.EXPRESSED_INTEREST
    assert [change.source_post for change in alan.status_changes.all()] == [post]
