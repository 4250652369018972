"""Failure notices made durable: the row says a notice is owed, the queue only wakes.

A delivery that ends `failed` or `needs_review` gets `notice_queued_at` (and a cleared
`notified_at`) in the same transaction, and a `publishing.failure_notice` task on
commit. Sending claims the notice with one conditional UPDATE of `notified_at`, so at
most one e-mail goes out per failure however many tasks run. If the task is lost (a
worker killed), the minute sweeper finds the unsent notice after the grace period and
enqueues it again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bedside.publishing.models import Delivery
from bedside.publishing.services._common import D, logger, wake_grace_seconds

NOTICE_STATES = (D.FAILED, D.NEEDS_REVIEW)


def failure_notice_owed(*, delivery_id: int, now: dt.datetime | None = None) -> None:
    """Mark a fresh failure as owing a notice and enqueue it on commit (call inside the
    transaction that records the failure)."""
    Delivery.objects.filter(pk=delivery_id).update(
        notice_queued_at=now or timezone.now(), notified_at=None
    )
    transaction.on_commit(lambda: enqueue_failure_notice(delivery_id))


def enqueue_failure_notice(delivery_id: int) -> bool:
    from bedside.publishing.tasks import failure_notice

    try:
        failure_notice(delivery_id)
        return True
    except Exception:  # the sweeper re-finds it after the grace period
        logger.exception("could not enqueue the failure notice for %s", delivery_id)
        return False


def failure_notice_claim(*, delivery_id: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Take the right to send this failure's notice: the claim time, or None when it
    was already sent (or the delivery is no longer failed)."""
    now = now or timezone.now()
    rows = Delivery.objects.filter(
        pk=delivery_id, state__in=NOTICE_STATES, notified_at__isnull=True
    ).update(notified_at=now)
    return now if rows == 1 else None


def failure_notice_release(*, delivery_id: int, claimed_at: dt.datetime) -> None:
    """The e-mail could not be handed to the mail server: owe it again (the sweeper
    retries after the grace period)."""
    Delivery.objects.filter(pk=delivery_id, notified_at=claimed_at).update(notified_at=None)


def failure_notices_due(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Failed deliveries whose notice is unsent although its task should have run
    more than the grace period ago (lost task, mail server down)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=wake_grace_seconds())
    return list(
        Delivery.objects.filter(
            state__in=NOTICE_STATES, notified_at__isnull=True, notice_queued_at__lt=cutoff
        )
        .order_by("notice_queued_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def failure_notices_sweep(*, now: dt.datetime | None = None) -> int:
    """Enqueue the overdue notices again, marking each so the next sweeps wait for it."""
    now = now or timezone.now()
    ids = failure_notices_due(now=now)
    if ids:
        Delivery.objects.filter(pk__in=ids, notified_at__isnull=True).update(notice_queued_at=now)
    return sum(enqueue_failure_notice(pk) for pk in ids)
