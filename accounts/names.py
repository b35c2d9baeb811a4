"""Names members go by: nobody may appear under another member's name by changing its case,
swapping a letter for one that looks the same, or slipping in characters nobody can see.

Two names are the same name when their skeletons match: NFKC, every kind of space as one
space, marks dropped, casefolded, and look-alike letters (Cyrillic, Greek and a few others)
mapped to the Latin letter they imitate, in the spirit of Unicode's UTS #39 skeleton but with
a table small enough to read. Invisible and direction-changing characters are refused outright.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

from accounts.models import User

# Characters that show nothing yet are not format characters (category Cf, refused as a class).
INVISIBLE = frozenset(
    "\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0"  # fillers, blanks, Mongolian vowel sep.
)

# Look-alikes of Latin letters, after casefolding (so only lower case is needed).
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ү": "y",
        "ь": "b",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ϲ": "c",
        # Latin look-alikes of other letters
        "ɡ": "g",
        "ɑ": "a",
        "ı": "i",
        "ȷ": "j",
        "ℓ": "l",
        "ß": "ss",
        # Digits that pass for letters in most fonts
        "0": "o",
        "1": "l",
        "|": "l",
    }
)

_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s._\-]+")

INVISIBLE_MESSAGE = (
    "This name contains an invisible or text-direction character (such as a zero-width space "
    "or a right-to-left mark). Please type the name again without it."
)
TAKEN_MESSAGE = (
    "Another member goes by that name, or by one that looks the same (the same letters in "
    "another case or alphabet). Please choose a different one."
)


def has_invisible(name: str) -> bool:
    """Format characters (zero-width joiners and spaces, bidi overrides and isolates, soft
    hyphens), controls other than ordinary whitespace, and blank fillers."""
    for char in name:
        category = unicodedata.category(char)
        if category == "Cf" or char in INVISIBLE:
            return True
        if category == "Cc" and char not in " \t\n":
            return True
    return False


def _skeleton(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = "".join(
        char
        for char in unicodedata.normalize("NFD", text)
        if unicodedata.category(char) != "Mn"
        and unicodedata.category(char) != "Cf"
        and char not in INVISIBLE
    )
    text = text.casefold().translate(CONFUSABLES)
    return _SPACES.sub(" ", text).strip()


def name_keys(name: str) -> frozenset[str]:
    """The skeletons a name may be read as. Capital I reads as l in many fonts but is also i:
    both readings count, so "AIice" is Alice's, while "ali" and "all" stay different names."""
    keys = {_skeleton(name), _skeleton(name.replace("I", "l"))}
    # Spaces, dots, dashes and underscores between the same letters do not make a new name.
    keys |= {_SEPARATORS.sub("", key) for key in keys}
    return frozenset(key for key in keys if key)


def clean_name(name: str) -> str:
    """The name as it is stored: NFC, any kind of space as one space, trimmed. Refuses
    invisible characters."""
    if has_invisible(name):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    name = unicodedata.normalize("NFC", name)
    return _SPACES.sub(" ", name).strip()


def name_is_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another member's username or display name reads as this name. Compared in
    Python: a skeleton cannot be computed in SQL. The table is read two columns at a time,
    which stays cheap for the members a fan site has."""
    keys = name_keys(name)
    if not keys:
        return False
    others = User.objects.exclude(pk=exclude_pk).values_list("username", "display_name")
    for username, display_name in others.iterator(chunk_size=2000):
        if keys & name_keys(username) or (display_name and keys & name_keys(display_name)):
            return True
    return False


def validate_username_unique_looking(username: str) -> None:
    if has_invisible(username):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    if name_is_taken(username):
        raise ValidationError(TAKEN_MESSAGE, code="confusable")


# ACCOUNT_USERNAME_VALIDATORS: allauth runs these on signup instead of the model field's (its
# letters-digits-@.+-_ rule and its length), so those come first.
username_validators = [
    *User._meta.get_field("username").validators,
    validate_username_unique_looking,
]
