"""Comment bodies: a small Markdown dialect with spoilers and @mentions, sanitised by nh3.

Spoilers are written `||like this||` and become `<span class="spoiler" tabindex="0">`: CSS hides
them until they are focused (a click or Tab), and comments.js keeps them open once revealed.
`@username` becomes a link to that user's profile, but only when the user exists.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import reverse
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from news.markdown import render_markdown

COMMENT_TAGS = frozenset(
    {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "span"}
)
COMMENT_ATTRIBUTES = {"a": {"href", "title", "class"}, "span": {"class", "tabindex", "title"}}
COMMENT_LINK_REL = "nofollow ugc noopener"

SPOILER_PATTERN = r"\|\|(.+?)\|\|"
# Usernames are letters, digits and @.+-_; a trailing dot ends the sentence, not the name.
# Not after a letter or digit (an email address) nor @ or / (a URL), but after `_` (emphasis).
MENTION_RE = re.compile(r"(?<![^\W_])(?<![@/])@([\w.+-]*[\w+-])")

EMPTY_PARAGRAPH_RE = re.compile(r"<p>\s*</p>\n?")


class SpoilerProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        element = ET.Element("span", {"class": "spoiler", "tabindex": "0", "title": "Spoiler"})
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class MentionProcessor(InlineProcessor):
    ANCESTOR_EXCLUDES = ("a",)  # No link inside a link.

    def __init__(self, pattern: str, md, users: dict[str, str]):
        super().__init__(pattern, md)
        self.users = users

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        name = _known_name(m.group(1), self.users)
        if name is None:
            return None, None, None
        url = self.users[name]
        element = ET.Element("a", {"href": url, "class": "mention"})
        # Atomic: inside emphasis Markdown runs the inline patterns over new elements' text
        # again, which would nest a second mention link in this one.
        element.text = AtomicString(f"@{name}")
        return element, m.start(0), m.start(1) + len(name)


class CommentExtension(Extension):
    def __init__(self, users: dict[str, str], **kwargs):
        self.users = users
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # Below code spans (190) and links (160), so `||x||` in code stays literal. Mentions come
        # after emphasis (60): Markdown runs only the later patterns over the text inside a match,
        # so `*@name*` and `_@name_` hold a mention.
        md.inlinePatterns.register(SpoilerProcessor(SPOILER_PATTERN, md), "spoiler", 65)
        md.inlinePatterns.register(
            MentionProcessor(MENTION_RE.pattern, md, self.users), "mention", 40
        )


@dataclass(frozen=True)
class RenderedComment:
    html: str
    mentioned: list = field(default_factory=list)  # Users, in the order first named.


def _candidates(name: str) -> tuple[str, ...]:
    """`@romy_` may be `romy` closing an emphasis, or someone called `romy_`."""
    stripped = name.rstrip("_")
    return (name, stripped) if stripped and stripped != name else (name,)


def _known_name(name: str, users) -> str | None:
    return next((candidate for candidate in _candidates(name) if candidate in users), None)


def mentioned_users(source: str) -> list:
    """The existing, active users named with @ in the source, in one query."""
    names = {candidate for name in MENTION_RE.findall(source) for candidate in _candidates(name)}
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return list(users.order_by("username"))


def hide_spoilers(source: str) -> str:
    """The source with each spoiler's text replaced, for where CSS cannot hide it (email)."""
    return re.sub(SPOILER_PATTERN, "[spoiler]", source)


def render_comment(source: str) -> RenderedComment:
    users = mentioned_users(source)
    links = {user.username: reverse("accounts:profile", args=[user.username]) for user in users}
    html = render_markdown(
        source,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        extensions=[CommentExtension(links)],
        link_rel=COMMENT_LINK_REL,
    )
    # Images are not allowed in comments: nh3 drops them, which may leave a paragraph empty.
    html = EMPTY_PARAGRAPH_RE.sub("", html).strip()
    # Only users whose mention survived as a link (not inside code) count as mentioned, in the
    # order the comment first names them.
    positions = {user: html.find(f'href="{links[user.username]}"') for user in users}
    mentioned = sorted((user for user in users if positions[user] >= 0), key=positions.get)
    return RenderedComment(html=html, mentioned=mentioned)
