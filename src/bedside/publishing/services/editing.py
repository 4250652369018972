"""Editing published posts in place on the networks that allow it.

An approved PostEdit (content.services.post_edit_approve) calls
`deliveries_edit_for_post`: every published, not removed delivery on an editable
network gets an edit job (`edit_revision`, due now); deliveries on networks
that cannot edit are reported and left alone; unsent ones simply take the new
revision. A job is claimed by one conditional UPDATE (its own lease), re-checked
(approval, channel, approver), and pushed with `connector.edit`. Editing is a
PUT/PATCH of the whole text, so retryable and unknown outcomes are both retried
with backoff; terminal errors stop the job with a plain message and a fix link.
`delivery.revision` always names the text that is live. The sweeper re-finds
due and stalled jobs (`edits_due`), so a lost task only delays an edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm, role_has
from bedside.audit.services import audit_record
from bedside.channels.connectors.base import PublishRequest, edit_refusal
from bedside.channels.models import ChannelStatus
from bedside.core.http import HttpClient, RetryableError, TerminalError, UnknownOutcomeError
from bedside.publishing.models import Delivery
from bedside.publishing.services._common import (
    OPEN,
    D,
    _paused,
    _require,
    backoff_seconds,
    lease_seconds,
    logger,
    max_attempts,
    worker_id,
)


@dataclass
class EditPlan:
    """What approving an edit did to each delivery."""

    queued: list[int] = field(default_factory=list)
    not_editable: list[tuple[int, str]] = field(default_factory=list)  # (delivery id, why)
    unsent: list[int] = field(default_factory=list)


def delivery_edit_refusal(delivery: Delivery) -> str | None:
    """Why this delivery's network cannot edit a published post, or None."""
    return edit_refusal(delivery.channel.type, delivery.channel.settings)


def _live(post: Any):  # type: ignore[no-untyped-def]
    return post.deliveries.filter(
        state=D.PUBLISHED, removed_at__isnull=True, remove_requested_at__isnull=True
    ).exclude(external_id="")


def deliveries_live_for_post(*, post: Any) -> list[Delivery]:
    """Published copies still on their networks (what an edit would change)."""
    return list(_live(post).select_related("channel"))


def deliveries_edit_for_post(*, post: Any, revision: Any, actor: Membership | None) -> EditPlan:
    """Queue the approved `revision` for every live copy on an editable network.

    Runs inside the approval's transaction. Refuses while a delivery is being sent
    (its outcome would carry the old text with no edit queued after it).
    """
    if post.deliveries.filter(state=D.PUBLISHING).exists():
        raise ValidationError(
            {"state": "A copy of this post is being sent right now. Try again in a minute."}
        )
    plan, now = EditPlan(), timezone.now()
    for delivery in post.deliveries.select_related("channel").order_by("pk"):
        if delivery.state in OPEN:
            Delivery.objects.filter(pk=delivery.pk).update(revision=revision, updated_at=now)
            plan.unsent.append(delivery.pk)
            continue
        live = (
            delivery.state == D.PUBLISHED and delivery.external_id
            and delivery.removed_at is None and delivery.remove_requested_at is None
        )  # fmt: skip
        if not live:
            continue
        refusal = delivery_edit_refusal(delivery)
        if refusal:
            plan.not_editable.append((delivery.pk, refusal))
            continue
        Delivery.objects.filter(pk=delivery.pk).update(
            edit_revision=revision, edit_requested_at=now, edit_next_attempt_at=now,
            edit_attempts=0, edit_error="", edit_fix_url="", updated_at=now,
        )  # fmt: skip
        plan.queued.append(delivery.pk)
        transaction.on_commit(lambda pk=delivery.pk: enqueue_edit(pk, None))
    audit_record(
        action="post.edits_queued", actor=getattr(actor, "user", None), practice=post.practice_id,
        obj=post, data={"revision": revision.pk, "queued": plan.queued, "unsent": plan.unsent,
                        "not_editable": [pk for pk, _ in plan.not_editable]},
    )  # fmt: skip
    return plan


def enqueue_edit(delivery_id: int, eta: dt.datetime | None) -> None:
    """Wake a worker (the sweeper finds the job anyway if this is lost)."""
    from bedside.publishing.tasks import edit

    try:
        if eta is None or eta <= timezone.now():
            edit(delivery_id)
        else:
            edit.schedule((delivery_id,), eta=eta)
    except Exception:
        logger.exception("could not enqueue edit of %s; the sweeper will pick it up", delivery_id)


