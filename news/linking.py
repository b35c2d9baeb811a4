"""Entity linking: which films, people and characters an article mentions, and linking them.

Two jobs, both on names as readers write them (a straight or a curly apostrophe, any
whitespace between words):

- `find_mentions(text, candidates)`: which of the candidates the text names, for the editor to
  confirm as related.
- `link_first_mentions(html, entities)`: in sanitised article HTML, wrap the first mention of each
  entity (by its name or an alias, such as a person's surname) in a link to its page. Only text
  nodes are touched, never inside an existing link, a heading, code or a caption, so the markup
  stays valid and the editor's own links win.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape

_APOSTROPHES = "'\u2019"
# A tag, with quoted attribute values that may themselves hold ">" (nh3 leaves it unescaped).
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")
# Text inside these is left alone: a link inside a link is invalid, and headings, code and
# captions read better without one.
_SKIP_INSIDE = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "figcaption"})
_VOID = frozenset({"br", "hr", "img", "wbr"})


@dataclass(frozen=True)
class Entity:
    """Something to link. Aliases are shorter names that also count as a mention (a surname)."""

    name: str
    url: str
    aliases: tuple[str, ...] = ()

    def pattern(self) -> re.Pattern[str]:
        names = sorted({self.name, *self.aliases} - {""}, key=len, reverse=True)
        return re.compile("|".join(name_pattern(name).pattern for name in names))


def name_pattern(name: str) -> re.Pattern[str]:
    """A pattern for a name as a whole phrase, whatever the apostrophes and spacing."""
    parts = [
        f"[{_APOSTROPHES}]".join(re.escape(piece) for piece in re.split(f"[{_APOSTROPHES}]", word))
        for word in name.split()
    ]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def find_mentions[T](text: str, candidates: Iterable[tuple[str, T]]) -> list[T]:
    """The candidates (name, value) whose name occurs in the text, in order of first mention."""
    found = []
    for name, value in candidates:
        if not name.strip():
            continue
        match = name_pattern(name).search(text)
        if match:
            found.append((match.start(), -len(name), value))
    return [value for *_, value in sorted(found, key=lambda item: item[:2])]


def link_first_mentions(html: str, entities: Sequence[Entity]) -> str:
    """The HTML with the first mention of each entity, in a plain text node, made a link."""
    # Longer names first, so "Romy and Michele's High School Reunion" is not cut short by a
    # shorter name inside it.
    pending = sorted(
        {entity.name: entity for entity in entities if entity.name.strip()}.values(),
        key=lambda entity: -len(entity.name),
    )
    if not pending:
        return html
    patterns = {entity.name: entity.pattern() for entity in pending}
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for tag in _TAG.finditer(html):
        out.append(_link_text(html[position : tag.start()], open_tags, pending, patterns))
        out.append(tag.group(0))
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
        elif not self_closing and name not in _VOID:
            open_tags.append(name)
        position = tag.end()
    out.append(_link_text(html[position:], open_tags, pending, patterns))
    return "".join(out)


def _link_text(
    text: str,
    open_tags: list[str],
    pending: list[Entity],
    patterns: dict[str, re.Pattern[str]],
) -> str:
    if not text or not pending or _SKIP_INSIDE.intersection(open_tags):
        return text
    plain = unescape(text)
    spans: list[tuple[int, int, Entity]] = []
    for entity in list(pending):
        for match in patterns[entity.name].finditer(plain):
            if all(match.end() <= start or match.start() >= end for start, end, _ in spans):
                spans.append((match.start(), match.end(), entity))
                pending.remove(entity)
                break
    if not spans:
        return text
    pieces = []
    position = 0
    for start, end, entity in sorted(spans, key=lambda span: span[0]):
        pieces.append(escape(plain[position:start], quote=False))
        pieces.append(
            f'<a class="entity-link" href="{escape(entity.url)}">'
            f"{escape(plain[start:end], quote=False)}</a>"
        )
        position = end
    pieces.append(escape(plain[position:], quote=False))
    return "".join(pieces)
