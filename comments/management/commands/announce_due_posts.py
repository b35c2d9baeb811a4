"""Tell followers of the news posts that have fallen due: run it every minute (cron, or once
with --every 60 under the process manager). Telling is claimed per post, so several copies
running at once, or a post also announced by a deferred task, tell each follower once."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

from comments.following import announce_due_posts


class Command(BaseCommand):
    help = "Notify the followers of news posts that are published, due and not yet announced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running, looking again every SECONDS (for example 60), until stopped.",
        )

    def handle(self, *args, every: int | None = None, **options) -> None:
        if every is not None and every < 1:
            raise CommandError("--every needs a number of seconds of at least 1.")
        try:
            while True:
                try:
                    told = announce_due_posts()
                except DatabaseError as error:
                    if every is None:
                        raise
                    # The database away for a moment: the loop tries again next time.
                    self.stderr.write(f"Could not announce due posts: {error}")
                    told = 0
                if told or options["verbosity"] > 1:
                    self.stdout.write(f"Told {told} member{'s' if told != 1 else ''} of new posts.")
                if every is None:
                    return
                connections.close_all()  # A long-lived loop holds no connection between runs.
                time.sleep(every)
        except KeyboardInterrupt:
            return
