"""How close a typed name is to a stored one: pg_trgm's word_similarity(), in Python.

PostgreSQL computes it in SQL (fansite.search.postgres); on SQLite the few names of films,
people and characters are compared here, with the same algorithm (pg_trgm's trgm_op.c,
non-strict word similarity), so both databases agree on what "Sorvio" is close to.
"""

from functools import lru_cache

from fansite.search.normalise import WORD, fold

# Names at least this close are found as results; at least SUGGEST_SIMILARITY, offered under
# "Did you mean". pg_trgm's own default for word similarity is 0.6; "Garafalo" is 0.5 from
# "Garofalo", so the bar is lower. Neither bar is a ratio of small counts: PostgreSQL rounds a
# similarity to a float4 and Python does not, and a name exactly on the bar could fall on one
# side on one database and on the other side on the other.
MATCH_SIMILARITY = 0.449
SUGGEST_SIMILARITY = 0.299
# A name is also compared with each word typed that is this long: shorter ones are close to
# too many names ("b" to every Billy).
MIN_WORD_LENGTH = 3
# Names whose trigrams each worker keeps (a few hundred bytes each): every name of the site, on
# SQLite, is compared with every search (fansite.search.sqlite.similar_names).
KEPT_NAMES = 10_000


def trigrams(text: str) -> list[str]:
    """Each word padded as pg_trgm pads it ("  w", " wo", ..., "rd "), in order, repeats kept."""
    found = []
    for word in WORD.findall(fold(text)):
        padded = f"  {word} "
        found.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


@lru_cache(maxsize=KEPT_NAMES)
def _name_trigrams(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A stored name's trigrams, in order and as a set: kept by the name itself, so a renamed
    film or person is a new entry and nothing needs invalidating."""
    sequence = tuple(trigrams(text))
    return sequence, frozenset(sequence)


def query_trigrams(query: str) -> frozenset[str]:
    return frozenset(trigrams(query))


def most_similar(wanted: frozenset[str], text: str) -> float:
    """An upper bound of word_similarity(wanted, text), cheap to work out: at best, an extent
    holds every trigram the two share and nothing else."""
    _sequence, present = _name_trigrams(text)
    return len(wanted & present) / len(wanted) if wanted else 0.0


def word_similarity(query: str | frozenset[str], text: str) -> float:
    """The greatest similarity between the query's trigrams and a continuous extent of the
    text's: shared / (query's + extent's - shared), all counted without repeats. The query may
    come as its query_trigrams(), to compare it with many names."""
    wanted = query_trigrams(query) if isinstance(query, str) else query
    sequence, present = _name_trigrams(text)
    if not wanted or not sequence or wanted.isdisjoint(present):
        return 0.0
    wanted_count = len(wanted)

    def similarity(count: int, extent_count: int) -> float:
        return count / (wanted_count + extent_count - count)

    # pg_trgm's iterate_word_similarity(): an extent ends on each text trigram the query has;
    # its start moves right while that raises the similarity.
    last_position: dict[str, int] = {}
    lower = -1
    count = extent_count = 0
    best = 0.0
    for upper, trigram in enumerate(sequence):
        if lower >= 0 or trigram in wanted:
            if trigram not in last_position:
                extent_count += 1
                if trigram in wanted:
                    count += 1
            last_position[trigram] = upper
        if trigram not in wanted:
            continue
        if lower == -1:
            lower, extent_count = upper, 1
        current = similarity(count, extent_count)
        tmp_count, tmp_extent_count, previous_lower = count, extent_count, lower
        for tmp_lower in range(lower, upper + 1):
            candidate = similarity(tmp_count, tmp_extent_count)
            if candidate > current:
                current, extent_count, lower, count = (
                    candidate,
                    tmp_extent_count,
                    tmp_lower,
                    tmp_count,
                )
            dropped = sequence[tmp_lower]
            if last_position.get(dropped) == tmp_lower:
                tmp_extent_count -= 1
                if dropped in wanted:
                    tmp_count -= 1
        best = max(best, current)
        for tmp_lower in range(previous_lower, lower):
            dropped = sequence[tmp_lower]
            if last_position.get(dropped) == tmp_lower:
                del last_position[dropped]
    return best
