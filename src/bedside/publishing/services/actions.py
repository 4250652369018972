"""People's actions on deliveries (retry, resolve, reschedule, drop) and the crisis pause."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.publishing.models import CrisisPause, Delivery
from bedside.publishing.services._common import (
    OPEN,
    D,
    _on_commit_enqueue,
    _require,
    _sync,
)


def delivery_retry(*, actor: Membership, delivery: Delivery, ip: str | None = None) -> Delivery:
    """Send a failed delivery again now (after the channel was fixed)."""
    _require(actor, Perm.PUBLISH)
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=delivery.pk, state=D.FAILED).update(
            state=D.SCHEDULED, next_attempt_at=timezone.now(), attempts=0, error="",
            fix_url="", last_error_kind="", updated_at=timezone.now(),
        )  # fmt: skip
        if rows != 1:
            raise ValidationError({"state": "Only a failed delivery can be retried."})
        audit_record(action="delivery.retried", actor=actor.user, practice=actor.practice,
                     obj=delivery, ip=ip)  # fmt: skip
        _on_commit_enqueue(delivery.pk, None)
    _sync(delivery, actor)
    delivery.refresh_from_db()
    return delivery


def delivery_resolve(
    *, actor: Membership, delivery: Delivery, outcome: str, url: str = "", ip: str | None = None
) -> Delivery:
    """A person settles a needs_review delivery: "published" (it is there), "resend"
    (it is not there; send again now) or "drop"."""
    _require(actor, Perm.PUBLISH)
    targets = {"published": D.PUBLISHED, "resend": D.SCHEDULED, "drop": D.CANCELLED}
    if outcome not in targets:
        raise ValidationError({"outcome": "Choose published, resend or drop."})
    fields: dict[str, Any] = {"state": targets[outcome], "error": "", "fix_url": "",
                              "sending_at": None, "updated_at": timezone.now()}  # fmt: skip
    if outcome == "published":
        fields.update(published_at=timezone.now(), url=url[:500])
    if outcome == "resend":
        fields.update(next_attempt_at=timezone.now(), attempts=0)
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=delivery.pk, state=D.NEEDS_REVIEW).update(**fields)
        if rows != 1:
            raise ValidationError({"state": "This delivery does not need review."})
        audit_record(action=f"delivery.resolved_{outcome}", actor=actor.user,
                     practice=actor.practice, obj=delivery, ip=ip)  # fmt: skip
        if outcome == "resend":
            _on_commit_enqueue(delivery.pk, None)
    _sync(delivery, actor)
    delivery.refresh_from_db()
    return delivery


def delivery_reschedule(
    *, actor: Membership, delivery: Delivery, due_at: dt.datetime, ip: str | None = None
) -> Delivery:
    """A new time for an expired (or missed-during-pause) delivery."""
    _require(actor, Perm.PUBLISH)
    if timezone.is_naive(due_at) or due_at <= timezone.now():
        raise ValidationError({"due_at": "Choose a time in the future."})
    with transaction.atomic():
        rows = Delivery.objects.filter(
            pk=delivery.pk, state__in=(D.EXPIRED, D.PENDING, D.SCHEDULED)
        ).update(
            state=D.SCHEDULED, due_at=due_at, next_attempt_at=due_at, attempts=0, error="",
            fix_url="", updated_at=timezone.now(),
        )  # fmt: skip
        if rows != 1 or delivery.post.approved_revision_id is None:
            raise ValidationError({"due_at": "This delivery cannot be rescheduled."})
        audit_record(action="delivery.rescheduled", actor=actor.user, practice=actor.practice,
                     obj=delivery, ip=ip, data={"due_at": due_at.isoformat()})  # fmt: skip
        _on_commit_enqueue(delivery.pk, due_at)
    _sync(delivery, actor)
    delivery.refresh_from_db()
    return delivery


def delivery_drop(*, actor: Membership, delivery: Delivery, ip: str | None = None) -> Delivery:
    _require(actor, Perm.PUBLISH)
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=delivery.pk, state__in=OPEN).update(
            state=D.CANCELLED, next_attempt_at=None, updated_at=timezone.now()
        )
        if rows != 1:
            raise ValidationError({"state": "This delivery can no longer be dropped."})
        audit_record(action="delivery.dropped", actor=actor.user, practice=actor.practice,
                     obj=delivery, ip=ip)  # fmt: skip
    _sync(delivery, actor)
    delivery.refresh_from_db()
    return delivery


def crisis_pause_start(
    *, actor: Membership, reason: str = "", ip: str | None = None
) -> CrisisPause:
    """Pause every scheduled delivery of the practice at once."""
    _require(actor, Perm.PUBLISH)
    with transaction.atomic():
        current = CrisisPause.objects.filter(practice=actor.practice, ended_at__isnull=True).first()
        if current:
            return current
        pause = CrisisPause.objects.create(
            practice=actor.practice, started_by=actor.user, reason=reason.strip()[:300]
        )
        audit_record(action="publishing.paused", actor=actor.user, practice=actor.practice,
                     obj=pause, ip=ip)  # fmt: skip
    return pause


def crisis_pause_end(*, actor: Membership, ip: str | None = None) -> list[Delivery]:
    """Resume publishing. Deliveries that fell due during the pause become `expired`
    and are returned, for a person to reschedule or drop each."""
    _require(actor, Perm.PUBLISH)
    now = timezone.now()
    with transaction.atomic():
        pause = CrisisPause.objects.filter(practice=actor.practice, ended_at__isnull=True).first()
        if pause is None:
            raise ValidationError({"pause": "Publishing is not paused."})
        missed_ids = list(
            Delivery.objects.filter(
                practice=actor.practice, state=D.SCHEDULED, next_attempt_at__lte=now
            ).values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=missed_ids).update(
            state=D.EXPIRED, next_attempt_at=None, updated_at=now,
            error="This was due while publishing was paused, so it was not sent. Choose a new "
            "time or drop it.",
        )  # fmt: skip
        pause.ended_at, pause.ended_by = now, actor.user
        pause.save(update_fields=["ended_at", "ended_by"])
        audit_record(action="publishing.resumed", actor=actor.user, practice=actor.practice,
                     obj=pause, ip=ip, data={"missed": missed_ids})  # fmt: skip
    missed = list(Delivery.objects.filter(pk__in=missed_ids).select_related("post", "channel"))
    for post_id in {d.post_id for d in missed}:
        from bedside.content.services import post_sync_state

        post_sync_state(post_id=post_id, actor=actor)
    return missed
