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
