import io

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from news.models import Post
from tests.factories import make_comment, make_post, start_thread

pytestmark = pytest.mark.django_db

STALE = "<p>Rendered by an older sanitiser.</p>"


def rerender(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("rerender_html", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    for cache in caches.all():
        cache.clear()


def test_stale_post_html_is_rebuilt_from_the_body():
    post = make_post(body="Fresh *words*.")
    Post.objects.filter(pk=post.pk).update(body_html=STALE)

    rerender()

    post.refresh_from_db()
    assert post.body_html == "<p>Fresh <em>words</em>.</p>"


def test_stale_comment_html_is_rebuilt_from_the_body():
    comment = make_comment(body="Fresh **words**.", body_html=STALE)

    rerender()

    comment.refresh_from_db()
    assert comment.body_html == "<p>Fresh <strong>words</strong>.</p>"


def test_counts_of_rows_re_rendered_and_changed_are_reported():
    make_post()
    Post.objects.filter(pk=make_post().pk).update(body_html=STALE)
    make_comment(body="Up to date.", body_html="<p>Up to date.</p>")
    make_comment(body_html=STALE)
    make_comment(body_html=STALE)

    stdout, _ = rerender()

    assert "Posts: 2 re-rendered, 1 changed." in stdout
    assert "Comments: 3 re-rendered, 2 changed." in stdout


def test_small_batches_cover_every_row():
    comments = [make_comment(body=f"Comment {n}", body_html=STALE) for n in range(7)]

    rerender("--batch-size", "2")

    assert not Comment.objects.filter(body_html=STALE).exists()
    for comment in comments:
        comment.refresh_from_db()
        assert comment.body_html == f"<p>{comment.body}</p>"


def test_each_batch_is_written_in_one_query(django_assert_max_num_queries):
    """Guards against a save() per row: 6 stale comments in 3 batches, one UPDATE each."""
    for n in range(6):
        make_comment(body=f"Comment {n}", body_html=STALE)

    # count + per batch (pks, rows, savepoint in and out, update) + next pks + threads.
    with django_assert_max_num_queries(1 + 3 * 5 + 1 + 1):
        rerender("--only", "comments", "--batch-size", "2")


def test_progress_bar_goes_to_stderr_and_verbosity_0_is_silent():
    make_comment(body_html=STALE)

    _, stderr = rerender("--only", "comments")
    quiet_out, quiet_err = rerender("--only", "comments", "--verbosity", "0")

    assert "Comments  [" + "#" * 30 + "] 1/1" in stderr
    assert (quiet_out, quiet_err) == ("", "")


def test_only_posts_leaves_comments_alone():
    post = make_post(body="Fresh.")
    Post.objects.filter(pk=post.pk).update(body_html=STALE)
    comment = make_comment(body_html=STALE)

    stdout, _ = rerender("--only", "posts")

    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.body_html == "<p>Fresh.</p>"
    assert comment.body_html == STALE
    assert "Comments:" not in stdout


def test_only_comments_leaves_posts_alone():
    post = make_post()
    Post.objects.filter(pk=post.pk).update(body_html=STALE)

    rerender("--only", "comments")

    post.refresh_from_db()
    assert post.body_html == STALE


def test_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        rerender("--batch-size", "0")


def test_cached_anonymous_page_shows_the_new_html_after_the_command(
    client, page_cache, django_capture_on_commit_callbacks
):
    post = make_post(body="Fresh words.")
    Post.objects.filter(pk=post.pk).update(body_html=STALE)
    assertContains(client.get(post.get_absolute_url()), STALE)

    with django_capture_on_commit_callbacks(execute=True):
        rerender()

    response = client.get(post.get_absolute_url())
    assertNotContains(response, STALE)
    assertContains(response, "<p>Fresh words.</p>")


def test_cached_comment_section_shows_the_new_html_after_the_command(
    client, django_capture_on_commit_callbacks
):
    thread = start_thread(body="Fresh words.")
    Comment.objects.filter(thread=thread).update(body_html=STALE)
    assertContains(client.get(thread.get_absolute_url()), STALE)

    with django_capture_on_commit_callbacks(execute=True):
        rerender("--only", "comments")

    response = client.get(thread.get_absolute_url())
    assertNotContains(response, STALE)
    assertContains(response, "<p>Fresh words.</p>")
