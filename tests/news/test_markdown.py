"""The shared Markdown renderer: safe output, and no input that makes it slow."""

import re

import pytest
from django.conf import settings
from markdown.inlinepatterns import LinkInlineProcessor

from news import markdown as news_markdown
from news.markdown import (
    EXPANSION_ALLOWANCE,
    MAX_EMPHASIS_RUNS,
    MAX_EXPANSION,
    MAX_LINK_BRACKETS,
    MAX_NESTING,
    render_article,
)
from tests.news.markdown_work import count_markdown_work

# Each "[" that reaches Markdown may cost a scan of the rest of the text (its link text, then
# its "(...)"), and the inline pass runs more than once; the guard lets MAX_LINK_BRACKETS of them
# through, so a few passes each is the budget. Unguarded, every "[" of a flood scans: thousands.
SCANS_PER_LINK = 5


def test_links_render_and_stray_brackets_stay_as_text():
    html = render_article("See [the film](https://example.com/film) [sic] and [unclosed")
    assert '<a href="https://example.com/film" rel="noopener noreferrer">the film</a>' in html
    assert "[sic]" in html
    assert "[unclosed" in html


def test_links_beyond_the_limit_are_plain_text():
    source = " ".join(f"[l{n}](https://example.com/{n})" for n in range(MAX_LINK_BRACKETS + 5))
    assert render_article(source).count("<a ") == MAX_LINK_BRACKETS


@pytest.fixture
def link_scan_steps(monkeypatch):
    """Counts the characters Markdown's link patterns step through, the work that blew up.

    Every link, image and reference pattern finds its "[...]" with getText and its "(...)" with
    getLink; each returns the index where its scan stopped.
    """
    steps = [0]
    get_text, get_link = LinkInlineProcessor.getText, LinkInlineProcessor.getLink

    def counting_get_text(self, data, index):
        result = get_text(self, data, index)
        steps[0] += result[1] - index
        return result

    def counting_get_link(self, data, index):
        result = get_link(self, data, index)
        steps[0] += result[2] - index
        return result

    monkeypatch.setattr(LinkInlineProcessor, "getText", counting_get_text)
    monkeypatch.setattr(LinkInlineProcessor, "getLink", counting_get_link)
    return steps


@pytest.mark.parametrize(
    "source",
    ["[" * 10_000, "![" * 5_000, "[a][" * 2_500, "[" * 5_000 + "]" * 5_000, "[x](" * 2_500],
    ids=["unclosed", "images", "references", "nested", "open-parens"],
)
def test_bracket_floods_cost_markdown_linear_work(source, link_scan_steps):
    """Unguarded, 10,000 "[" took about 11 s: one request could hold a worker that long.

    The work is counted, not timed, so a busy machine cannot fail it: unguarded these floods
    cost 12 to 150 million steps, guarded at most about 2 million.
    """
    render_article(source)
    assert link_scan_steps[0] <= MAX_LINK_BRACKETS * SCANS_PER_LINK * len(source)


