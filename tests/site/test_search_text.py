"""The text side of search, without a database: what a query becomes and how snippets are
built (escaped first, then marked)."""

from fansite.search.normalise import MAX_QUERY_LENGTH, MAX_TERMS, fold, parse
from fansite.search.snippets import SNIPPET_WORDS, highlight


def test_fold_drops_case_and_accents_and_straightens_apostrophes():
    assert fold("GARÓFALO’s Café") == "garofalo's cafe"


def test_a_query_keeps_letters_and_digits_only_and_drops_common_words():
    query = parse(' "Romy’s"  AND the (1997) NEAR( film* ')
    assert query.terms == ("romy", "1997", "near", "film")
    assert query.text == '"Romy’s" AND the (1997) NEAR( film*'


def test_a_query_of_punctuation_has_no_words():
    query = parse('" * ( ) -- ; ’')
    assert (query.words, query.terms) == ((), ())


def test_a_query_of_common_words_says_so():
    assert parse("the and of").only_stop_words


def test_a_query_is_cut_to_its_first_characters_and_terms():
    assert len(parse("x" * 10_000).text) == MAX_QUERY_LENGTH
    assert len(parse(" ".join(f"w{n}" for n in range(50))).terms) == MAX_TERMS


def test_nul_bytes_separate_words():
    assert parse("romy\x00michele").terms == ("romy", "michele")


def test_repeated_words_are_looked_for_once():
    assert parse("Romy romy ROMY").terms == ("romy",)


def test_highlight_escapes_the_text_and_marks_the_words():
    marked = highlight('<img src=x onerror="romy">', ("romy",), whole=True)
    assert marked == "&lt;img src=x onerror=&quot;<mark>romy</mark>&quot;&gt;"


def test_highlight_marks_words_whatever_their_accents_and_endings():
    marked = highlight("Garófalo's sequels", ("garofalo", "sequel"), whole=True)
    assert marked == "<mark>Garófalo</mark>&#x27;s <mark>sequels</mark>"


def test_highlight_marks_no_short_prefixes():
    assert highlight("romantic", ("rom",), whole=True) == "romantic"


def test_a_snippet_starts_a_few_words_before_the_first_match():
    text = " ".join(f"w{n}" for n in range(100)) + " reunion " + " ".join(["x"] * 50)
    snippet = highlight(text, ("reunion",))
    assert snippet.startswith("… w94 w95")
    assert "<mark>reunion</mark>" in snippet
    assert snippet.endswith(" …")
    assert len(snippet.split()) <= SNIPPET_WORDS + 2


def test_a_short_text_is_shown_whole():
    assert highlight("“Two friends.”", ("friends",)) == "“Two <mark>friends</mark>.”"