# --------------------------------------------------------------------------- claim and run


def _due(now: dt.datetime) -> Q:
    return (
        Q(state=D.PUBLISHED, edit_revision__isnull=False, edit_next_attempt_at__lte=now)
        & Q(removed_at__isnull=True, remove_requested_at__isnull=True)
        & (Q(edit_lease_until__isnull=True) | Q(edit_lease_until__lt=now))
    )


def delivery_edit_claim(*, delivery_id: int, worker: str, now: dt.datetime | None = None) -> bool:
    """True if this worker now holds the edit lease (one conditional UPDATE)."""
    now = now or timezone.now()
    rows = (
        Delivery.objects.filter(_due(now), pk=delivery_id)
        .exclude(_paused())
        .update(
            edit_lease_owner=worker,
            edit_lease_until=now + dt.timedelta(seconds=lease_seconds()),
            edit_attempts=F("edit_attempts") + 1,
        )
    )
    return rows == 1


def edits_due(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Edit jobs that are due, or whose worker died (lease expired)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_due(now))
        .exclude(_paused())
        .order_by("edit_next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def delivery_edit_run(
    *, delivery_id: int, worker: str | None = None, http: HttpClient | None = None
) -> str:
    """Claim and push one edit: "edited", "retry", "failed" or "skipped". Safe to run twice."""
    worker = worker or worker_id()
    if not delivery_edit_claim(delivery_id=delivery_id, worker=worker):
        return "skipped"
    delivery = Delivery.objects.select_related("post", "channel", "edit_revision").get(
        pk=delivery_id
    )
    refusal = _refusal(delivery)
    if refusal is not None:
        return _stop(delivery, worker, *refusal)
    revision = delivery.edit_revision
    assert revision is not None  # claimed only with one
    request = PublishRequest(
        text=revision.text_for(delivery.channel_id),
        idempotency_key=f"{delivery.idempotency_key}:e{revision.number}",
        metadata={"post_id": delivery.post_id, "delivery_id": delivery.pk,
                  "revision": revision.number, "language": "en"},
    )  # fmt: skip
    from bedside.channels.connect import connector_for

    try:
        connector = connector_for(delivery.channel, http=http)
        result = connector.edit(delivery.external_id, request)  # type: ignore[attr-defined]
    except (RetryableError, UnknownOutcomeError) as exc:
        return _retry(delivery, worker, exc)
    except TerminalError as exc:
        return _terminal(delivery, worker, exc)
    _done(delivery, worker, revision.pk, result.url or "")
    return "edited"


def _refusal(delivery: Delivery) -> tuple[str, str] | None:
    """Send-time re-checks: (message, fix url), or None when the edit may go out."""
    post, channel = delivery.post, delivery.channel
    if post.approved_revision_id != delivery.edit_revision_id:
        return ("This edit is no longer the approved text of the post.",
                reverse("content:post_detail", args=[post.pk]))  # fmt: skip
    if channel.status != ChannelStatus.CONNECTED:
        return (f"{channel.name} is {channel.get_status_display().lower()}. Reconnect it in "
                "Settings → Channels, then retry the edit.",
                reverse("channels:detail", args=[channel.pk]))  # fmt: skip
    approver = Membership.objects.filter(
        user_id=post.approved_by_id, practice_id=post.practice_id
    ).first()
    if approver is None or not role_has(approver.role, Perm.APPROVE):
        return ("The person who approved this edit can no longer approve posts. Edit the post "
                "again and ask someone who can to approve it.",
                reverse("content:post_detail", args=[post.pk]))  # fmt: skip
    return None


def _release(delivery: Delivery, worker: str, **fields: Any) -> bool:
    rows = Delivery.objects.filter(pk=delivery.pk, edit_lease_owner=worker).update(
        edit_lease_owner="", edit_lease_until=None, updated_at=timezone.now(), **fields
    )
    return rows == 1


