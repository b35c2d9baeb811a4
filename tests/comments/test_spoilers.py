"""Spoilers scoped to a film, as readers see them: threads listed with the title blurred and
comments collapsed until the reader has seen the film (a SeenFilm row for a member, the
cookie for an anonymous visitor), never for an unreleased film, and never mixed up by the
page caches."""

import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments import services
from comments.models import SeenFilm
from comments.spoilers import SEEN_COOKIE
from tests.factories import make_film, make_post, make_sequel, make_user, start_thread

pytestmark = pytest.mark.django_db

TITLE = "Romy marries Sandy Frink"
BLURRED = f'<span class="spoiler-title" aria-hidden="true">{TITLE}</span>'
SECRET = "Heather invented the glue"


@pytest.fixture
def film(db):
    return make_film(title="The Reunion")


@pytest.fixture
def spoiler_thread(film):
    return start_thread(film=film, title=TITLE, spoilers_for=film)


@pytest.fixture
def spoiler_comment(film):
    thread = start_thread(film=film, title="Favourite scenes")
    return services.comment_create(
        thread=thread, author=make_user(), body=SECRET, spoilers_for=film
    )


def _seen_by_cookie(client, *films):
    client.cookies[SEEN_COOKIE] = ".".join(str(film.pk) for film in films)


def _member(client, *seen):
    user = make_user()
    for film in seen:
        SeenFilm.objects.create(user=user, film=film)
    client.force_login(user)
    return user


def _index(client):
    return client.get(reverse("comments:index"))


# Lists ----------------------------------------------------------------------------------------


def test_spoiler_thread_is_listed_blurred_for_an_anonymous_visitor(client, spoiler_thread):
    response = _index(client)
    assertContains(response, BLURRED)
    assertContains(response, "Contains spoilers for The Reunion")
    # Screen readers hear what it is, not the title.
    assertContains(
        response, 'class="visually-hidden">Title hidden: a discussion with spoilers for The Reunion'
    )


def test_spoiler_thread_is_listed_plainly_with_the_seen_cookie(client, spoiler_thread, film):
    _seen_by_cookie(client, film)
    response = _index(client)
    assertNotContains(response, "spoiler-title")
    assertNotContains(response, "Contains spoilers for")
    assertContains(response, f">{TITLE}</a>")


def test_spoiler_thread_is_listed_blurred_for_a_member_who_has_not_seen_it(
    client, spoiler_thread, film
):
    _member(client, make_film())  # Another film seen: not this one.
    assertContains(_index(client), BLURRED)


def test_spoiler_thread_is_listed_plainly_for_a_member_who_has_seen_it(
    client, spoiler_thread, film
):
    _member(client, film)
    response = _index(client)
    assertNotContains(response, "spoiler-title")
    assertContains(response, f">{TITLE}</a>")


def test_a_writer_always_reads_their_own_marked_thread_and_comment(client, film):
    writer = _member(client)
    thread = start_thread(author=writer, film=film, title=TITLE, spoilers_for=film)
    services.comment_create(thread=thread, author=writer, body=SECRET, spoilers_for=film)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "spoiler-gate" not in page and "spoiler-box" not in page
    assert SECRET in page
    assertNotContains(_index(client), "spoiler-title")


def test_a_members_cookie_does_not_count_only_their_rows_do(client, spoiler_thread, film):
    _seen_by_cookie(client, film)
    _member(client)
    assertContains(_index(client), BLURRED)


def test_a_forged_cookie_for_the_unreleased_sequel_reveals_nothing(client, film):
    sequel = make_sequel(film, title="The Sequel")
    start_thread(film=sequel, title=TITLE, spoilers_for=sequel)
    _seen_by_cookie(client, sequel)
    response = _index(client)
    assertContains(response, BLURRED)
    assertContains(response, "Contains spoilers for The Sequel")


def test_a_seen_row_for_a_film_no_longer_released_reveals_nothing(client, film):
    sequel = make_sequel(film, title="The Sequel")
    start_thread(film=sequel, title=TITLE, spoilers_for=sequel)
    _member(client, sequel)  # Made directly: the service refuses it.
    assertContains(_index(client), BLURRED)


def test_film_page_lists_its_spoiler_discussions_blurred(client, spoiler_thread, film):
    assertContains(client.get(film.get_absolute_url()), BLURRED)


def test_home_page_lists_active_spoiler_discussions_blurred(client, spoiler_thread):
    assertContains(client.get(reverse("home")), BLURRED)


