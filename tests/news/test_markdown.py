"""The shared Markdown renderer: safe output, and no input that makes it slow."""

import time

import pytest

from news.markdown import MAX_LINK_BRACKETS, render_article


def test_links_render_and_stray_brackets_stay_as_text():
    html = render_article("See [the film](https://example.com/film) [sic] and [unclosed")
    assert '<a href="https://example.com/film" rel="noopener noreferrer">the film</a>' in html
    assert "[sic]" in html
    assert "[unclosed" in html


def test_links_beyond_the_limit_are_plain_text():
    source = " ".join(f"[l{n}](https://example.com/{n})" for n in range(MAX_LINK_BRACKETS + 5))
    assert render_article(source).count("<a ") == MAX_LINK_BRACKETS


@pytest.mark.parametrize(
    "source",
    ["[" * 10_000, "![" * 5_000, "[a][" * 2_500, "[" * 5_000 + "]" * 5_000, "[x](" * 2_500],
    ids=["unclosed", "images", "references", "nested", "open-parens"],
)
def test_bracket_floods_render_quickly(source):
    """Unguarded, 10,000 "[" took about 11 s: one request could hold a worker that long."""
    started = time.perf_counter()
    render_article(source)
    assert time.perf_counter() - started < 2
