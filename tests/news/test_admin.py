from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from news.models import Post, PostStatus
from tests.factories import make_film, make_person, make_post, make_source, make_upload

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:news_post_add")
CHANGELIST_URL = reverse("admin:news_post_changelist")
# The management forms of the inlines recording what a post reports (news/admin_reports.py),
# with no rows: tests/news/test_admin_reports.py fills them.
NO_REPORTS = {
    f"{prefix}-{name}": value
    for prefix in ("creditstatuschange_reports", "productionevent_reports")
    for name, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
}


def _change_url(post: Post) -> str:
    return reverse("admin:news_post_change", args=[post.pk])


def _form_data(**overrides) -> dict:
    """What the admin's add form posts: the post's fields and two Source inline rows."""
    now = timezone.localtime()
    data = {
        "title": "Sequel in the works",
        "slug": "sequel-in-the-works",
        "standfirst": "The short version.",
        "body": "A paragraph about the sequel.",
        "status": PostStatus.PUBLISHED,
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": (now - timedelta(minutes=5)).strftime("%H:%M:%S"),
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        **NO_REPORTS,
        "sources-0-outlet": "Us Weekly",
        "sources-0-url": "https://example.com/us-weekly",
        "sources-0-reported": "Interview with Mira Sorvino",
        "sources-0-order": "0",
        "sources-1-outlet": "The A.V. Club",
        "sources-1-url": "https://example.com/av-club",
        "sources-1-reported": "Interview with Alan Cumming",
        "sources-1-order": "1",
        "_save": "Save",
    }
    return data | overrides


def _change_data(post: Post, **overrides) -> dict:
    """The change form's data for a post as it is, with its existing Source rows."""
    when = timezone.localtime(post.published_at) if post.published_at else None
    sources = list(post.sources.all())
    data = {
        "title": post.title,
        "slug": post.slug,
        "standfirst": post.standfirst,
        "body": post.body,
        "status": post.status,
        "published_at_0": when.strftime("%Y-%m-%d") if when else "",
        "published_at_1": when.strftime("%H:%M:%S") if when else "",
        "author": post.author_id or "",
        "image_alt": post.image_alt,
        "image_caption": post.image_caption,
        "image_credit": post.image_credit,
        "films": [film.pk for film in post.films.all()],
        "people": [person.pk for person in post.people.all()],
        "characters": [character.pk for character in post.characters.all()],
        "sources-TOTAL_FORMS": str(len(sources)),
        "sources-INITIAL_FORMS": str(len(sources)),
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        **NO_REPORTS,
        "_continue": "Save and continue editing",
    }
    for n, source in enumerate(sources):
        data |= {
            f"sources-{n}-id": source.pk,
            f"sources-{n}-post": post.pk,
            f"sources-{n}-outlet": source.outlet,
            f"sources-{n}-url": source.url,
            f"sources-{n}-reported": source.reported,
            f"sources-{n}-order": source.order,
        }
    return data | overrides


