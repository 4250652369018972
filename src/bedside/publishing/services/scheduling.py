"""Deliveries for an approved post: schedule, hold after an edit, cancel."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.audit.services import audit_record
from bedside.publishing.models import Delivery
from bedside.publishing.services._common import (
    OPEN,
    D,
    _on_commit_enqueue,
)


def deliveries_schedule_for_post(*, post: Any, actor: Membership | None = None) -> list[Delivery]:
    """Create or update one delivery per target channel of an approved post.

    Future time: scheduled (a task is enqueued at that time). Time already past:
    `expired`, asking for a new time — never sent late by surprise. No time yet:
    pending.
    """
    from bedside.content.services import post_sync_state

    now = timezone.now()
    channel_ids = set(post.channels.values_list("pk", flat=True))
    existing = {d.channel_id: d for d in post.deliveries.all()}
    for channel_id, delivery in existing.items():
        if channel_id not in channel_ids and delivery.state in OPEN:
            _set(delivery, state=D.CANCELLED, error="")
    result = []
    for channel_id in sorted(channel_ids):
        delivery = existing.get(channel_id) or Delivery.objects.create(
            practice_id=post.practice_id, post=post, channel_id=channel_id
        )
        result.append(delivery)
        if delivery.state not in OPEN:
            continue
        delivery.revision_id = post.approved_revision_id
        if post.scheduled_at is None:
            _set(delivery, state=D.PENDING, due_at=None, next_attempt_at=None, error="")
        elif post.scheduled_at <= now:
            _set(
                delivery,
                state=D.EXPIRED,
                due_at=post.scheduled_at,
                next_attempt_at=None,
                error="The post was approved after its scheduled time, so it was not sent. "
                "Choose a new time.",
                fix_url=reverse("content:post_detail", args=[post.pk]),
            )
        else:
            _set(
                delivery,
                state=D.SCHEDULED,
                due_at=post.scheduled_at,
                next_attempt_at=post.scheduled_at,
                attempts=0,
                error="",
                fix_url="",
                last_error_kind="",
            )
            _on_commit_enqueue(delivery.pk, post.scheduled_at)
    audit_record(
        action="post.deliveries_scheduled",
        actor=getattr(actor, "user", None),
        practice=post.practice_id,
        obj=post,
        data={"deliveries": [d.pk for d in result], "states": [d.state for d in result]},
    )
    post_sync_state(post_id=post.pk, actor=actor)
    return result


def _set(delivery: Delivery, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=[*fields, "revision", "updated_at"])


def deliveries_hold_for_post(*, post: Any) -> None:
    """An edit voided the approval: unsent deliveries wait for the next approval.

    A delivery that never reached the network gets a fresh idempotency key, so the
    new text is not answered with the old post by a deduplicating network.
    """
    for delivery in post.deliveries.filter(state__in=OPEN):
        fresh = delivery.sending_at is None or delivery.state == D.FAILED
        delivery.state, delivery.next_attempt_at, delivery.error = D.PENDING, None, ""
        if fresh:
            delivery.idempotency_key = f"bedside-{uuid.uuid4().hex}"
            delivery.sending_at = None
        delivery.save()


def deliveries_cancel_for_post(*, post: Any) -> None:
    post.deliveries.filter(state__in=OPEN).update(
        state=D.CANCELLED, next_attempt_at=None, updated_at=timezone.now()
    )