def _fill(unit: str) -> str:
    """The unit repeated to the longest comment allowed."""
    length = settings.COMMENT_MAX_LENGTH
    return (unit * (length // len(unit) + 1))[:length]


# Bodies a hostile member or editor could post, at the longest comment allowed. Unguarded, the
# first ones cost 1,200 to 1,600 steps per character (about 300 levels of quotes re-parse their
# block each; a backtick run that pairs with nothing scans to the end, and Markdown then skips
# into the next run so that none pairs; each setext or rule line searches the rest of its
# block), and 3,000 list markers on a line exceed Python's recursion limit.
HOSTILE_BODIES = {
    "quotes": ">" * settings.COMMENT_MAX_LENGTH,
    "spaced-quotes": _fill("> "),
    "quote-per-line": "".join(">" * depth + " deeper\n" for depth in range(1, 140)),
    "list-markers-on-a-line": _fill("- ")[:-1] + "x",
    "ordered-markers-on-a-line": _fill("1. ")[:-1] + "x",
    "quoted-lists": _fill("> - "),
    "lists-by-indentation": "".join("    " * depth + "- item\n" for depth in range(70)),
    "lists-by-tabs": "".join("\t" * depth + "* item\n" for depth in range(140)),
    "emphasis": _fill("*a"),
    "underscores": _fill("_a "),
    "strong": _fill("**a"),
    "strong-emphasis": _fill("***a"),
    "star-flood": "*" * settings.COMMENT_MAX_LENGTH,
    "backticks": _fill("``a`"),
    "backtick-flood": "`" * settings.COMMENT_MAX_LENGTH,
    "entities": _fill("&amp;"),
    "ampersands": "&" * settings.COMMENT_MAX_LENGTH,
    "headings": _fill("# h\n"),
    "setext-headings": _fill("a\n=\n"),
    "rules": _fill("***\n"),
    "tabs": _fill("\t-\tx\n"),
    "brackets": "[" * settings.COMMENT_MAX_LENGTH,
}
# Ordinary Markdown costs about 25 steps per character (each of some twenty inline patterns
# reads the text once); the capped hostile bodies up to about 240.
WORK_PER_CHARACTER = 300

ORDINARY = """## Who is back

Sandy **comes back** in the *sequel*, says [Variety](https://variety.com/x), and `Kevin` not.

- one
- two
    - nested, with _emphasis_
1. first

> quoted
> > and quoted again

    code with `backticks` and *stars*

***

Heading
-------
"""


@pytest.fixture
def markdown_work(monkeypatch):
    return count_markdown_work(monkeypatch)


@pytest.mark.parametrize("source", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_bodies_cost_work_proportional_to_their_length(source, markdown_work):
    """Counted, not timed: the worst body of the hostile corpus took 1.28 s to post."""
    render_article(source)
    assert markdown_work.steps <= WORK_PER_CHARACTER * len(source)


@pytest.mark.parametrize("source", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_bodies_make_html_a_bounded_multiple_of_their_length(source):
    assert len(render_article(source)) <= MAX_EXPANSION * len(source) + EXPANSION_ALLOWANCE


def test_ordinary_markdown_renders_as_without_the_limits(monkeypatch):
    guarded = render_article(ORDINARY)
    for guard in (
        "_flatten_nesting",
        "_escape_excess_rule_lines",
        "_escape_unpaired_backticks",
        "_escape_excess_brackets",
        "_escape_excess_emphasis",
    ):
        monkeypatch.setattr(news_markdown, guard, lambda source: source)
    assert guarded == render_article(ORDINARY)


def test_quotes_nest_at_most_max_nesting_deep():
    html = render_article("> " * 50 + "deep")
    assert html.count("<blockquote>") == MAX_NESTING
    assert "deep" in html


def test_list_markers_nest_at_most_max_nesting_deep():
    """Unguarded, 3,000 "- " on one line raised RecursionError: a server error on posting."""
    html = render_article("- " * 3_000 + "deep")
    assert html.count("<ul>") == MAX_NESTING
    assert "deep" in html


def test_lists_by_indentation_nest_at_most_max_nesting_deep():
    source = "".join("    " * depth + f"- item {depth}\n" for depth in range(20))
    html = render_article(source)
    assert max(_depths(html, "ul")) <= MAX_NESTING
    assert "item 19" in html


def _depths(html: str, tag: str) -> list[int]:
    depth, depths = 0, [0]
    for closing, name in re.findall(r"<(/?)(\w+)", html):
        if name == tag:
            depth += -1 if closing else 1
            depths.append(depth)
    return depths


def test_emphasis_past_the_limit_is_plain_text():
    html = render_article("*a* " * (MAX_EMPHASIS_RUNS + 100))
    assert html.count("<em>") == MAX_EMPHASIS_RUNS // 2
    assert "*a*" in html


def test_unpaired_backticks_in_a_flood_show_as_backticks():
    html = render_article("`x` " + "``a`" * 100)
    assert html.startswith("<p><code>x</code>")
    assert "``a`" in html


def test_html_far_longer_than_its_source_falls_back_to_escaped_text():
    source = ">>>>>>>>\n\nb\n\n" * 1_000 + "<b>"  # 17 times as long, unguarded
    html = render_article(source)
    assert "<blockquote>" not in html
    assert "&lt;b&gt;" in html
    assert len(html) <= MAX_EXPANSION * len(source) + EXPANSION_ALLOWANCE
