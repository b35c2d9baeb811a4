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

from news.markdown import render_markdown

COMMENT_TAGS = frozenset(
    {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "span"}
)
COMMENT_ATTRIBUTES = {"a": {"href", "title", "class"}, "span": {"class", "tabindex", "title"}}
COMMENT_LINK_REL = "nofollow ugc noopener"

SPOILER_PATTERN = r"\|\|(.+?)\|\|"
# Usernames are letters, digits and @.+-_; a trailing dot ends the sentence, not the name.
MENTION_RE = re.compile(r"(?<![\w@/])@([\w.+-]*[\w+-])")


class SpoilerProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        element = ET.Element("span", {"class": "spoiler", "tabindex": "0", "title": "Spoiler"})
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class MentionProcessor(InlineProcessor):
    def __init__(self, pattern: str, md, users: dict[str, str]):
        super().__init__(pattern, md)
        self.users = users

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        url = self.users.get(m.group(1))
        if url is None:
            return None, None, None
        element = ET.Element("a", {"href": url, "class": "mention"})
        element.text = f"@{m.group(1)}"
        return element, m.start(0), m.end(0)


class CommentExtension(Extension):
    def __init__(self, users: dict[str, str], **kwargs):
        self.users = users
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # Below code spans (190) and links (160), so `||x||` in code stays literal.
        md.inlinePatterns.register(SpoilerProcessor(SPOILER_PATTERN, md), "spoiler", 65)
        md.inlinePatterns.register(
            MentionProcessor(MENTION_RE.pattern, md, self.users), "mention", 60
        )


@dataclass(frozen=True)
class RenderedComment:
    html: str
    mentioned: list = field(default_factory=list)


def mentioned_users(source: str) -> list:
    """The existing, active users named with @ in the source, in one query."""
    names = set(MENTION_RE.findall(source))
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return list(users.order_by("username"))


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
    # Only users whose mention survived as a link (not inside code) count as mentioned.
    mentioned = [user for user in users if f'href="{links[user.username]}"' in html]
    return RenderedComment(html=html, mentioned=mentioned)
