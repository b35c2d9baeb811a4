"""Markdown to safe HTML, for articles here and for comments (the comments app imports this).

Raw HTML in the source is never passed through: Markdown's HTML handling is switched off, so
`<script>` arrives as text, and nh3 then keeps only the allowlisted tags and attributes.
"""

import re
from collections.abc import Callable, Sequence

import markdown
import nh3
from django.conf import settings

ARTICLE_TAGS = frozenset(
    {"p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "a", "code",
     "pre", "hr", "img", "figure", "figcaption", "cite", "q", "abbr", "sup", "sub"}
)  # fmt: skip
ARTICLE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Python-Markdown's link patterns scan ahead from every "[" for its closing bracket: many "["
# cost time proportional to their number times the text's length (10,000 unmatched ones took
# about 11 s). A "[" that closes nowhere, or only far away (no link text is that long), is
# escaped, and past MAX_LINK_BRACKETS links the rest are plain text.
MAX_LINK_BRACKETS = 50
MAX_LINK_TEXT = 300
_BRACKET = re.compile(r"(?<!\\)[\[\]]")


def render_markdown(
    source: str,
    *,
    tags: frozenset[str],
    attributes: dict[str, set[str]],
    extensions: Sequence = (),
    link_rel: str | None = "noopener noreferrer",
    attribute_filter: Callable[[str, str, str], str | None] | None = None,
) -> str:
    """Render Markdown without raw HTML, then sanitise the result with nh3."""
    source = _escape_excess_brackets(source)
    converter = markdown.Markdown(extensions=["sane_lists", *extensions], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = converter.convert(source)
    return nh3.clean(
        html,
        tags=set(tags),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel=link_rel,
        attribute_filter=attribute_filter,
    )


def _escape_excess_brackets(source: str) -> str:
    """The source with the "[" that would make Markdown slow escaped (see MAX_LINK_BRACKETS)."""
    if "[" not in source:
        return source
    openers: list[int] = []
    costly: set[int] = set()
    for match in _BRACKET.finditer(source):
        if match.group() == "[":
            openers.append(match.start())
        elif openers:
            start = openers.pop()
            if match.start() - start > MAX_LINK_TEXT:
                costly.add(start)
    costly.update(openers)  # never closed: these scan to the end of the text
    pieces, position, kept = [], 0, 0
    for match in _BRACKET.finditer(source):
        at = match.start()
        if match.group() != "[":
            continue
        if at not in costly and kept < MAX_LINK_BRACKETS:
            kept += 1
            continue
        pieces += [source[position:at], "\\"]
        position = at
    pieces.append(source[position:])
    return "".join(pieces)


def render_article(source: str) -> str:
    """An editor's article body: subheadings, quotes, lists, links and images from our media."""
    html = render_markdown(
        source,
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        attribute_filter=_images_from_our_media,
    )
    # An image from elsewhere lost its src above; without one it would show as broken.
    return _IMAGE_WITHOUT_SOURCE.sub("", html)


# The HTML here is nh3's output, so every <img> is one tag with quoted attributes.
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _images_from_our_media(element: str, attribute: str, value: str) -> str | None:
    """Article images come from our own uploads: no hotlinking, no tracking pixels."""
    if element == "img" and attribute == "src":
        media_url = settings.MEDIA_URL
        if not value.startswith(media_url) or ".." in value:
            return None
    return value
