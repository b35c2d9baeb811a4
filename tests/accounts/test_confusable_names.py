"""Nobody may appear under another member's name: display names and usernames that differ only
by case, look-alike letters or invisible characters are refused (accounts.names)."""

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.models import User
from accounts.names import clean_name, has_invisible, name_keys
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

# Each reads as "Romy White" (the display name) or "romyfan" (the username) of a member.
LOOK_ALIKE_DISPLAY_NAMES = [
    "romy white",
    "ROMY WHITE",
    "Romy\u00a0White",  # no-break space
    "Romy\u202fWhite",  # narrow no-break space
    "Romy\u3000White",  # ideographic space
    "Romy  White",
    " Romy White ",
    "Romy\tWhite",
    "Romy\u200bWhite",  # zero-width space
    "Romy White\u200b",
    "\u200dRomy White",  # zero-width joiner
    "Romy\u200c White",  # zero-width non-joiner
    "Romy\u2060 White",  # word joiner
    "Romy White\ufeff",  # byte order mark
    "\u202eetihW ymoR",  # right-to-left override
    "Romy \u2066White\u2069",  # bidi isolate
    "Romy\u00adWhite",  # soft hyphen
    "Romy\u3164White",  # Hangul filler
    "R\u043emy White",  # Cyrillic o
    "Rom\u0443 White",  # Cyrillic u (y)
    "Romy Whit\u0435",  # Cyrillic e
    "Romy Wh\u0456te",  # Cyrillic i
    "Romy W\u04bbite",  # Cyrillic shha (h)
    "R\u03bfmy White",  # Greek omicron
    "R\u043em\u0443 Wh\u0456t\u0435",  # several at once
    "R0my White",  # digit zero
    "Romy WhIte",  # capital I for l... and for i
    "Romy Whi\u0301te",  # combining accent
    "\uff32\uff4f\uff4d\uff59 \uff37\uff48\uff49\uff54\uff45",  # fullwidth
    "\U0001d411\U0001d428\U0001d426\U0001d432 \U0001d416\U0001d421\U0001d422\U0001d42d\U0001d41e",
    "Romy_White",
    "Romy-White",
    "RomyWhite",
    "RomyFan",  # the username, as a display name
    "r\u043emyfan",
    "romyf\u0430n",  # Cyrillic a
]

LOOK_ALIKE_USERNAMES = [
    "RomyFan",
    "ROMYFAN",
    "r\u043emyfan",
    "romyf\u0430n",
    "r0myfan",
    "romy_fan",
    "romy.fan",
    "romyfan\u200b",
    "\uff52\uff4f\uff4d\uff59\uff46\uff41\uff4e",
    "RomyWhite",  # the display name, as a username
    "romy_white",
]

DISTINCT_NAMES = [
    "Michele Weinberger",
    "Romy",
    "Romy Whiteley",
    "Heather Mooney",
    "Sandy Frink",
    "José",
    "Zoë",
    "Алексей",
    "李雷",
    "Ali",
    "all",
    "O'Brien",
]


@pytest.fixture
def romy():
    return make_user(username="romyfan", display_name="Romy White")


def _display_name_form(name, user=None):
    return ProfileForm(
        data={"display_name": name, "bio": "", "email_notifications": "on"},
        instance=user or make_user(),
    )


def test_the_corpus_is_large_enough():
    assert len(LOOK_ALIKE_DISPLAY_NAMES) >= 28


@pytest.mark.parametrize("name", LOOK_ALIKE_DISPLAY_NAMES)
def test_look_alike_display_name_is_refused(romy, name):
    form = _display_name_form(name)
    assert not form.is_valid()
    assert "display_name" in form.errors


@pytest.mark.parametrize("name", DISTINCT_NAMES)
def test_distinct_display_name_is_accepted(romy, name):
    form = _display_name_form(name)
    assert form.is_valid(), form.errors


def test_a_member_may_keep_their_own_display_name_in_another_case(romy):
    assert _display_name_form("ROMY WHITE", user=romy).is_valid()


def test_a_display_name_with_a_no_break_space_is_stored_with_a_plain_space():
    form = _display_name_form("Sandy\u00a0 Frink")
    assert form.is_valid()
    assert form.cleaned_data["display_name"] == "Sandy Frink"


def test_an_invisible_character_is_refused_with_a_message_that_says_so():
    form = _display_name_form("Sandy\u200bFrink")
    assert not form.is_valid()
    assert "invisible" in form.errors["display_name"][0]


def test_a_look_alike_name_is_refused_with_a_message_that_says_why(romy):
    form = _display_name_form("R\u043emy White")
    assert "looks the same" in form.errors["display_name"][0]


@pytest.mark.parametrize("username", LOOK_ALIKE_USERNAMES)
def test_look_alike_username_is_refused_at_signup(romy, username):
    with pytest.raises(ValidationError):
        get_adapter().clean_username(username)


@pytest.mark.parametrize("username", ["michele", "heather_m", "sandy.frink", "ali", "all"])
def test_distinct_username_is_accepted_at_signup(romy, username):
    assert get_adapter().clean_username(username) == username


def test_the_signup_page_refuses_a_look_alike_username(client, romy, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    response = client.post(
        reverse("account_signup"),
        {
            "email": "impostor@example.com",
            "username": "r\u043emyfan",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "looks the same" in response.content.decode()
    assert not User.objects.filter(email="impostor@example.com").exists()


def test_the_signup_page_accepts_a_distinct_username(client, romy, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    client.post(
        reverse("account_signup"),
        {
            "email": "michele@example.com",
            "username": "michele",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.filter(username="michele").exists()


def test_skeletons_match_across_alphabets_and_case():
    assert name_keys("R\u043eMY") & name_keys("romy")


def test_ali_and_all_are_different_names():
    assert not name_keys("ali") & name_keys("all")


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\x00", "\u3164"]
)
def test_invisible_characters_are_detected(char):
    assert has_invisible(f"a{char}b")


def test_clean_name_collapses_spaces():
    assert clean_name("  Romy \u00a0 White ") == "Romy White"