def test_admin_is_closed_to_non_staff(user_client):
    response = user_client.get(CHANGELIST_URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_add_form_defaults_author_to_the_signed_in_editor(staff_client, staff_user):
    response = staff_client.get(ADD_URL)

    assert response.context["adminform"].form.initial["author"] == staff_user.pk


def test_add_form_prepopulates_slug_from_title(staff_client):
    response = staff_client.get(ADD_URL)

    assert response.context["adminform"].prepopulated_fields[0]["field"].name == "slug"


def test_editor_adds_published_post_with_sources_and_image(staff_client, staff_user):
    film = make_film()
    person = make_person()
    data = _form_data(
        author=staff_user.pk,
        films=[film.pk],
        people=[person.pk],
        featured_image=make_upload("still.png", size=(320, 180)),
        image_alt="Two friends at a reunion",
        image_credit="Walt Disney Studios Motion Pictures",
    )

    response = staff_client.post(ADD_URL, data)

    assertRedirects(response, CHANGELIST_URL)
    post = Post.objects.get(slug="sequel-in-the-works")
    assert post.is_published()
    assert post.author == staff_user
    assert [source.outlet for source in post.sources.order_by("order")] == [
        "Us Weekly",
        "The A.V. Club",
    ]
    assert list(post.films.all()) == [film]
    assert list(post.people.all()) == [person]
    assert post.featured_image.name.startswith("news/")
    assert post.featured_image.width == 320


def test_bad_image_upload_gets_a_form_error_and_saves_nothing(staff_client, staff_user):
    broken = make_upload("broken.png")
    broken.file.truncate(40)
    data = _form_data(author=staff_user.pk, featured_image=broken, image_alt="Something")

    response = staff_client.post(ADD_URL, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "featured_image" in errors
    assert not Post.objects.exists()


def test_published_without_date_gets_a_form_error(staff_client, staff_user):
    data = _form_data(author=staff_user.pk, published_at_0="", published_at_1="")

    response = staff_client.post(ADD_URL, data)

    assert "published_at" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_image_without_alt_text_gets_a_form_error(staff_client, staff_user):
    data = _form_data(author=staff_user.pk, featured_image=make_upload(), image_alt="")

    response = staff_client.post(ADD_URL, data)

    assert "image_alt" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_future_date_schedules_the_post(staff_client, staff_user):
    later = timezone.localtime() + timedelta(days=2)
    data = _form_data(
        author=staff_user.pk,
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )

    staff_client.post(ADD_URL, data)

    post = Post.objects.get()
    assert post.is_scheduled
    assert not Post.objects.published().exists()


def test_editor_changes_a_post_and_its_sources(staff_client):
    post = make_post(title="Old title")
    make_source(post=post, outlet="Old outlet")

    response = staff_client.post(
        _change_url(post),
        _change_data(post, title="New title", **{"sources-0-outlet": "Us Weekly"}),
    )

    assertRedirects(response, _change_url(post))
    post.refresh_from_db()
    assert post.title == "New title"
    assert [source.outlet for source in post.sources.all()] == ["Us Weekly"]


def test_adding_a_post_that_names_people_returns_to_its_form(staff_client, staff_user):
    make_person(name="Mira Sorvino")

    response = staff_client.post(
        ADD_URL, _form_data(author=staff_user.pk, body="Mira Sorvino talks about the sequel.")
    )

    post = Post.objects.get()
    assertRedirects(response, _change_url(post), fetch_redirect_response=False)


def test_adding_a_post_that_names_people_says_it_was_added(staff_client, staff_user):
    make_person(name="Mira Sorvino")
    response = staff_client.post(
        ADD_URL,
        _form_data(author=staff_user.pk, body="Mira Sorvino talks about the sequel."),
        follow=True,
    )
    assertContains(response, "was added successfully")


def test_change_form_offers_named_but_unrelated_entities(staff_client):
    sorvino = make_person(name="Mira Sorvino")
    kudrow = make_person(name="Lisa Kudrow")
    make_person(name="Janeane Garofalo")
    film = make_film(title="Romy and Michele's High School Reunion")
    post = make_post(
        body="Mira Sorvino and Lisa Kudrow return to Romy and Michele’s High School Reunion."
    )
    post.people.add(kudrow)

    response = staff_client.get(_change_url(post))

    assertContains(response, "Suggested links")
    choices = dict(response.context["adminform"].form.fields["suggested"].choices)
    assert choices == {
        f"film:{film.pk}": f"{film} (film)",
        f"person:{sorvino.pk}": "Mira Sorvino (person)",
    }


def test_change_form_without_mentions_has_no_suggestions(staff_client):
    post = make_post(body="Nobody named here.")

    assertNotContains(staff_client.get(_change_url(post)), "Suggested links")


def test_ticked_suggestions_become_related_and_linked(staff_client):
    sorvino = make_person(name="Mira Sorvino")
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Mira Sorvino spoke. Alan Cumming would be in.")

    staff_client.post(_change_url(post), _change_data(post, suggested=[f"person:{sorvino.pk}"]))

    post.refresh_from_db()
    assert list(post.people.all()) == [sorvino]
    assert f'href="{sorvino.get_absolute_url()}"' in post.body_html
    assert f'href="{cumming.get_absolute_url()}"' not in post.body_html


def test_relating_through_the_people_field_links_the_body_too(staff_client):
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Alan Cumming would be in.")

    staff_client.post(_change_url(post), _change_data(post, people=[cumming.pk]))

    post.refresh_from_db()
    assert f'<a class="entity-link" href="{cumming.get_absolute_url()}">Alan Cumming</a>' in (
        post.body_html
    )


def test_removing_a_relation_removes_its_link(staff_client):
    cumming = make_person(name="Alan Cumming")
    post = make_post(body="Alan Cumming would be in.")
    post.people.add(cumming)
    post.save()

    staff_client.post(_change_url(post), _change_data(post, people=[]))

    post.refresh_from_db()
    assert "entity-link" not in post.body_html


def test_publish_now_action_publishes_drafts_and_keeps_set_dates(staff_client):
    """Scheduled and live posts keep their dates (tests/news/test_dates.py has the cases)."""
    draft = make_post(published=False)
    scheduled = make_post(published_at=timezone.now() + timedelta(days=1))
    live = make_post(published_at=timezone.now() - timedelta(days=5))
    dates = {post.pk: post.published_at for post in (scheduled, live)}

    staff_client.post(
        CHANGELIST_URL,
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk, live.pk]},
    )

    for post in (draft, scheduled, live):
        post.refresh_from_db()
    assert draft.is_published() and live.is_published() and scheduled.is_scheduled
    assert {post.pk: post.published_at for post in (scheduled, live)} == dates


