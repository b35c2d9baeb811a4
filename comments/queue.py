"""Handing work to the task backend: once the write that calls for it commits, and again later
when it fails.

On the database backend (django-tasks-db, TASKS_BACKEND=database) a task is a row written in the
same transaction as the write that queued it, so the worker (`manage.py db_worker`) sees it once
the write commits and never if it rolls back, and no crash between the two loses it. Any other
backend is handed the task when the transaction commits. The immediate backend (`make run`, the
tests) runs it where it is queued.

Django's tasks are not retried when they fail: `retry_later` queues the task again, later each
time, up to ATTEMPTS_MAX attempts.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.tasks import Task
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

# 1, 2, 4 ... minutes between attempts, at most 4 hours: ten attempts span about 8 hours,
# longer than a mail server is usually down.
RETRY_FIRST_DELAY = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=4)
ATTEMPTS_MAX = 10


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Queue the task to run once the transaction in progress commits, never if it rolls back
    (outside a transaction: now)."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)  # Its row commits, or rolls back, with the write.
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def enqueue_with_write(task: Task, *args, **kwargs) -> None:
    """For a task that only writes rows (notifying followers): queued like enqueue_on_commit,
    but the immediate backend does it now, inside the transaction, so its rows commit or roll
    back with the write and what made the write sees them (its emails still wait for the
    commit). A failure there fails the write, as it did when the work was inline."""
    if isinstance(task.get_backend(), ImmediateBackend):
        task.call(*args, **kwargs)
    else:
        enqueue_on_commit(task, *args, **kwargs)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after the attempt-th failure before the next attempt."""
    return min(RETRY_FIRST_DELAY * 2 ** (attempt - 1), RETRY_MAX_DELAY)


def retry_later(task: Task, *args, attempt: int, error: Exception) -> bool:
    """After the attempt-th attempt of task(*args) failed with `error`, queue attempt + 1 for
    retry_delay(attempt) from now (the task takes `attempt` as a keyword). Returns whether it
    was queued: not after ATTEMPTS_MAX attempts, nor on a backend that cannot run a task later
    (the immediate one). Either way it is logged."""
    backend = task.get_backend()
    if attempt >= ATTEMPTS_MAX:
        logger.error("%s%r failed %d times, given up: %r", task.name, args, attempt, error)
        return False
    if not backend.supports_defer:
        logger.error(
            "%s%r failed and is not retried (the %s task backend cannot run a task later): %r",
            task.name,
            args,
            type(backend).__name__,
            error,
        )
        return False
    delay = retry_delay(attempt)
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
    logger.warning(
        "%s%r failed (attempt %d of %d), tried again in %s: %r",
        task.name,
        args,
        attempt,
        ATTEMPTS_MAX,
        delay,
        error,
    )
    return True
