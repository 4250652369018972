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


def enqueue_delivery(delivery_id: int, eta: dt.datetime | None) -> None:
    """Wake a worker at `eta` (the sweeper finds the row anyway if this is lost)."""
    from bedside.publishing.tasks import deliver

    try:
        if eta is None or eta <= timezone.now():
            deliver(delivery_id)
        else:
            deliver.schedule((delivery_id,), eta=eta)
    except Exception:  # the queue being down must not lose the row; the sweeper will find it
        logger.exception("could not enqueue delivery %s; the sweeper will pick it up", delivery_id)


def _on_commit_enqueue(delivery_id: int, eta: dt.datetime | None) -> None:
    transaction.on_commit(lambda: enqueue_delivery(delivery_id, eta))


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not {perm.value}.")


def _sync(delivery: Delivery, actor: Any) -> None:
    from bedside.content.services import post_sync_state

    post_sync_state(post_id=delivery.post_id, actor=actor)
