"""Markdown to safe HTML, for articles here and for comments (the comments app imports this).

Raw HTML in the source is never passed through: Markdown's HTML handling is switched off, so
`<script>` arrives as text, and nh3 then keeps only the allowlisted tags and attributes.
"""

import bisect
import html as html_lib
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

# The other structures that cost, found with a hostile corpus (tests/news/test_markdown.py):
# - Each quote or list level re-parses its whole block, and about 300 levels of "- " on one
#   line exceed Python's recursion limit (a 500). Line prefixes deeper than MAX_NESTING levels
#   (">" and list markers, and every 4 columns of indentation) are flattened to that depth.
# - A backtick run with no run of the same length after it in its block scans to the block's
#   end, and makes Markdown skip ahead into the next run, so the runs after it pair wrongly and
#   scan too. In a text of more than MAX_BACKTICK_RUNS runs, those that pair with nothing are
#   escaped (they showed as backticks anyway); fewer cost at most a scan each.
# - Every setext underline ("===", "---") or rule ("***") line makes the block parser search
#   the rest of the block again; past MAX_RULE_LINES, the rest are plain text.
# - Emphasis markers: past MAX_EMPHASIS_RUNS runs of "*" or "_", the rest are plain text.
# - Spoilers and mentions (comments) make ten to twenty times their length in HTML: HTML
#   longer than MAX_EXPANSION times the source (plus EXPANSION_ALLOWANCE) is replaced by the
#   source as escaped plain paragraphs.
MAX_NESTING = 8
MAX_BACKTICK_RUNS = 20
MAX_RULE_LINES = 50
MAX_EMPHASIS_RUNS = 200
MAX_EXPANSION = 8
EXPANSION_ALLOWANCE = 2_000
TAB_LENGTH = 4  # Python-Markdown's default.
_CONTAINER_PREFIX = re.compile(r"^(?:[ ]*(?:>|[-+*](?=[ ]|$)|\d{1,9}[.)](?=[ ]|$)))+[ ]*", re.M)
_PREFIX_TOKEN = re.compile(r"[ ]+|>|[-+*]|\d{1,9}[.)]")
# A character is escaped when an odd number of backslashes comes before it.
_BACKTICKS = re.compile(r"(?<!\\)(?:\\\\)*(`+)")
_EMPHASIS = re.compile(r"(?<!\\)(?:\\\\)*(\*+|_+)")
_RULE_LINE = re.compile(r"^[ ]{0,3}(?:=+|-+|(?:\*[ ]*){3,}|(?:_[ ]*){3,}|(?:-[ ]*){3,})[ ]*$", re.M)
# Where an inline text node may start: a blank line, a list item or a heading.
_NODE_START = re.compile(r"^[ >]*(?:$|[-+*][ ]|\d{1,9}[.)][ ]|#)", re.M)


def render_markdown(
    source: str,
    *,
    tags: frozenset[str],
    attributes: dict[str, set[str]],
    extensions: Sequence = (),
    link_rel: str | None = "noopener noreferrer",
    attribute_filter: Callable[[str, str, str], str | None] | None = None,
) -> str:
    """Render Markdown without raw HTML, then sanitise the result with nh3.

    The work is bounded by the source's length (see MAX_NESTING and the limits after it).
    """
    clean = {
        "tags": set(tags),
        "attributes": attributes,
        "url_schemes": set(URL_SCHEMES),
        "link_rel": link_rel,
        "attribute_filter": attribute_filter,
    }
    # What Python-Markdown does first, done here so the limits below see its columns.
    text = source.replace("\r\n", "\n").replace("\r", "\n").expandtabs(TAB_LENGTH)
    text = _flatten_nesting(text)
    text = _escape_excess_rule_lines(text)
    text = _escape_unpaired_backticks(text)
    text = _escape_excess_brackets(text)
    text = _escape_excess_emphasis(text)
    converter = markdown.Markdown(extensions=["sane_lists", *extensions], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = nh3.clean(converter.convert(text), **clean)
    if len(html) > MAX_EXPANSION * len(source) + EXPANSION_ALLOWANCE:
        return nh3.clean(_plain_paragraphs(source), **clean)
    return html


def _plain_paragraphs(source: str) -> str:
    """The source as text: escaped, one <p> per paragraph, at most about 5 times as long."""
    paragraphs = re.split(r"\n[ \t]*\n", source.replace("\r\n", "\n").strip())
    return "\n".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in paragraphs if p.strip())


