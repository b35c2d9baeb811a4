"""A result's snippet: the passage of plain text around the first words searched for, escaped,
with the words found in <mark>. Built from plain text only, escaped piece by piece, so nothing
a member or an editor wrote is ever marked safe. The pieces are escaped with the standard
library's html.escape, which django.utils.html.escape calls, without wrapping each in a
SafeString: the whole is marked safe once."""

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

from fansite.search.normalise import WORD, fold

SNIPPET_WORDS = 24
WORDS_BEFORE = 6
# A word and a term sharing a start this long or longer match ("sequel", "sequels"), as the
# stemmers of both databases would have it, roughly: this only decides what is marked.
STEM_LENGTH = 4
SPLIT = re.compile(f"({WORD.pattern})")


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    folded = word.lower() if word.isascii() else fold(word)
    for term in terms:
        shorter, longer = (folded, term) if len(folded) <= len(term) else (term, folded)
        if folded == term or (len(shorter) >= STEM_LENGTH and longer.startswith(shorter)):
            return True
    return False


def highlight(text: str, terms: tuple[str, ...], *, whole: bool = False) -> SafeString:
    """`text` (plain text) escaped, the words matching `terms` marked; unless `whole`, only a
    passage of SNIPPET_WORDS words from just before the first match (or from the start)."""
    # parts alternate: separator, word, separator, ..., separator
    parts = SPLIT.split(" ".join(text.split()))
    words = parts[1::2]
    start, end = 0, len(words)
    if not whole:
        first = next((i for i, word in enumerate(words) if _matches(word, terms)), 0)
        start = max(0, first - WORDS_BEFORE)
        end = min(len(words), start + SNIPPET_WORDS)
    marked = {index: _matches(words[index], terms) for index in range(start, end)}
    pieces = ["… " if start > 0 else escape(parts[0])]
    for index in range(start, end):
        word = escape(words[index])
        pieces.append(f"<mark>{word}</mark>" if marked[index] else word)
        if index + 1 < end:
            pieces.append(escape(parts[2 * index + 2]))
    if end < len(words):
        pieces.append(" …")
    elif words:
        pieces.append(escape(parts[-1]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece was escaped above)


def best_text(texts: list[str], terms: tuple[str, ...]) -> str:
    """Of a result's texts, the one holding the most of the words searched for (the first one
    with any text when none holds them)."""
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return ""

    def holds(text: str) -> int:
        folded = fold(text)
        return sum(1 for term in terms if term in folded)

    return max(texts, key=holds)
