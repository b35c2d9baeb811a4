"""What the visitor typed, as the words to look for: the same on every database.

Case, accents and apostrophes (straight or curly) never matter, and punctuation only separates
words, so nothing typed reaches a database as syntax: PostgreSQL gets each word through
plainto_tsquery and SQLite's FTS5 each word as a quoted string.
"""

import re
import unicodedata
from dataclasses import dataclass

# What fansite.views.search reads of `q` (fansite.page_cache keys the page on the same).
MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
# Words a search looks for at most: more only slows the query and never helps.
MAX_TERMS = 8

# PostgreSQL's english stop words (tsearch_data/english.stop). PostgreSQL drops them from a
# query by itself and FTS5 would not, so they are dropped here for both: the same words are
# looked for everywhere.
_STOP_WORDS_FILE = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS_FILE.split())

# A word is a run of letters and digits (as PostgreSQL's parser, FTS5's unicode61 tokenizer
# and pg_trgm see one): an apostrophe, a hyphen or an underscore separates two.
WORD = re.compile(r"[^\W_]+")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower case, without accents: "Garófalo" and "GAROFALO" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what the visitor typed, tidied, to show back and to link
    words: tuple[str, ...]  # every word typed, folded (for name similarity)
    terms: tuple[str, ...]  # the words a page must all contain: stop words left out

    @property
    def too_short(self) -> bool:
        return len(self.text) < MIN_QUERY_LENGTH

    @property
    def only_stop_words(self) -> bool:
        return bool(self.words) and not self.terms

    @property
    def name_text(self) -> str:
        """The words joined by spaces: what names are compared with."""
        return " ".join(self.words)


def parse(raw: str) -> SearchQuery:
    text = " ".join(raw[:MAX_QUERY_LENGTH].replace("\x00", " ").split())
    found = words(text)
    terms = list(dict.fromkeys(word for word in found if word not in STOP_WORDS))
    return SearchQuery(text=text, words=tuple(found[:MAX_TERMS]), terms=tuple(terms[:MAX_TERMS]))
