"""The search page: one box across every kind of page, results grouped by kind with a picture,
a highlighted snippet and a date, and a helpful page whatever is typed."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import CommentStatus
from comments.spoilers import film_seen_set
from fansite.search import MAX_RESULTS_PER_KIND, search_everything
from tests.factories import (
    make_character,
    make_comment,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


def search_page(client, q: str):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response


def test_search_finds_films_people_characters_posts_and_threads():
    film = make_film(title="Romy and Michele's High School Reunion")
    person = make_person(name="Lisa Kudrow", bio="Plays Michele.")
    character = make_character(name="Michele Weinberger")
    post = make_post(title="Michele returns in the sequel")
    thread = make_thread(title="Michele's best outfit")
    results = search_everything("Michele")
    assert results.found("films") == [film]
    assert results.found("people") == [person]
    assert results.found("characters") == [character]
    assert results.found("posts") == [post]
    assert results.found("discussions") == [thread]


def test_results_are_grouped_by_kind_in_a_fixed_order():
    make_thread(title="Reunion talk")
    make_post(title="Reunion news")
    make_film(title="Reunion")
    groups = [group.kind for group in search_everything("reunion").groups]
    assert groups == ["films", "posts", "discussions"]


def test_search_never_shows_unpublished_posts():
    make_post(title="Secret sequel scoop", published=False)
    assert search_everything("scoop").found("posts") == []


def test_search_leaves_out_discussions_of_unpublished_posts():
    draft = make_post(title="Secret casting scoop", published=False)
    make_thread(title="Secret casting scoop", post=draft)
    assert search_everything("scoop").found("discussions") == []


def test_search_leaves_out_comments_in_discussions_of_unpublished_posts():
    draft = make_post(title="Draft", published=False)
    make_comment(thread=make_thread(post=draft), body="The embargoed casting news")
    assert search_everything("embargoed").found("discussions") == []


@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.REMOVED])
def test_search_never_finds_comments_out_of_sight(status):
    make_comment(body="A slanderous remark about the caterer", status=status)
    assert search_everything("slanderous caterer").found("discussions") == []


def test_a_comment_is_found_by_its_text_and_links_to_its_permalink(client):
    comment = make_comment(body="The yellow notebook scene is the best")
    assert search_everything("notebook yellow").found("discussions") == [comment]
    assertContains(search_page(client, "yellow notebook"), comment.get_absolute_url())


def test_one_line_per_discussion_with_its_title_hit_first():
    thread = make_thread(title="The notebook scene")
    make_comment(thread=thread, body="That notebook!")
    other = make_comment(body="My notebook is yellow too")
    assert search_everything("notebook").found("discussions") == [thread, other]


def test_comments_are_not_searched_when_thread_titles_fill_the_discussions(
    django_assert_num_queries,
):
    """Titles come first and the list holds MAX_RESULTS_PER_KIND: no comment could show, so
    none is ranked or loaded (names, four kinds, threads: six queries)."""
    threads = [make_thread(title=f"Glitter {n}") for n in range(MAX_RESULTS_PER_KIND)]
    make_comment(body="Glitter everywhere")
    with django_assert_num_queries(6):
        found = search_everything("glitter").found("discussions")
    assert set(found) == set(threads)


def test_results_are_capped_per_kind():
    for n in range(MAX_RESULTS_PER_KIND + 3):
        make_post(title=f"Reunion diary {n}")
    assert len(search_everything("reunion diary").found("posts")) == MAX_RESULTS_PER_KIND


def test_search_page_lists_results_with_links_dates_and_pictures(client):
    person = make_person(name="Janeane Garofalo")
    post = make_post(title="Garofalo joins the sequel")
    response = search_page(client, "Garofalo")
    assertContains(response, person.get_absolute_url())
    # To the second (the HTML checker refuses microseconds), with the site's time-zone offset.
    when = timezone.localtime(post.published_at).isoformat(timespec="seconds")
    assertContains(response, f'datetime="{when}"')
    assertContains(response, "picture--headshot-small")
    assertContains(response, "2 results for")


def test_matched_words_are_marked_in_titles_and_snippets(client):
    make_post(title="Sequel news", standfirst="Lisa Kudrow talks about the script.")
    response = search_page(client, "kudrow")
    assertContains(response, "Lisa <mark>Kudrow</mark> talks about the script.")


def test_snippets_are_escaped_before_words_are_marked(client):
    make_comment(body="Reunion thoughts: <script>alert('x')</script> <b>bold</b>")
    response = search_page(client, "reunion")
    assertContains(
        response,
        "<mark>Reunion</mark> thoughts: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; "
        "&lt;b&gt;bold&lt;/b&gt;",
    )
    assertNotContains(response, "<script>alert(")
    assertNotContains(response, "<b>bold</b>")


def test_a_spoiler_in_a_comment_stays_out_of_its_snippet(client):
    make_comment(body="Great reunion scene. ||Michele invented the glue||")
    response = search_page(client, "reunion scene")
    assertContains(response, "[spoiler]")
    assertNotContains(response, "invented the glue")


@pytest.fixture
def spoiled_film():
    """A film, and a comment marked as giving it away."""
    film = make_film(title="The original")
    make_comment(body="At the reunion the glue saves them", spoilers_for=film)
    return film


def test_a_comment_spoiling_a_film_the_reader_has_not_seen_shows_no_snippet(client, spoiled_film):
    response = search_page(client, "reunion glue")
    assertContains(response, "Contains spoilers for The original")
    assertNotContains(response, "saves them")


def test_a_comment_spoiling_a_film_the_member_has_seen_shows_its_snippet(client, spoiled_film):
    member = make_user()
    film_seen_set(user=member, film=spoiled_film, seen=True)
    client.force_login(member)
    response = search_page(client, "reunion glue")
    assertContains(response, "the <mark>glue</mark> saves them")
    assertNotContains(response, "Contains spoilers for")


def test_the_title_of_a_discussion_spoiling_an_unseen_film_is_blurred(client):
    film = make_film(title="The original")
    make_thread(title="The glue ending explained", spoilers_for=film)
    response = search_page(client, "glue ending")
    assertContains(response, '<span class="spoiler-title" aria-hidden="true">')
    assertContains(response, "Title hidden: a discussion with spoilers for The original")


def test_spoiler_marks_cost_no_query_per_result(client, django_assert_max_num_queries):
    """Guards the spoiler checks against an N+1: each result's film is loaded with it."""
    film = make_film(title="The original")
    for n in range(8):
        thread = make_thread(title=f"Glue talk {n}", spoilers_for=film)
        make_comment(thread=make_thread(), body=f"glue {n}", spoilers_for=film)
        make_comment(thread=thread, body="glue")
    with django_assert_max_num_queries(8):
        search_page(client, "glue")


