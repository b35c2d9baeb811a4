"""Password rules are announced: the help text is linked to its field by aria-describedby and
is valid HTML (a list, not inside a paragraph)."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

LIST_IN_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(?:(?!</p>).)*<ul", re.S)


def _described_help(html: str, field_id: str) -> str:
    field = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    help_id = described_by.split()[0]
    match = re.search(rf'<div class="field__help" id="{help_id}">(.*?)</div>', html, re.S)
    assert match, f"no help text with id {help_id}"
    return match.group(1)


def test_signup_password_rules_are_linked_to_the_field(client):
    html = client.get(reverse("account_signup")).content.decode()
    rules = _described_help(html, "id_password1")
    assert "<li>" in rules
    assert not LIST_IN_PARAGRAPH.search(html)


def test_password_change_rules_are_linked_to_the_field(client):
    client.force_login(make_user())
    html = client.get(reverse("account_change_password")).content.decode()
    rules = _described_help(html, "id_password1")
    assert "<li>" in rules
    assert not LIST_IN_PARAGRAPH.search(html)
