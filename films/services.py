"""Writes that touch several rows: a credit's status together with its history."""

import datetime

from django.db import transaction

from films.models import Credit, CreditStatusChange

REPORT_FIELDS = ("status", "reported_on", "source_post_id", "source_name", "source_url")


def credit_record_status_change(*, credit: Credit) -> CreditStatusChange | None:
    """Add the credit's current status and source to its history, unless already the latest.

    Called after an editor saves a credit (the admin) and by `credit_set_status`. A credit
    without a status (a released film) has no history to add to.
    """
    if not credit.status:
        return None
    latest = credit.status_changes.order_by("-recorded_at", "-pk").first()
    if latest is not None and all(
        getattr(latest, name) == getattr(credit, name) for name in REPORT_FIELDS
    ):
        return None
    change = CreditStatusChange(
        credit=credit,
        status=credit.status,
        reported_on=credit.reported_on,
        source_post_id=credit.source_post_id,
        source_name=credit.source_name,
        source_url=credit.source_url,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def credit_set_status(
    *,
    credit: Credit,
    status: str,
    reported_on: datetime.date | None = None,
    source_post=None,
    source_name: str = "",
    source_url: str = "",
) -> Credit:
    """Set what the news says about a credit on an unreleased film, and keep it in the history."""
    credit.status = status
    credit.reported_on = reported_on
    credit.source_post = source_post
    credit.source_name = source_name
    credit.source_url = source_url
    credit.full_clean()
    credit.save()
    credit_record_status_change(credit=credit)
    return credit