def test_search_page_says_when_nothing_matches(client):
    assertContains(search_page(client, "Zzyzx"), "Nothing has all of “Zzyzx”")


def test_search_page_without_a_query_says_what_to_type(client):
    assertContains(search_page(client, ""), "Type a film, a name")


def test_search_page_asks_for_more_than_one_character(client):
    assertContains(search_page(client, "a"), "Type at least 2 characters")


def test_search_page_says_when_only_common_words_were_typed(client):
    make_post(title="The and of")
    assertContains(search_page(client, "the and of"), "only very common words")


def test_search_page_escapes_the_query(client):
    response = search_page(client, "<script>alert(1)</script>")
    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        "*",
        "NEAR(",
        "NEAR(a b, 2)",
        "AND OR",
        "title:romy",
        "romy*",
        "-romy",
        "^romy",
        "(romy",
        "!!! ??? ...",
        "x" * 10_000,
        "romy " * 3000,
        "'; DROP TABLE news_post; --",
        "' OR 1=1 --",
        "%_\\",
        "{}[]<>&|!:'",
    ],
)
def test_hostile_queries_get_a_page_not_an_error(client, q):
    make_post(title="Romy returns")
    response = search_page(client, q)
    assertContains(response, "<h1>Search</h1>")


def test_nul_bytes_never_reach_the_database():
    """The site answers a NUL in a query string with a 400 (fansite.middleware); search itself
    drops them too, as PostgreSQL rejects them."""
    post = make_post(title="Romy returns")
    assert search_everything("ro\x00my returns\x00").found("posts") == []
    assert search_everything("romy\x00returns").found("posts") == [post]


def test_search_reads_no_more_than_the_first_200_characters(client):
    make_post(title="Reunion")
    response = search_page(client, "reunion " + "x" * 500)
    assertContains(response, 'value="reunion ' + "x" * 192 + '"', count=2)


def test_search_page_queries_do_not_grow_with_results(client, django_assert_max_num_queries):
    """Guards the result lists against an N+1: more matches of every kind, same queries (names,
    one per kind, the threads' and comments' subjects joined)."""
    film = make_film(title="Reunion film")
    for n in range(15):
        make_credit(film=film, person=make_person(name=f"Reunion person {n}"))
        make_film(title=f"Reunion film {n}")
        make_character(name=f"Reunion character {n}")
        make_post(title=f"Reunion news {n}")
        thread = make_thread(title=f"Reunion talk {n}", film=film)
        make_comment(thread=make_thread(person=make_person()), body=f"Reunion comment {n}")
        make_comment(thread=thread, body="reunion")
    with django_assert_max_num_queries(8):
        search_page(client, "Reunion")


def test_comments_on_characters_threads_read_no_subject(client, django_assert_max_num_queries):
    """Guards against an N+1: a character's thread shows no picture, so its subject is not
    loaded with it, and nothing reads it afterwards either."""
    for n in range(3):
        make_comment(thread=make_thread(character=make_character()), body=f"A glitter aside {n}")
    with django_assert_max_num_queries(8):
        response = search_page(client, "glitter")
    assert response.content.decode().count("A comment in this discussion") == 3


def test_near_misses_cost_a_query_at_most_per_kind_of_name(client, django_assert_max_num_queries):
    """Names found only by similarity are read in one more query per kind, not one per name."""
    for n in range(5):
        make_person(name=f"Mira Sorvino {n}")
        make_character(name=f"Mira Sorvino {n}")
        make_film(title=f"Mira Sorvino {n}")
    with django_assert_max_num_queries(11):
        response = search_page(client, "Sorvio")
    assert response.content.decode().count("Close match") == 15
