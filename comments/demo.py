"""Demo content for the comments app: a few fans and their discussions, in our own words.

Runs after `seed_films()` and `seed_news()`. Idempotent: users are found by username and a
discussion that already exists is left alone. Anything the other demos did not create (the
sequel post, the 1997 film, Alan Cumming) is skipped with a note.
"""

import logging

from accounts.demo import demo_user
from comments import services
from comments.models import Thread
from films.models import Film, Person
from news.demo import SEQUEL_POST_SLUG
from news.models import Post

logger = logging.getLogger(__name__)

FANS = {
    "postit_queen": "Post-it Queen",
    "glitterpen": "Glitter Pen",
    "sandy_fan": "Team Sandy",
    "tucson_bound": "Tucson Bound",
}

# (author, body, replies[, SPOILS_THE_FILM]): replies are the same shape, nested; a comment
# ending with SPOILS_THE_FILM is marked as giving away the 1997 film.
SPOILS_THE_FILM = "spoils the 1997 film"
SEQUEL_POST_COMMENTS = [
    (
        "postit_queen",
        "I have waited for this since I wore out my VHS copy. Both of them back, *and* "
        "producing? Yes, please.",
        [
            (
                "glitterpen",
                "Same here. As long as the friendship stays at the centre, I am happy: that is "
                "what made the first one so warm.",
                [
                    (
                        "postit_queen",
                        "@glitterpen exactly. The jokes are great, but the loyalty is what stays "
                        "with you.",
                        [],
                    )
                ],
            )
        ],
    ),
    (
        "sandy_fan",
        "Alan Cumming saying he would be up for it made my week. ||Sandy arriving at the "
        "reunion as a millionaire|| is still one of my favourite moments in any comedy.",
        [("tucson_bound", "Fingers crossed he gets a proper part this time.", [])],
    ),
    (
        "tucson_bound",
        "No plot news yet, and honestly I like that. Let Robin Schiff take her time with the "
        "script.",
        [],
    ),
]

FILM_THREAD = (
    "Your favourite moment in the 1997 film?",
    "glitterpen",
    "Mine is when they decide, on the drive to Tucson, to pose as successful businesswomen. "
    "What is yours?",
    [
        (
            "tucson_bound",
            "The ending: opening a boutique of their own designs. Gets me every time.",
            [],
            SPOILS_THE_FILM,
        ),
        ("sandy_fan", "Every flashback to high school. Painful and very funny.", []),
    ],
)

# A discussion of how the 1997 film ends: marked as giving it away, so readers who have not
# seen it find it blurred until they say they have.
ENDING_THREAD = (
    "That ending: the boutique",
    "postit_queen",
    "They skip the fake success story and open a boutique of their own designs instead. Was "
    "that the best way to finish it?",
    [
        (
            "glitterpen",
            "Yes: the clothes were the real thing they were good at all along.",
            [],
            SPOILS_THE_FILM,
        )
    ],
)

PERSON_THREAD = (
    "Alan Cumming as Sandy Frink",
    "sandy_fan",
    "Sandy goes from awkward classmate to millionaire and stays sweet the whole way. Who else "
    "wants him back for the sequel?",
    [
        (
            "glitterpen",
            "Me! He said in 2023 that he would be very in for it, so the door is open.",
            [],
        )
    ],
)


def seed_discussions() -> None:
    """Create or update the demo discussions."""
    fans = {username: demo_user(username, display_name=name) for username, name in FANS.items()}
    _post_discussion(fans)
    original = (
        Film.objects.filter(title__istartswith="Romy and Michele", sequel_to__isnull=True)
        .order_by("release_date")
        .first()
    )
    if original is None:
        logger.warning("Demo discussions: no 1997 film found; its discussion was skipped.")
    else:
        _thread(fans, FILM_THREAD, film=original)
        _thread(fans, ENDING_THREAD, film=original, spoilers_for=original)
    cumming = Person.objects.filter(name="Alan Cumming").first()
    if cumming is None:
        logger.warning("Demo discussions: Alan Cumming not found; his discussion was skipped.")
    else:
        _thread(fans, PERSON_THREAD, person=cumming)


def _post_discussion(fans: dict) -> None:
    post = Post.objects.filter(slug=SEQUEL_POST_SLUG).first()
    if post is None:
        logger.warning("Demo discussions: the sequel post is missing; its comments were skipped.")
        return
    thread = services.thread_for_post(post=post)
    if thread.comments.exists():
        return
    for comment in SEQUEL_POST_COMMENTS:
        _post(fans, thread, comment)


def _thread(fans: dict, spec: tuple, spoilers_for=None, **subject) -> None:
    title, starter, body, replies = spec
    if Thread.objects.filter(title=title, **subject).exists():
        return
    thread = services.thread_start(
        author=fans[starter], title=title, body=body, spoilers_for=spoilers_for, **subject
    )
    first = thread.comments.get()
    for reply in replies:
        _post(fans, thread, reply, parent=first)


def _post(fans: dict, thread: Thread, spec: tuple, parent=None) -> None:
    author, body, replies, *marks = spec
    # The film a SPOILS_THE_FILM comment gives away: the 1997 film its thread is about.
    spoilers_for = thread.film if SPOILS_THE_FILM in marks else None
    comment = services.comment_create(
        thread=thread, author=fans[author], body=body, parent=parent, spoilers_for=spoilers_for
    )
    for reply in replies:
        _post(fans, thread, reply, parent=comment)
