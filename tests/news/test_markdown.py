"""The shared Markdown renderer: safe output, and no input that makes it slow."""

import pytest
from markdown.inlinepatterns import LinkInlineProcessor

from news.markdown import MAX_LINK_BRACKETS, render_article

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
