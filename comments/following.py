"""Following films, people and characters, and telling their followers what happens.

(Being written: see issue 10. announce_thread is called by services.thread_start.)
"""

from comments.models import Thread


def announce_thread(*, thread: Thread) -> None:
    """Tell the followers of the thread's film, person or character that it was started."""