def _done(delivery: Delivery, worker: str, revision_id: int, url: str) -> None:
    """The network shows `revision_id` now; clear the job unless a newer one is waiting."""
    now = timezone.now()
    live = {"revision_id": revision_id, "edited_at": now, "edit_error": "", "edit_fix_url": ""}
    if url:
        live["url"] = url[:500]
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=delivery.pk, edit_revision_id=revision_id).update(
            edit_revision=None, edit_requested_at=None, edit_next_attempt_at=None,
            edit_attempts=0, edit_lease_owner="", edit_lease_until=None, updated_at=now, **live,
        )  # fmt: skip
        if rows == 0 and _release(delivery, worker, **live):
            transaction.on_commit(lambda: enqueue_edit(delivery.pk, None))  # a newer edit waits
        audit_record(
            action="delivery.edited", practice=delivery.practice_id, obj=delivery,
            data={"post": delivery.post_id, "channel": delivery.channel_id,
                  "revision": revision_id, "attempts": delivery.edit_attempts},
        )  # fmt: skip


def _retry(delivery: Delivery, worker: str, exc: Exception) -> str:
    network = delivery.channel.name
    if delivery.edit_attempts >= max_attempts():
        return _stop(
            delivery, worker,
            f"{network} could not be reached after {delivery.edit_attempts} tries, so the post "
            "there may still show the earlier text. Check the account (Test connection), then "
            "retry the edit.",
            reverse("channels:detail", args=[delivery.channel_id]),
        )  # fmt: skip
    retry_after = getattr(exc, "retry_after", None)
    when = timezone.now() + dt.timedelta(
        seconds=backoff_seconds(delivery.edit_attempts, retry_after)
    )
    status = getattr(exc, "status", None)
    why = "too many requests" if status == 429 else f"HTTP {status}" if status else "no answer"
    if _release(delivery, worker, edit_next_attempt_at=when,
                edit_error=f"{network} did not take the edit yet ({why}); Bedside tries again "
                "automatically."):  # fmt: skip
        transaction.on_commit(lambda: enqueue_edit(delivery.pk, when))
    return "retry"


def _terminal(delivery: Delivery, worker: str, exc: TerminalError) -> str:
    from bedside.channels.services import channel_mark_needs_reconnect

    network = delivery.channel.name
    if exc.kind in ("auth", "config"):
        fix = reverse("channels:detail", args=[delivery.channel_id])
        message = exc.user_message
        if exc.kind == "auth":
            channel_mark_needs_reconnect(channel_id=delivery.channel_id, message=exc.user_message)
    elif exc.kind == "not_found":
        fix = reverse("content:post_detail", args=[delivery.post_id])
        message = (
            f"The post is no longer on {network} (it was deleted there), so it cannot be edited."
        )
    else:
        fix = reverse("content:post_detail", args=[delivery.post_id])
        message = f"{exc.user_message} Edit the post again to fix the text."
    return _stop(delivery, worker, message, fix)


def _stop(delivery: Delivery, worker: str, message: str, fix_url: str) -> str:
    """The edit cannot go out by itself: keep the job, stop retrying, say what to do."""
    with transaction.atomic():
        if _release(delivery, worker, edit_next_attempt_at=None, edit_error=message[:2000],
                    edit_fix_url=fix_url):  # fmt: skip
            audit_record(
                action="delivery.edit_failed", practice=delivery.practice_id, obj=delivery,
                data={"post": delivery.post_id, "channel": delivery.channel_id,
                      "revision": delivery.edit_revision_id, "attempts": delivery.edit_attempts},
            )  # fmt: skip
    return "failed"


def delivery_edit_retry(
    *, actor: Membership, delivery: Delivery, ip: str | None = None
) -> Delivery:
    """Try a stopped edit again now (after reconnecting the channel)."""
    _require(actor, Perm.PUBLISH)
    with transaction.atomic():
        rows = Delivery.objects.filter(
            pk=delivery.pk, state=D.PUBLISHED, edit_revision__isnull=False,
            edit_next_attempt_at__isnull=True, removed_at__isnull=True,
        ).update(
            edit_next_attempt_at=timezone.now(), edit_attempts=0, edit_error="", edit_fix_url="",
            updated_at=timezone.now(),
        )  # fmt: skip
        if rows != 1:
            raise ValidationError({"state": "Only an edit that stopped can be retried."})
        audit_record(action="delivery.edit_retried", actor=actor.user, practice=actor.practice,
                     obj=delivery, ip=ip)  # fmt: skip
        transaction.on_commit(lambda: enqueue_edit(delivery.pk, None))
    delivery.refresh_from_db()
    return delivery
