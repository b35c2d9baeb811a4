"""A credit's status is kept as history, so the sequel page shows how each return developed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from films.models import ReturnStatus
from films.services import credit_record_status_change, credit_set_status
from tests.factories import make_credit, make_film, make_post, make_sequel

pytestmark = pytest.mark.django_db


def test_setting_a_status_records_it_with_its_source():
    credit = make_credit(film=make_sequel())
    credit_set_status(
        credit=credit,
        status=ReturnStatus.IN_TALKS,
        reported_on=date(2024, 1, 5),
        source_name="Us Weekly",
        source_url="https://example.com/a",
    )
    change = credit.status_changes.get()
    assert (change.status, change.reported_on, change.source_name) == (
        ReturnStatus.IN_TALKS,
        date(2024, 1, 5),
        "Us Weekly",
    )


def test_each_new_status_adds_a_step_in_order():
    credit = make_credit(film=make_sequel())
    credit_set_status(credit=credit, status=ReturnStatus.RUMOURED, reported_on=date(2024, 1, 1))
    credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED, reported_on=date(2024, 2, 9))
    assert [change.status for change in credit.status_changes.all()] == [
        ReturnStatus.RUMOURED,
        ReturnStatus.CONFIRMED,
    ]
    credit.refresh_from_db()
    assert credit.status == ReturnStatus.CONFIRMED


def test_saving_the_same_report_again_adds_nothing():
    credit = make_credit(film=make_sequel())
    credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED, source_name="Us Weekly")
    credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED, source_name="Us Weekly")
    assert credit.status_changes.count() == 1


def test_a_new_source_for_the_same_status_is_a_new_step():
    credit = make_credit(film=make_sequel())
    credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED, source_name="Us Weekly")
    post = make_post()
    credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED, source_post=post)
    assert credit.status_changes.latest().source_post == post


def test_a_credit_without_status_has_no_history():
    credit = make_credit(film=make_film())
    assert credit_record_status_change(credit=credit) is None
    assert not credit.status_changes.exists()


def test_a_status_on_a_released_film_is_refused_and_nothing_is_recorded():
    credit = make_credit(film=make_film())
    with pytest.raises(ValidationError):
        credit_set_status(credit=credit, status=ReturnStatus.CONFIRMED)
    credit.refresh_from_db()
    assert credit.status == ""
    assert not credit.status_changes.exists()
