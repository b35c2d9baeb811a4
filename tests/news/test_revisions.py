"""Revisions of a post (django-reversion): kept at every save with their author, compared as a
diff, restored with their related items and sources; only for editors who may change posts."""

import datetime

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from news.admin_revisions import text_diff
from news.models import Post, Source
from news.services import post_publish_now
from tests.factories import make_person, make_post, make_source, make_user
from tests.news.admin_forms import change_form_data, form_data

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:news_post_changelist")
FEB_9_2024 = datetime.datetime(2024, 2, 9, 12, 0, tzinfo=datetime.UTC)


def _versions(post: Post):
    return Version.objects.get_for_object(post).select_related("revision__user")


def _history_url(post: Post) -> str:
    return reverse("admin:news_post_history", args=[post.pk])


def _compare_url(post: Post) -> str:
    return reverse("admin:news_post_compare", args=[post.pk])


def _saved_in_admin(client, post: Post, **changes) -> None:
    url = reverse("admin:news_post_change", args=[post.pk])
    response = client.post(url, change_form_data(client, post, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.fixture
def post_with_history(staff_client):
    """A post saved twice in the admin: the second save changed its body, swapped its person
    and its source."""
    first, second = make_person(name="Lisa Kudrow"), make_person(name="Alan Cumming")
    post = make_post(published_at=FEB_9_2024, body="Romy and Michele are back.")
    post.people.set([first])
    make_source(post=post, outlet="Us Weekly", reported="The first report")
    _saved_in_admin(staff_client, post)
    post.sources.all().delete()
    make_source(post=post, outlet="Variety", reported="A later report")
    _saved_in_admin(
        staff_client,
        post,
        body="Romy and Michele are back, with <script>alert(1)</script> a sequel.",
        people=[str(second.pk)],
    )
    return post


# Kept at every save ---------------------------------------------------------------------------


def test_admin_save_keeps_a_revision_with_its_author(staff_client, staff_user):
    post = make_post()
    with reversion.create_revision():
        post.save()

    _saved_in_admin(staff_client, post, title="A new headline")

    version = _versions(post).order_by("-pk").first()
    assert version.revision.user == staff_user
    assert version.field_dict["title"] == "A new headline"


def test_first_admin_change_keeps_the_post_as_it_was_first(staff_client):
    """A post saved without revisions (seeded, or older than them) keeps its state before the
    first change, so that change can be compared and undone."""
    post = make_post(title="The seeded headline")

    _saved_in_admin(staff_client, post, title="A new headline")

    before, after = _versions(post).order_by("pk")
    assert before.field_dict["title"] == "The seeded headline"
    assert before.revision.get_comment().startswith("As it was before")
    assert after.field_dict["title"] == "A new headline"


def test_revision_holds_related_items_and_sources(post_with_history):
    latest = _versions(post_with_history).order_by("-pk").first()
    sources = latest.revision.version_set.filter(content_type__model="source")

    assert latest.field_dict["people"] == [post_with_history.people.get().pk]
    assert [version.field_dict["outlet"] for version in sources] == ["Variety"]


@pytest.mark.parametrize(
    ("action", "comment"),
    [("publish_now", "Published with “Publish now”."), ("unpublish", "Unpublished")],
)
def test_list_actions_keep_a_revision_with_their_author(staff_client, staff_user, action, comment):
    post = make_post(published=action == "unpublish")

    staff_client.post(CHANGELIST_URL, {"action": action, "_selected_action": [post.pk]})

    version = _versions(post).get()
    assert version.revision.user == staff_user
    assert version.revision.get_comment().startswith(comment)


def test_service_outside_the_admin_keeps_a_revision():
    post = make_post(published=False)
    editor = make_user()

    post_publish_now(posts=Post.objects.filter(pk=post.pk), user=editor)

    version = _versions(post).get()
    assert version.revision.user == editor
    assert version.field_dict["status"] == "published"


# History --------------------------------------------------------------------------------------


def test_history_lists_revisions_with_author_and_compare_boxes(staff_client, post_with_history):
    response = staff_client.get(_history_url(post_with_history))

    # The post as seeded, then the two saves (each by the signed-in editor).
    assertContains(response, 'name="version"', count=3)
    assertContains(response, reverse("admin:news_post_compare", args=[post_with_history.pk]))
    assertContains(response, "As it was before its first revision here.")
    assertContains(response, "Compare the two ticked revisions")
    rows = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count(response.wsgi_request.user.get_username()) == 2


def test_history_queries_do_not_grow_with_revisions(
    staff_client, post_with_history, django_assert_max_num_queries
):
    """Guards the history list against an N+1: each revision's author is loaded with it."""
    for n in range(5):
        _saved_in_admin(staff_client, post_with_history, title=f"Headline {n}")

    with django_assert_max_num_queries(12):
        response = staff_client.get(_history_url(post_with_history))

    assertContains(response, 'name="version"', count=8)


# Compare --------------------------------------------------------------------------------------


def test_compare_shows_the_body_diff_escaped(staff_client, post_with_history):
    response = staff_client.get(_compare_url(post_with_history))

    assertContains(
        response, "<ins>back, with &lt;script&gt;alert(1)&lt;/script&gt; a sequel.</ins>"
    )
    assertContains(response, "<del>back.</del>")
    assertNotContains(response, "<script>alert(1)")


def test_compare_names_related_items_and_sources(staff_client, post_with_history):
    response = staff_client.get(_compare_url(post_with_history))

    assertContains(response, "<li><del>Lisa Kudrow</del></li>", html=True)
    assertContains(response, "<li><ins>Alan Cumming</ins></li>", html=True)
    assertContains(response, "<del>Us Weekly — The first report — https://example.com/story</del>")
    assertContains(response, "<ins>Variety — A later report — https://example.com/story</ins>")
    assertContains(response, "Unchanged: Title")


def test_compare_takes_the_two_picked_revisions(staff_client, post_with_history):
    older, _, newer = _versions(post_with_history).order_by("pk")

    response = staff_client.get(_compare_url(post_with_history), {"version": [newer.pk, older.pk]})

    assert response.context["older"] == older
    assert response.context["newer"] == newer


@pytest.mark.parametrize("picked", [["1"], ["x", "y"], ["999998", "999999"]])
def test_compare_without_two_revisions_of_the_post_says_so(staff_client, post_with_history, picked):
    response = staff_client.get(_compare_url(post_with_history), {"version": picked}, follow=True)

    assert response.redirect_chain[-1][0] == _history_url(post_with_history)
    assertContains(response, "revision")


# Restore --------------------------------------------------------------------------------------


def test_restore_brings_back_body_related_people_and_sources(staff_client, post_with_history):
    older = _versions(post_with_history).order_by("pk").first()
    url = reverse("admin:news_post_revision", args=[post_with_history.pk, older.pk])

    response = staff_client.post(url, form_data(staff_client, url))

    assert response.status_code == 302
    post = Post.objects.get(pk=post_with_history.pk)
    assert post.body == "Romy and Michele are back."
    assert [person.name for person in post.people.all()] == ["Lisa Kudrow"]
    assert [source.outlet for source in Source.objects.filter(post=post)] == ["Us Weekly"]
    assert "Reverted" in _versions(post).order_by("-pk").first().revision.get_comment()


def test_restoring_older_text_counts_as_an_update(staff_client, post_with_history):
    post = Post.objects.get(pk=post_with_history.pk)
    Post.objects.filter(pk=post.pk).update(content_updated_at=None)
    older = _versions(post).order_by("pk").first()
    url = reverse("admin:news_post_revision", args=[post.pk, older.pk])

    staff_client.post(url, form_data(staff_client, url))

    assert Post.objects.get(pk=post.pk).was_updated


def test_viewing_a_revision_changes_nothing(staff_client, post_with_history):
    older = _versions(post_with_history).order_by("pk").first()

    response = staff_client.get(
        reverse("admin:news_post_revision", args=[post_with_history.pk, older.pk])
    )

    assertContains(response, "Save to restore it")

    post = Post.objects.get(pk=post_with_history.pk)
    assert "sequel" in post.body
    assert [source.outlet for source in post.sources.all()] == ["Variety"]


# Permissions ----------------------------------------------------------------------------------


@pytest.fixture
def viewer_client(client):
    """Staff who may look at posts but not change them."""
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    return client


def test_view_only_staff_get_403_for_history_compare_and_restore(viewer_client):
    post = make_post()
    with reversion.create_revision():
        post.save()
    version = _versions(post).get()
    revision_url = reverse("admin:news_post_revision", args=[post.pk, version.pk])

    assert viewer_client.get(_history_url(post)).status_code == 403
    assert viewer_client.get(_compare_url(post)).status_code == 403
    assert viewer_client.get(revision_url).status_code == 403
    assert viewer_client.post(revision_url, {}).status_code == 403


def test_editors_with_change_permission_see_history_and_compare(client, post_with_history):
    editor = make_user(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_post", "change_post"])
    )
    client.force_login(editor)

    assert client.get(_history_url(post_with_history)).status_code == 200
    assert client.get(_compare_url(post_with_history)).status_code == 200


def test_members_are_sent_to_the_admin_login(client, post_with_history):
    client.force_login(make_user())  # post_with_history signed the same client in as staff

    response = client.get(_compare_url(post_with_history))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_compare_cuts_long_unchanged_text_to_the_words_around_a_change():
    words = " ".join(f"word{n}" for n in range(400))

    diff = text_diff(words, words.replace("word200", "changed"))

    assert "<del>word200</del><ins>changed</ins>" in diff
    assert "word199" in diff and "word201" in diff
    assert "word5 " not in diff and "word395" not in diff
    assert diff.count("[…]") == 2