def test_unpublish_action_returns_posts_to_draft(staff_client):
    post = make_post()

    staff_client.post(CHANGELIST_URL, {"action": "unpublish", "_selected_action": [post.pk]})

    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    assert Client().get(post.get_absolute_url()).status_code == 404


def test_changelist_shows_visibility_and_films(staff_client):
    film = make_film(title="The Reunion")
    make_post(title="Live one").films.add(film)
    make_post(title="Later one", published_at=timezone.now() + timedelta(days=1))
    make_post(title="Draft one", published=False)

    response = staff_client.get(CHANGELIST_URL)

    content = response.content.decode()
    for label in ("Live", "Scheduled", "Draft", "The Reunion"):
        assert label in content


def test_changelist_filters_by_visibility(staff_client):
    make_post(title="Live one")
    scheduled = make_post(title="Later one", published_at=timezone.now() + timedelta(days=1))

    response = staff_client.get(CHANGELIST_URL, {"visibility": "scheduled"})

    assert list(response.context["cl"].result_list) == [scheduled]


def test_changelist_queries_do_not_grow_with_posts(staff_client, django_assert_max_num_queries):
    """Guards the list's author and films columns against an N+1."""
    film = make_film()
    for _ in range(20):
        make_post().films.add(film)

    with django_assert_max_num_queries(14):
        staff_client.get(CHANGELIST_URL)


def test_changelist_search_finds_by_title(staff_client):
    post = make_post(title="Cumming is in")
    make_post(title="Something else")

    response = staff_client.get(CHANGELIST_URL, {"q": "Cumming"})

    assert list(response.context["cl"].result_list) == [post]


def test_view_on_site_opens_the_draft_preview(staff_client):
    post = make_post(published=False)
    content_type = ContentType.objects.get_for_model(Post)

    response = staff_client.get(
        reverse("admin:view_on_site", args=[content_type.pk, post.pk]), follow=True
    )

    assert response.redirect_chain[-1][0].endswith(post.get_absolute_url())
    assertContains(response, "Only staff can see this preview.")


def test_change_form_shows_image_preview(staff_client):
    post = make_post(featured_image=make_upload(size=(600, 300)), image_alt="A picture")

    response = staff_client.get(_change_url(post))

    assertContains(response, 'alt="A picture"')
    assertContains(response, "/media/cache/")
