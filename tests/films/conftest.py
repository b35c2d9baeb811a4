import pytest

from films.models import Department, ReturnStatus
from films.services import credit_set_status
from tests.factories import make_character, make_credit, make_film, make_person, make_sequel


@pytest.fixture
def reunion(db):
    """A small original and its sequel: two characters, one returning (confirmed), one no news."""
    original = make_film(title="Reunion", slug="reunion", runtime_minutes=92)
    romy = make_character(name="Romy White", slug="romy-white")
    sandy = make_character(name="Sandy Frink", slug="sandy-frink")
    mira = make_person(name="Mira Sorvino", slug="mira-sorvino")
    alan = make_person(name="Alan Cumming", slug="alan-cumming")
    make_credit(film=original, person=mira, character=romy, billing=1)
    make_credit(film=original, person=alan, character=sandy, billing=2)
    director = make_person(name="David Mirkin", slug="david-mirkin")
    make_credit(film=original, person=director, department=Department.DIRECTING, job="Director")
    sequel = make_sequel(original, title="Reunion Two", slug="reunion-two")
    returning = make_credit(film=sequel, person=mira, character=romy)
    credit_set_status(
        credit=returning,
        status=ReturnStatus.CONFIRMED,
        source_name="Us Weekly",
        source_url="https://example.com/us-weekly",
    )
    return {
        "original": original,
        "sequel": sequel,
        "romy": romy,
        "sandy": sandy,
        "mira": mira,
        "alan": alan,
        "returning": returning,
    }


def add_cast(film, count: int) -> None:
    for billing in range(1, count + 1):
        make_credit(film=film, billing=billing)