def _flatten_nesting(source: str) -> str:
    """The source with line prefixes deeper than MAX_NESTING levels cut to that depth."""
    return _CONTAINER_PREFIX.sub(_flatten_prefix, source)


def _flatten_prefix(match: re.Match) -> str:
    tokens = _PREFIX_TOKEN.findall(match.group())
    levels = sum(len(t) // TAB_LENGTH if t[0] == " " else 1 for t in tokens)
    if levels <= MAX_NESTING:
        return match.group()
    budget, kept = MAX_NESTING, []
    for token in tokens:
        if token[0] == " ":
            # Past the budget one space still separates the last marker from the text.
            width = min(len(token), budget * TAB_LENGTH or 1)
            kept.append(" " * width)
            budget -= width // TAB_LENGTH
        elif budget > 0:
            kept.append(token)
            budget -= 1
    return "".join(kept)


def _escape_excess_rule_lines(source: str) -> str:
    """The source with the setext underlines and rules past MAX_RULE_LINES made plain text."""
    count = 0

    def escape(match: re.Match) -> str:
        nonlocal count
        count += 1
        if count <= MAX_RULE_LINES:
            return match.group()
        line = match.group()
        at = len(line) - len(line.lstrip(" "))
        # "=" has no backslash escape in Markdown; its character reference reads the same.
        first = "&#61;" if line[at] == "=" else "\\" + line[at]
        return line[:at] + first + line[at + 1 :]

    return _RULE_LINE.sub(escape, source)


def _escape_unpaired_backticks(source: str) -> str:
    """The source with the backtick runs that close nowhere escaped, past MAX_BACKTICK_RUNS.

    Markdown pairs a run with the next run of the same length in its text; a run without one
    scans to the end. Runs are paired here block by block, as Markdown sees them.
    """
    if source.count("`") <= MAX_BACKTICK_RUNS:
        return source
    runs = [match.span(1) for match in _BACKTICKS.finditer(source)]
    if len(runs) <= MAX_BACKTICK_RUNS:
        return source
    starts = [match.start() for match in _NODE_START.finditer(source)]
    unpaired = []
    by_node: dict[int, list[tuple[int, int]]] = {}
    for span in runs:
        by_node.setdefault(bisect.bisect_right(starts, span[0]), []).append(span)
    for node_runs in by_node.values():
        later: dict[int, list[int]] = {}  # run length -> indexes of the runs of that length
        for index, (start, end) in enumerate(node_runs):
            later.setdefault(end - start, []).append(index)
        index = 0
        while index < len(node_runs):
            same = later[node_runs[index][1] - node_runs[index][0]]
            following = bisect.bisect_right(same, index)
            if following == len(same):
                unpaired.append(node_runs[index])
                index += 1
            else:
                index = same[following] + 1
    pieces, position = [], 0
    for start, end in sorted(unpaired):
        pieces += [source[position:start], "\\`" * (end - start)]
        position = end
    pieces.append(source[position:])
    return "".join(pieces)


def _escape_excess_emphasis(source: str) -> str:
    """The source with the runs of "*" and "_" past MAX_EMPHASIS_RUNS escaped."""
    count = 0

    def escape(match: re.Match) -> str:
        nonlocal count
        start, end = match.span(1)
        before = source[start - 1] if start else " "
        after = source[end] if end < len(source) else " "
        run = match.group(1)
        # Neither opens nor closes emphasis: a list marker or rule, or "_" inside a word.
        if (before.isspace() and after.isspace()) or (
            run[0] == "_" and before.isalnum() and after.isalnum()
        ):
            return match.group()
        count += 1
        if count <= MAX_EMPHASIS_RUNS:
            return match.group()
        return match.group()[: start - match.start()] + "".join("\\" + c for c in run)

    return _EMPHASIS.sub(escape, source)


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
