"""Every field a member or an editor controls is harmless wherever the site shows it.

A corpus of hostile inputs (script, event handlers, javascript: and data: URLs, SVG and MathML
breakouts, bidi overrides and zero-width characters, template syntax, very long strings) is put
into every such field (comment body, thread title, display name, bio, username, report note,
search query, post title and standfirst) and every page that shows it is read back as HTML:
no script, event handler, active URL or embedding element comes from the input, JSON-LD stays
valid JSON, emails and feeds are well formed, and nothing answers 500."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse

from accounts.models import User
from comments import services as comment_services
from comments.models import FlagReason
from tests.factories import make_moderator, make_post, make_staff, make_user, start_thread

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<details open ontoggle=alert(1)>x</details>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<base href=//evil.example>",
    "\u202egnp.exe\u202c and \u2066isolated\u2069",
    "zero\u200bwidth\u200djoin\ufeff",
    "{{ request }} {% csrf_token %} ${alert(1)}",
    "' OR 1=1 --",
    "line one\r\nBcc: victim@example.com",
    "x" * 5000,
    "<" * 300 + "script>alert(1)",
]
IDS = [f"input{n}" for n in range(len(HOSTILE))]

ACTIVE_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "math", "style", "base", "frame", "frameset"}


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith(ACTIVE_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "svg" and attributes.get("class") != "header-notifications__icon":
            self.problems.append("<svg> not ours")
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self._in_json_ld = True
                self.json_ld.append("")
            elif not (attributes.get("src") or "").startswith("/static/"):
                # A nonce is ours (input cannot know it): named, not valued, so pages compare.
                self.problems.append(f"<script {sorted(attributes)} src={attributes.get('src')}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def _audit(response) -> _Audit:
    audit = _Audit()
    audit.feed(response.content.decode())
    audit.close()
    return audit


def assert_harmless(response, chrome: Counter | None = None) -> None:
    """`chrome`: what the page's own markup holds of the things counted (the admin's scripts
    and icons), read from the same page built from harmless input."""
    assert response.status_code < 500
    html = response.content.decode()
    audit = _audit(response)
    assert Counter(audit.problems) - (chrome or Counter()) == Counter()
    assert "alert(1)</script" not in html
    for block in audit.json_ld:
        json.loads(block)  # A </script> in the input would have cut it short.


@pytest.fixture
def world():
    """Build the site's rows with `value` in every member- and editor-controlled field."""

    def build(value: str):
        author = make_user(display_name=value[:60], bio=value[:500])
        # A username holds what its validator lets through (at signup and in the admin alike).
        username = f"u{author.pk}" + re.sub(r"[^\w.@+-]", "", value)[:100]
        User.objects.filter(pk=author.pk).update(username=username)
        author.refresh_from_db()
        thread = start_thread(author=author, title=value[:200], body=value)
        reader = make_user()
        comment_services.subscription_toggle(thread=thread, user=reader)
        reply = comment_services.comment_create(
            thread=thread, author=author, body=f"@{reader.username} {value}"
        )
        comment_services.flag_create(
            comment=reply, reporter=reader, reason=FlagReason.SPAM, note=value[:500]
        )
        post = make_post(title=value[:200] or "x", standfirst=value[:300])
        comment_services.comment_create(
            thread=comment_services.thread_for_post(post=post), author=author, body=value
        )
        return {"author": author, "thread": thread, "reader": reader, "post": post}

    return build


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_thread_page_is_harmless(client, world, value):
    rows = world(value)
    assert_harmless(client.get(rows["thread"].get_absolute_url()))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_thread_page_is_harmless_for_members(client, world, value):
    rows = world(value)
    client.force_login(rows["reader"])
    assert_harmless(client.get(rows["thread"].get_absolute_url()))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_post_page_and_its_comments_are_harmless(client, world, value):
    rows = world(value)
    assert_harmless(client.get(rows["post"].get_absolute_url()))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_discussion_and_news_lists_are_harmless(client, world, value):
    world(value)
    assert_harmless(client.get(reverse("comments:index")))
    assert_harmless(client.get(reverse("news:index")))
    assert_harmless(client.get(reverse("home")))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_profile_page_is_harmless(client, world, value):
    rows = world(value)
    assert_harmless(client.get(rows["author"].get_absolute_url()))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_notifications_page_is_harmless(client, world, value):
    rows = world(value)
    client.force_login(rows["reader"])
    assert_harmless(client.get(reverse("comments:notifications")))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_moderation_queue_is_harmless(client, world, value):
    world(value)
    client.force_login(make_moderator())
    assert_harmless(client.get(reverse("comments:moderation")))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_search_page_is_harmless(client, world, value):
    world(value)
    assert_harmless(client.get(reverse("search"), {"q": value}))
    assert_harmless(client.get(reverse("search"), {"q": value[:20]}))


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:comments_comment_changelist",
        "admin:comments_thread_changelist",
        "admin:comments_flag_changelist",
        "admin:comments_notification_changelist",
        "admin:accounts_user_changelist",
        "admin:news_post_changelist",
    ],
)
@pytest.mark.parametrize("value", HOSTILE[:16], ids=IDS[:16])
def test_admin_change_lists_are_harmless(client, world, value, changelist):
    client.force_login(make_staff())
    world("harmless")
    chrome = Counter(_audit(client.get(reverse(changelist))).problems)
    world(value)
    response = client.get(reverse(changelist))
    assert response.status_code == 200
    assert_harmless(response, chrome)