def test_unmarked_threads_are_listed_as_ever(client, film):
    start_thread(film=film, title="Best outfits")
    response = _index(client)
    assertContains(response, ">Best outfits</a>")
    assertNotContains(response, "spoiler-title")


# The thread page ------------------------------------------------------------------------------


def test_spoiler_thread_page_hides_its_title_and_gates_its_comments(client, spoiler_thread):
    page = client.get(spoiler_thread.get_absolute_url()).content.decode()
    assert "This discussion contains spoilers for The Reunion." in page
    assert BLURRED in page
    assert '<details class="spoiler-gate">' in page
    assert "I’ve seen it" in page  # The seen button, on the notice.
    head = page.split("</head>")[0]
    assert TITLE not in head  # Not in the tab's title, the meta tags nor the structured data.
    assert "A discussion with spoilers for The Reunion" in head


def test_spoiler_thread_page_structured_data_leaves_the_title_and_text_out(client, spoiler_thread):
    page = client.get(spoiler_thread.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["headline"] == "A discussion with spoilers for The Reunion"
    assert "text" not in data


def test_spoiler_thread_page_shows_normally_once_seen(client, spoiler_thread, film):
    _seen_by_cookie(client, film)
    page = client.get(spoiler_thread.get_absolute_url()).content.decode()
    assert re.search(rf"<h1>\s*{TITLE}\s*</h1>", page)
    assert "spoiler-gate" not in page
    assert "Mark as not seen" not in page  # The notice, and its button, are for the unseen.


def test_spoiler_comment_is_collapsed_behind_a_details_element(client, spoiler_comment):
    page = client.get(spoiler_comment.thread.get_absolute_url()).content.decode()
    collapsed = re.search(r'<details class="spoiler-box">(.*?)</details>', page, re.S)
    assert collapsed, "the marked comment is not collapsed"
    summary = re.search(r"<summary>(.*?)</summary>", collapsed.group(1), re.S).group(1)
    assert "Contains spoilers for The Reunion" in summary
    assert SECRET in collapsed.group(1)  # Inside the closed <details>: not shown, not read out.
    assert page.count(SECRET) == 1


def test_spoiler_comment_shows_normally_for_a_member_who_has_seen_the_film(
    client, spoiler_comment, film
):
    _member(client, film)
    page = client.get(spoiler_comment.thread.get_absolute_url()).content.decode()
    assert "spoiler-box" not in page
    assert SECRET in page
    assert "Spoilers for The Reunion" in page  # A note says what it gives away.


def test_spoiler_comment_stays_collapsed_for_a_member_who_has_not_seen_the_film(
    client, spoiler_comment
):
    _member(client)
    assertContains(client.get(spoiler_comment.thread.get_absolute_url()), 'class="spoiler-box"')


def test_inline_spoilers_keep_working_in_a_marked_comment(client, film):
    thread = start_thread(film=film)
    services.comment_create(
        thread=thread, author=make_user(), body="It ends ||at the reunion||", spoilers_for=film
    )
    _seen_by_cookie(client, film)
    assertContains(client.get(thread.get_absolute_url()), '<span class="spoiler" tabindex="0"')


def test_profile_hides_spoiler_comments_and_titles(client, film):
    thread = start_thread(film=film, title=TITLE, spoilers_for=film)
    author = make_user()
    services.comment_create(thread=thread, author=author, body=SECRET, spoilers_for=film)
    response = client.get(reverse("accounts:profile", args=[author.username]))
    assertContains(response, BLURRED)
    assertContains(response, 'class="spoiler-box"')


def test_post_page_gates_a_spoiler_marked_comment_thread(client, film):
    post = make_post(title="The ending, explained")
    thread = services.thread_for_post(post=post)
    thread.spoilers_for = film
    services.thread_update(thread=thread)
    services.comment_create(thread=thread, author=make_user(), body=SECRET)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "This discussion contains spoilers for The Reunion." in page
    assert '<details class="spoiler-gate">' in page


# The film page's button -----------------------------------------------------------------------


def test_film_page_offers_the_seen_button_to_anonymous_visitors_without_a_token(client, film):
    page = client.get(film.get_absolute_url()).content.decode()
    form = re.search(r'<form class="seen-film".*?</form>', page, re.S).group(0)
    assert reverse("comments:film-seen", args=[film.pk]) in form
    assert "I’ve seen it" in form
    assert "csrfmiddlewaretoken" not in form  # The page stays cacheable.


def test_film_page_offers_mark_as_not_seen_once_seen(client, film):
    _member(client, film)
    page = client.get(film.get_absolute_url()).content.decode()
    form = re.search(r'<form class="seen-film".*?</form>', page, re.S).group(0)
    assert "Mark as not seen" in form
    assert "csrfmiddlewaretoken" in form


def test_unreleased_film_page_has_no_seen_button_but_a_note(client, film):
    sequel = make_sequel(film)
    response = client.get(sequel.get_absolute_url())
    assertNotContains(response, 'class="seen-film"')
    assertContains(response, "Not released yet: discussions that give")


# Page caches ----------------------------------------------------------------------------------


def test_cached_pages_are_kept_apart_for_seen_and_unseen_visitors(
    client, page_cache, spoiler_thread, film
):
    assert _index(client)["X-Page-Cache"] == "miss"
    _seen_by_cookie(client, film)
    seen = _index(client)
    assert seen["X-Page-Cache"] == "miss"
    assertNotContains(seen, "spoiler-title")
    assert _index(client)["X-Page-Cache"] == "hit"
    del client.cookies[SEEN_COOKIE]
    unseen = _index(client)
    assert unseen["X-Page-Cache"] == "hit"
    assertContains(unseen, BLURRED)


def test_a_forged_cookie_shares_the_unseen_visitors_cached_page(
    client, page_cache, spoiler_thread, film
):
    """An id of an unreleased film, or of none, changes nothing, so it makes no other copy."""
    sequel = make_sequel(film)
    assert _index(client)["X-Page-Cache"] == "miss"
    client.cookies[SEEN_COOKIE] = f"{sequel.pk}.999999"
    response = _index(client)
    assert response["X-Page-Cache"] == "hit"
    assertContains(response, BLURRED)


@pytest.mark.parametrize("page_cache_seconds", [300, 0])
def test_cached_thread_page_collapses_or_shows_a_comment_per_visitor(
    client, settings, spoiler_comment, film, page_cache_seconds
):
    """With whole pages cached, and without (the comment section is still cached per thread)."""
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    url = spoiler_comment.thread.get_absolute_url()
    assertContains(client.get(url), 'class="spoiler-box"')
    _seen_by_cookie(client, film)
    assertNotContains(client.get(url), 'class="spoiler-box"')
    del client.cookies[SEEN_COOKIE]
    assertContains(client.get(url), 'class="spoiler-box"')


def test_a_member_marking_a_film_seen_does_not_retire_every_cached_page(
    client, page_cache, film, django_capture_on_commit_callbacks
):
    user = make_user()
    _index(client)
    with django_capture_on_commit_callbacks(execute=True):
        SeenFilm.objects.create(user=user, film=film)
    assert _index(client)["X-Page-Cache"] == "hit"


# Query counts ---------------------------------------------------------------------------------


def _spoiler_threads(count, film):
    for n in range(count):
        thread = start_thread(film=film, title=f"Spoiler {n}", spoilers_for=film)
        services.comment_create(thread=thread, author=make_user(), body="Yes", spoilers_for=film)


@pytest.mark.parametrize("rows", [2, 8])
def test_index_queries_do_not_grow_with_spoiler_threads(
    client, film, rows, django_assert_max_num_queries
):
    """Guards the blurred rows against an N+1: each row's film comes with it, the member's seen
    films in one query."""
    _spoiler_threads(rows, make_film())
    _member(client, film)
    with django_assert_max_num_queries(8):
        assertContains(_index(client), "spoiler-title", count=rows)


@pytest.mark.parametrize("rows", [2, 8])
def test_thread_page_queries_do_not_grow_with_spoiler_comments(
    client, film, rows, django_assert_max_num_queries
):
    """Guards collapsed comments and replies against an N+1 (their film, the seen films)."""
    thread = start_thread(film=film, spoilers_for=film)
    for n in range(rows):
        root = services.comment_create(
            thread=thread, author=make_user(), body=f"Root {n}", spoilers_for=film
        )
        services.comment_create(
            thread=thread, author=make_user(), body="Reply", parent=root, spoilers_for=film
        )
    _member(client, make_film())
    with django_assert_max_num_queries(16):
        assertContains(client.get(thread.get_absolute_url()), 'class="spoiler-box"', count=2 * rows)


@pytest.mark.parametrize("rows", [2, 8])
def test_film_page_queries_do_not_grow_with_spoiler_discussions(
    client, film, rows, django_assert_max_num_queries
):
    """Guards the film page's discussion rows and its seen button against an N+1."""
    _spoiler_threads(rows, film)
    _member(client)
    with django_assert_max_num_queries(14):
        client.get(film.get_absolute_url())
