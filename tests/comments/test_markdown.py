from html.parser import HTMLParser

import pytest
from django.conf import settings

from comments.markdown import render_comment
from news.markdown import EXPANSION_ALLOWANCE, MAX_EXPANSION
from tests.factories import make_user
from tests.news.markdown_work import count_markdown_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="#" onclick="alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        '<iframe src="https://example.com"></iframe>',
        '<span class="spoiler" onmouseover="alert(1)">x</span>',
    ],
)
def test_dangerous_markup_never_survives(source):
    """Escaped text is harmless; what matters is the elements and attributes a browser sees."""
    elements = _elements(render_comment(source).html)
    tags = {tag for tag, _ in elements}
    assert not tags & {"script", "img", "iframe"}
    for _, attrs in elements:
        assert not any(name.startswith("on") for name, _ in attrs)
        assert not any((value or "").lower().startswith("javascript:") for _, value in attrs)


def _elements(html: str) -> list[tuple[str, list]]:
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_raw_html_arrives_as_text():
    html = render_comment("<b>bold?</b>").html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


def test_basic_markdown_renders():
    html = render_comment("**bold** *it* `code`\n\n> quoted\n\n- one\n- two").html
    expected = ("<strong>bold</strong>", "<em>it</em>", "<code>code</code>", "<blockquote>", "<li>")
    for tag in expected:
        assert tag in html


def test_links_get_nofollow_ugc_noopener():
    html = render_comment("[a site](https://example.com)").html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_spoiler_becomes_a_focusable_hidden_span():
    html = render_comment("Sandy ||comes back rich|| at the reunion").html
    assert '<span class="spoiler" tabindex="0"' in html
    assert ">comes back rich</span>" in html
    assert "||" not in html


def test_spoiler_inside_code_stays_literal():
    assert "<code>||not a spoiler||</code>" in render_comment("`||not a spoiler||`").html


def test_mention_of_an_existing_user_links_to_their_profile():
    romy = make_user(username="romy")
    rendered = render_comment("Hello @romy, see you there.")
    assert f'href="{romy.get_absolute_url()}"' in rendered.html
    assert rendered.mentioned == [romy]


def test_mention_of_an_unknown_user_stays_plain_text():
    rendered = render_comment("Hello @nobody_here")
    assert "<a" not in rendered.html
    assert rendered.mentioned == []


def test_mention_ignores_email_addresses_and_code():
    make_user(username="michele")
    rendered = render_comment("write to someone@michele.com or `@michele`")
    assert rendered.mentioned == []
    assert "mention" not in rendered.html


def test_mention_at_the_end_of_a_sentence_drops_the_full_stop():
    heather = make_user(username="heather")
    rendered = render_comment("Thanks @heather.")
    assert rendered.mentioned == [heather]
    assert "@heather</a>." in rendered.html


def test_mention_in_bold_is_one_link():
    make_user(username="romy")
    html = render_comment("**@romy**").html
    assert html.count("<a ") == 1
    assert '<strong><a class="mention" href="/users/romy/"' in html


def test_mention_in_underscore_emphasis_is_a_link():
    romy = make_user(username="romy")
    rendered = render_comment("_@romy_")
    assert '<em><a class="mention" href="/users/romy/"' in rendered.html
    assert rendered.mentioned == [romy]


def test_at_sign_after_a_letter_is_an_email_address_not_a_mention():
    make_user(username="romy")
    rendered = render_comment("write to michele@romy today")
    assert "mention" not in rendered.html
    assert rendered.mentioned == []


def test_an_image_leaves_no_empty_paragraph():
    html = render_comment("![A poster](https://example.com/poster.jpg)\n\nWhat a poster.").html
    assert "<p></p>" not in html
    assert html == "<p>What a poster.</p>"


def test_mention_inside_a_link_makes_no_second_link():
    make_user(username="romy")
    html = render_comment("[@romy](https://example.com/)").html
    assert html.count("<a ") == 1
    assert "mention" not in html


def _fill(unit: str) -> str:
    """The unit repeated to the longest comment allowed."""
    length = settings.COMMENT_MAX_LENGTH
    return (unit * (length // len(unit) + 1))[:length]


# Comment syntax on top of the hostile corpus of tests/news/test_markdown.py. Unguarded, a
# flood of spoilers made HTML 12 times as long as the comment, and of mentions 24 times.
COMMENT_FLOODS = {
    "spoiler-markers": "|" * settings.COMMENT_MAX_LENGTH,
    "spoilers": _fill("||a||"),
    "mentions": _fill("@romy "),
    "mentions-in-emphasis": _fill("*@romy* "),
}
WORK_PER_CHARACTER = 300  # As for articles; these floods cost about 30.


@pytest.mark.parametrize("source", COMMENT_FLOODS.values(), ids=COMMENT_FLOODS.keys())
def test_comment_floods_make_html_a_bounded_multiple_of_their_length(source):
    make_user(username="romy")
    html = render_comment(source).html
    assert len(html) <= MAX_EXPANSION * len(source) + EXPANSION_ALLOWANCE


@pytest.mark.parametrize("source", COMMENT_FLOODS.values(), ids=COMMENT_FLOODS.keys())
def test_comment_floods_cost_work_proportional_to_their_length(source, monkeypatch):
    make_user(username="romy")
    work = count_markdown_work(monkeypatch)
    render_comment(source)
    assert work.steps <= WORK_PER_CHARACTER * len(source)


def test_a_mention_flood_is_shown_as_text_and_mentions_nobody():
    make_user(username="romy")
    rendered = render_comment(_fill("@romy "))
    assert "<a" not in rendered.html
    assert rendered.mentioned == []


def test_a_few_mentions_and_spoilers_still_render():
    romy = make_user(username="romy")
    rendered = render_comment("@romy " * 20 + "||the twist|| " * 20)
    assert rendered.html.count('class="mention"') == 20
    assert rendered.html.count('class="spoiler"') == 20
    assert rendered.mentioned == [romy]
