import pytest

from comments.demo import seed_discussions
from comments.models import Comment, Thread
from news.demo import SEQUEL_POST_SLUG, seed_news
from tests.factories import make_film, make_person

pytestmark = pytest.mark.django_db


def test_demo_discussions_are_seeded_once():
    film = make_film(title="Romy and Michele's High School Reunion")
    cumming = make_person(name="Alan Cumming")
    seed_news()
    seed_discussions()
    counts = (Thread.objects.count(), Comment.objects.count())
    seed_discussions()
    assert (Thread.objects.count(), Comment.objects.count()) == counts
    post_thread = Thread.objects.get(post__slug=SEQUEL_POST_SLUG)
    assert post_thread.comment_count == post_thread.comments.count() == 6
    favourite = film.threads.get(spoilers_for=None)
    assert favourite.comment_count == 3
    assert cumming.threads.get().comment_count == 2


def test_demo_marks_what_gives_the_1997_film_away():
    film = make_film(title="Romy and Michele's High School Reunion")
    seed_discussions()
    ending = film.threads.get(spoilers_for=film)
    assert ending.comment_count == 2
    marked = Comment.objects.filter(spoilers_for=film)
    assert {comment.body.split(":")[0] for comment in marked} == {"The ending", "Yes"}


def test_demo_discussions_skip_what_the_other_demos_did_not_make():
    seed_discussions()
    assert not Thread.objects.exists()
