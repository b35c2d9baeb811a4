"""Re-renders the stored HTML of every post and comment, after a Markdown or sanitiser change.

Rows are read in primary-key order, a batch at a time, and each batch is rendered and written
in its own transaction with its rows locked, so an edit made meanwhile is never overwritten by
HTML rendered from the older text. Only rows whose HTML changed are written. At the end cached
pages and every thread's cached comment sections are retired (comments.caching), whether or
not anything changed: a cache filled before an earlier, interrupted run may still be stale.
"""

from collections.abc import Callable, Iterator

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from comments.caching import thread_changed
from comments.models import Comment, Thread
from news.models import Post

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Re-render every post's and comment's stored HTML from its Markdown, then retire caches."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows rendered and written per transaction (default 500).",
        )
        parser.add_argument(
            "--only",
            choices=["posts", "comments"],
            help="Re-render only posts or only comments (default: both).",
        )

    def handle(self, *args, batch_size: int, only: str | None, verbosity: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.verbosity = verbosity
        if only in (None, "posts"):
            posts = Post.objects.prefetch_related("films", "people")
            self.rerender("Posts", posts, Post.render_body, batch_size)
        if only in (None, "comments"):
            self.rerender("Comments", Comment.objects.all(), Comment.render_body, batch_size)
        # Outside a transaction these run at once. Posts only show on pages, so their sections
        # need no retiring; thread_changed() with no ids retires cached pages alone.
        if only == "posts":
            thread_changed()
        else:
            thread_changed(*Thread.objects.values_list("pk", flat=True))
        if verbosity:
            self.stdout.write("Cached pages and comment sections retired.")

    def rerender(
        self,
        label: str,
        queryset: models.QuerySet,
        render: Callable[[models.Model], object],
        batch_size: int,
    ) -> None:
        total = queryset.count()
        done = changed = 0
        self.progress(label, done, total)
        for batch in _batches(queryset, batch_size):
            with transaction.atomic():
                rows = list(batch.select_for_update())
                stale = []
                for row in rows:
                    before = row.body_html
                    render(row)
                    if row.body_html != before:
                        stale.append(row)
                queryset.model.objects.bulk_update(stale, ["body_html"])
            done += len(rows)
            changed += len(stale)
            self.progress(label, done, max(total, done))
        if self.verbosity:
            self.stderr.write("")
            self.stdout.write(f"{label}: {done} re-rendered, {changed} changed.")

    def progress(self, label: str, done: int, total: int) -> None:
        """A one-line text bar on stderr, redrawn in place; nothing at verbosity 0."""
        if not self.verbosity:
            return
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r{label:<9} [{bar}] {done}/{total}", ending="")
        self.stderr.flush()


def _batches(queryset: models.QuerySet, batch_size: int) -> Iterator[models.QuerySet]:
    """Consecutive primary-key ranges of at most batch_size rows, covering the whole table.

    Each range is bounded by the primary keys read just before, so rows added during the run
    land in a later range (or after the last one) and no row is read twice.
    """
    last_pk = 0
    while True:
        pks = list(
            queryset.model.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not pks:
            return
        yield queryset.filter(pk__gte=pks[0], pk__lte=pks[-1]).order_by("pk")
        last_pk = pks[-1]
