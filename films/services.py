"""Writes that touch several rows: a credit's status with its history, a timeline event with
the film's status."""

import datetime

from django.db import transaction

from films.models import Credit, CreditStatusChange, ProductionEvent

REPORT_FIELDS = ("status", "reported_on", "source_post_id", "source_name", "source_url")


def _latest_change(credit: Credit) -> CreditStatusChange | None:
    return credit.status_changes.order_by("-recorded_at", "-pk").first()


def credit_record_status_change(*, credit: Credit) -> CreditStatusChange | None:
    """Add the credit's current status and source to its history, unless already the latest.

    Called after an editor saves a credit (the admin) and by `credit_set_status`. A credit
    without a status (a released film) has no history to add to.
    """
    if not credit.status:
        return None
    latest = _latest_change(credit)
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


@transaction.atomic
def credit_status_change_delete(*, change: CreditStatusChange) -> Credit:
    """Take a step out of a credit's history; the credit falls back to the step before it.

    Deleting an older step leaves the current status alone. Deleting the only step clears the
    status: nothing reported is left to show.
    """
    credit = change.credit
    was_latest = _latest_change(credit) == change
    change.delete()
    if not was_latest:
        return credit
    previous = _latest_change(credit)
    if previous is None:
        credit.status, credit.reported_on, credit.source_post = "", None, None
        credit.source_name = credit.source_url = ""
    else:
        for name in REPORT_FIELDS:
            setattr(credit, name, getattr(previous, name))
    credit.full_clean()
    credit.save()
    return credit


@transaction.atomic
def production_event_save(*, event: ProductionEvent) -> ProductionEvent:
    """Save a timeline event; when it says the film's status changed and nothing later on the
    timeline says otherwise, the film takes that status."""
    event.full_clean()
    event.save()
    if not event.status:
        return event
    film = event.film
    later = film.production_events.exclude(pk=event.pk).exclude(status="")
    if later.filter(happened_on__gt=event.happened_on).exists() or film.status == event.status:
        return event
    film.status = event.status
    film.full_clean()
    film.save(update_fields=["status", "updated_at"])  # post_save retires cached pages
    return event
