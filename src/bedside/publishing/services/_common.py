"""Shared by the publishing services: settings, backoff, worker ids, enqueueing."""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.publishing.models import CrisisPause, Delivery, DeliveryState

logger = logging.getLogger("bedside.publishing")
D = DeliveryState
OPEN = (D.PENDING, D.SCHEDULED, D.EXPIRED, D.FAILED)  # not sent and not being sent


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, os.environ.get(name, default)))


def lease_seconds() -> float:
    return _setting("BEDSIDE_DELIVERY_LEASE_SECONDS", 120)


def wake_grace_seconds() -> float:
    """How long a queued wake-up (deliver task, failure notice) is trusted before the
    sweeper assumes it was lost and enqueues another. Longer than a normal backlog's
    queue wait; a lost task costs at most this much delay."""
    return _setting("BEDSIDE_WAKE_GRACE_SECONDS", 300)


def max_attempts() -> int:
    return int(_setting("BEDSIDE_DELIVERY_MAX_ATTEMPTS", 6))


BACKOFF_BASE = 30.0
BACKOFF_MAX = 3600.0


def worker_id() -> str:
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{threading.get_ident() % 100000}:{uuid.uuid4().hex[:6]}"


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter in [½, 1]·base·2ⁿ, never before Retry-After."""
    base = min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    delay = base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
    return max(delay, retry_after or 0.0)


def _paused(practice_id_ref: Any = None) -> Exists:
    return Exists(
        CrisisPause.objects.filter(
            practice_id=practice_id_ref or OuterRef("practice_id"), ended_at__isnull=True
        )
    )


def practice_is_paused(practice: Any) -> bool:
    return CrisisPause.objects.filter(practice=practice, ended_at__isnull=True).exists()


# --------------------------------------------------------------------------- enqueue


def enqueue_delivery(delivery_id: int, eta: dt.datetime | None) -> bool:
    """Wake a worker at `eta` (the sweeper finds the row anyway if this is lost).

    False if the queue refused it: the row's wake marker is then cleared so that the
    next sweep enqueues it without waiting for the grace period."""
    from bedside.publishing.tasks import deliver

    try:
        if eta is None or eta <= timezone.now():
            deliver(delivery_id)
        else:
            deliver.schedule((delivery_id,), eta=eta)
        return True
    except Exception:  # the queue being down must not lose the row; the sweeper will find it
        logger.exception("could not enqueue delivery %s; the sweeper will pick it up", delivery_id)
        Delivery.objects.filter(pk=delivery_id).update(wake_at=None)
        return False


def wake_marker(eta: dt.datetime | None, now: dt.datetime | None = None) -> dt.datetime:
    """When a wake-up enqueued now for `eta` is expected to run."""
    now = now or timezone.now()
    return eta if eta is not None and eta > now else now


def _on_commit_enqueue(delivery_id: int, eta: dt.datetime | None) -> None:
    """Record the wake-up on the row (in the caller's transaction) and enqueue it on
    commit: the sweeper leaves the row to that task for the grace period."""
    Delivery.objects.filter(pk=delivery_id).update(wake_at=wake_marker(eta))
    transaction.on_commit(lambda: enqueue_delivery(delivery_id, eta))


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not {perm.value}.")


def _sync(delivery: Delivery, actor: Any) -> None:
    from bedside.content.services import post_sync_state

    post_sync_state(post_id=delivery.post_id, actor=actor)