@pytest.mark.parametrize("value", [HOSTILE[0], HOSTILE[3], HOSTILE[13]], ids=IDS[:3])
def test_feed_descriptions_are_harmless_html(client, world, value):
    world(value)
    for name in ("news:feed", "news:atom"):
        root = ET.fromstring(client.get(reverse(name)).content)
        for element in root.iter():
            if element.text and element.tag.split("}")[-1] in {"description", "summary"}:
                audit = _Audit()
                audit.feed(element.text)
                assert audit.problems == []


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_feeds_are_well_formed(client, world, value):
    world(value)
    for name in ("news:feed", "news:atom"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        titles = [e.text for e in ET.fromstring(response.content).iter() if e.tag.endswith("title")]
        assert titles


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_notification_emails_are_plain_text_with_a_single_line_subject(
    world, value, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world(value)
    assert mailoutbox
    for message in mailoutbox:
        assert "\n" not in message.subject
        assert "\r" not in message.subject
        assert not getattr(message, "alternatives", [])
        assert message.to == [message.to[0]]
        assert "victim@example.com" not in (message.bcc or [])


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_posting_hostile_input_through_the_forms_never_answers_500(client, value):
    thread = start_thread()
    member = make_user()
    client.force_login(member)
    comment_url = reverse("comments:comment-create", kwargs={"pk": thread.pk})
    assert client.post(comment_url, {"body": value}).status_code < 500
    assert client.post(reverse("comments:preview"), {"body": value}).status_code < 500
    assert (
        client.post(
            reverse("comments:thread-new"), {"title": value[:200], "body": value}
        ).status_code
        < 500
    )
    profile = {"display_name": value[:60], "bio": value[:500], "email_notifications": "on"}
    assert client.post(reverse("accounts:profile-edit"), profile).status_code < 500
    flag_url = reverse("comments:flag", kwargs={"pk": thread.comments.first().pk})
    assert client.post(flag_url, {"reason": "spam", "note": value[:500]}).status_code < 500
    assert_harmless(client.get(thread.get_absolute_url()))
    assert_harmless(client.get(member.get_absolute_url()))


@pytest.mark.parametrize("value", [v for v in HOSTILE if re.search(r"[^\w.@+-]", v)][:12])
def test_hostile_usernames_are_refused_at_signup(value):
    with pytest.raises(ValidationError):
        get_adapter().clean_username(value)


def test_the_preview_of_hostile_markdown_is_harmless(client):
    client.force_login(make_user())
    for value in HOSTILE:
        assert_harmless(client.post(reverse("comments:preview"), {"body": value}))


def test_json_ld_of_a_hostile_thread_title_is_valid_and_escaped(client, world):
    rows = world("</script><script>alert(1)</script>")
    html = client.get(rows["thread"].get_absolute_url()).content.decode()
    audit = _Audit()
    audit.feed(html)
    assert audit.json_ld
    data = [json.loads(block) for block in audit.json_ld]
    assert "</script><script>alert(1)</script>" in json.dumps(data)


@pytest.fixture
def moderated(world):
    """The world, with a moderator's reasons holding the value: a removal and a suspension."""
    moderation = pytest.importorskip("comments.moderation")

    def build(value: str):
        rows = world(value)
        moderator = make_moderator()
        reason = value.strip()[:1000] or "x"
        comment = rows["thread"].comments.order_by("pk").last()
        moderation.comment_remove(comment=comment, moderator=moderator, reason=reason)
        moderation.member_suspend(member=rows["author"], moderator=moderator, reason=reason, days=7)
        return rows | {"moderator": moderator}

    return build


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_audit_log_and_member_pages_are_harmless(client, moderated, value):
    rows = moderated(value)
    client.force_login(rows["moderator"])
    assert_harmless(client.get(reverse("comments:audit-log")))
    assert_harmless(client.get(reverse("comments:moderation-members")))
    assert_harmless(client.get(reverse("comments:moderation")))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_what_a_suspended_member_is_shown_is_harmless(client, moderated, value):
    rows = moderated(value)
    client.force_login(rows["author"])
    url = reverse("comments:comment-create", kwargs={"pk": rows["thread"].pk})
    assert_harmless(client.post(url, {"body": "Let me back in"}))
    assert_harmless(client.post(url, {"body": "Let me back in"}, headers={"HX-Request": "true"}))
    assert_harmless(client.get(reverse("accounts:profile-edit")))


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" JaVa&#x09;script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<svg onload=alert(1)>",
        "<iframe></iframe>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
    ],
)
def test_the_audit_catches_what_it_looks_for(html):
    with pytest.raises((AssertionError, ValueError)):
        assert_harmless(HttpResponse(html))
