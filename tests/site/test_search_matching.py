"""What search finds, the same on SQLite and PostgreSQL: every word in any order, whatever the
case, accents, apostrophes and quotes; names typed a little wrong; titles ranked above bodies."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from comments.models import CommentStatus
from fansite import search
from fansite.search import search_everything
from tests.factories import (
    make_character,
    make_comment,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_sequel,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    """The demo's people (as seed_demo names them), the 1997 film they star in, and a sequel
    only one of them is in."""
    film = make_film(title="Romy and Michele's High School Reunion", synopsis="Two friends.")
    sequel = make_sequel(film, title="Untitled sequel", synopsis="A follow-up.")
    people = {
        name: make_person(name=name, bio="An actor.")
        for name in ["Mira Sorvino", "Lisa Kudrow", "Janeane Garofalo", "Alan Cumming"]
    }
    for billing, name in enumerate(["Mira Sorvino", "Lisa Kudrow", "Janeane Garofalo"], 1):
        make_credit(film=film, person=people[name], billing=billing)
    make_credit(film=sequel, person=people["Lisa Kudrow"])
    return {"film": film, "sequel": sequel, **people}


def test_every_word_must_be_on_the_page():
    both = make_post(title="Sorvino and Kudrow return", body="Filming starts soon.")
    make_post(title="Sorvino speaks", body="Nothing about the other one.")
    assert search_everything("sorvino kudrow").found("posts") == [both]


def test_words_are_found_in_any_order_and_across_fields():
    post = make_post(title="Kudrow confirmed", standfirst="", body="Alongside Mira Sorvino.")
    assert search_everything("sorvino kudrow").found("posts") == [post]
    assert search_everything("kudrow sorvino").found("posts") == [post]


def test_a_film_is_found_by_the_names_of_its_cast(cast):
    results = search_everything("kudrow sorvino")
    assert results.found("films") == [cast["film"]]


def test_a_film_is_found_again_when_its_cast_changes(cast):
    make_credit(film=cast["sequel"], person=cast["Alan Cumming"])
    assert search_everything("cumming kudrow").found("films") == [cast["sequel"]]
    cast["Alan Cumming"].name = "Alan Brody"
    cast["Alan Cumming"].save()
    assert search_everything("brody kudrow").found("films") == [cast["sequel"]]


def test_an_edited_post_is_found_by_its_new_words_only():
    post = make_post(title="Casting rumours")
    post.title = "Casting confirmed"
    post.save()
    assert search_everything("confirmed").found("posts") == [post]
    assert search_everything("rumours").found("posts") == []


def test_a_deleted_comment_row_is_no_longer_found():
    comment = make_comment(body="Ephemeral words")
    comment.delete()
    assert search_everything("ephemeral").found("discussions") == []


@pytest.mark.parametrize(
    "q", ["Garofalo", "garofalo", "GARÓFALO", "Garófalo", "“Garofalo”", '"garofalo"']
)
def test_case_accents_and_quotes_do_not_matter(cast, q):
    assert search_everything(q).found("people") == [cast["Janeane Garofalo"]]


def test_accents_in_the_text_do_not_matter():
    post = make_post(title="Garófalo is back", body="With café scenes.")
    assert search_everything("garofalo cafe").found("posts") == [post]


@pytest.mark.parametrize(
    "q", ["Romy's reunion", "Romy’s reunion", "Romy reunion", "‘romy’ reunion"]
)
def test_apostrophes_straight_or_curly_do_not_matter(q):
    post = make_post(title="Romy’s reunion outfit", body="Made by hand.")
    assert search_everything(q).found("posts") == [post]


def test_the_apostrophe_in_the_text_may_be_straight_when_the_query_is_curly():
    post = make_post(title="Michele's designs", body="Shoulder pads.")
    assert search_everything("Michele’s designs").found("posts") == [post]


def test_plural_and_singular_find_each_other():
    post = make_post(title="Sequels we want", body="More.")
    assert search_everything("sequel").found("posts") == [post]


@pytest.mark.parametrize(
    ("typed", "name"),
    [("Sorvio", "Mira Sorvino"), ("Kudro", "Lisa Kudrow"), ("Garafalo", "Janeane Garofalo")],
)
def test_a_near_miss_name_finds_the_person(cast, typed, name):
    results = search_everything(typed)
    assert results.found("people") == [cast[name]]
    assert [hit.near_miss for hit in results.groups[0].hits] == [True]


@pytest.mark.parametrize(
    ("typed", "name"),
    [("Sorvio", "Mira Sorvino"), ("Kudro", "Lisa Kudrow"), ("Garafalo", "Janeane Garofalo")],
)
def test_did_you_mean_offers_the_closest_name_as_a_search_link(client, cast, typed, name):
    response = client.get(reverse("search"), {"q": typed})
    assertContains(response, "Did you mean")
    assertContains(response, f'href="/search/?q={name.replace(" ", "%20")}">{name}</a>')


def test_did_you_mean_offers_each_name_misspelt_in_a_longer_query(cast):
    results = search_everything("Sorvnio Kudorw")
    assert results.total == 0
    assert [name.name for name in results.suggestions] == ["Mira Sorvino", "Lisa Kudrow"]


def test_nothing_like_any_name_offers_nothing(cast):
    results = search_everything("zzyzx")
    assert (results.total, results.suggestions) == (0, [])


def test_no_did_you_mean_when_pages_have_the_words(cast):
    assert search_everything("Kudrow").suggestions == []


def test_a_near_miss_never_needs_every_word():
    make_character(name="Romy White")
    assert search_everything("romy reunion").found("characters") == []


def test_a_title_hit_ranks_above_a_body_hit():
    in_body = make_post(title="Casting news", body="The reunion dress, the reunion gym.")
    in_title = make_post(title="Reunion dress", body="Casting news.")
    assert search_everything("reunion").found("posts") == [in_title, in_body]


def test_a_name_ranks_above_a_mention_in_a_bio():
    mentioned = make_person(name="Robin Schiff", bio="Wrote the part for Lisa Kudrow.")
    named = make_person(name="Lisa Kudrow", bio="Plays Michele.")
    assert search_everything("kudrow").found("people") == [named, mentioned]


def test_a_film_title_ranks_above_its_synopsis():
    in_synopsis = make_film(title="A comedy", synopsis="Set at a high school reunion.")
    in_title = make_film(title="The reunion", synopsis="A comedy.")
    assert search_everything("reunion").found("films") == [in_title, in_synopsis]


def test_a_thread_title_ranks_above_a_comment():
    commented = make_comment(body="The prom was wild")
    titled = make_thread(title="Prom night")
    assert search_everything("prom").found("discussions") == [titled, commented]


GLITTER_ONCE = "Some glitter on the dress, and on the shoes, and on a hat."
GLITTER_MANY = "Glitter, glitter, glitter and glitter."


def test_comments_are_ranked_among_the_newest_that_match(monkeypatch):
    """Common words match thousands of comments: only the RANKED_COMMENTS newest are ranked, so
    an older, better match gives way to newer ones."""
    monkeypatch.setattr(search, "RANKED_COMMENTS", 2)
    make_comment(body=GLITTER_MANY)
    newer = [make_comment(body=GLITTER_ONCE), make_comment(body=GLITTER_ONCE + " More.")]
    assert set(search_everything("glitter").found("discussions")) == set(newer)


def test_the_newest_comments_ranked_are_the_newest_anyone_may_read(monkeypatch):
    monkeypatch.setattr(search, "RANKED_COMMENTS", 1)
    visible = make_comment(body=GLITTER_ONCE)
    make_comment(body=GLITTER_ONCE, status=CommentStatus.HIDDEN)
    assert search_everything("glitter").found("discussions") == [visible]


def test_among_the_newest_comments_the_best_match_comes_first():
    best = make_comment(body=GLITTER_MANY)
    newer = make_comment(body=GLITTER_ONCE)
    assert search_everything("glitter").found("discussions") == [best, newer]


def test_a_renamed_person_is_a_near_miss_of_the_new_name_only():
    """Names' trigrams are kept per worker by the name itself: a new name is compared afresh."""
    person = make_person(name="Mira Sorvino")
    assert search_everything("sorvio").found("people") == [person]
    person.name = "Janeane Garofalo"
    person.save()
    assert search_everything("sorvio").found("people") == []
    assert search_everything("garafalo").found("people") == [person]
