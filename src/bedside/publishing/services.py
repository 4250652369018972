"""Deliveries: schedule, claim, send, retry, resolve; the crisis pause.

The database row is the source of truth; the queue only wakes workers. A
delivery is claimed by one conditional UPDATE (state + lease in the WHERE
clause; exactly one row must change). Just before the network call the row
records `sending_at` (committed): a stalled lease with `sending_at` set means the
outcome is unknown, and only networks that deduplicate (idempotency key,
deterministic record key) are sent again; the others are checked against the
account's recent posts, read-only, and otherwise left for a person
(`needs_review`). See docs/publishing.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm, role_has
from bedside.audit.services import audit_record
from bedside.channels.connectors.base import (
    Media,
    PublishRequest,
    RecentPostsSource,
    find_recent_match,
    publish_is_idempotent,
)
from bedside.channels.models import ChannelStatus
from bedside.core.http import (
    HttpClient,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
)
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


# --------------------------------------------------------------------------- scheduling


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


# --------------------------------------------------------------------------- claim and sweep


def delivery_claim(*, delivery_id: int, worker: str, now: dt.datetime | None = None) -> bool:
    """Claim one delivery: True if this worker now holds its lease.

    One conditional UPDATE: a due scheduled row, or a publishing row whose lease
    expired (its worker died), and never while the practice is paused.
    """
    now = now or timezone.now()
    due = Q(state=D.SCHEDULED, next_attempt_at__lte=now) | Q(
        state=D.PUBLISHING, lease_until__lt=now
    )
    rows = (
        Delivery.objects.filter(due, pk=delivery_id)
        .exclude(_paused())
        .update(
            state=D.PUBLISHING,
            lease_owner=worker,
            lease_until=now + dt.timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return rows == 1


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    """Ids of deliveries that are due or stalled (expired lease), oldest first."""
    now = now or timezone.now()
    due = Q(state=D.SCHEDULED, next_attempt_at__lte=now) | Q(
        state=D.PUBLISHING, lease_until__lt=now
    )
    return list(
        Delivery.objects.filter(due)
        .exclude(_paused())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_sweep(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Enqueue a task for every due or stalled delivery (the periodic sweeper)."""
    ids = deliveries_due(now=now, limit=limit)
    for delivery_id in ids:
        enqueue_delivery(delivery_id, None)
    for delivery_id in removals_due():
        _enqueue_removal(delivery_id)
    return len(ids)


# --------------------------------------------------------------------------- sending


@dataclass
class Outcome:
    state: str
    message: str = ""


def delivery_run(
    *, delivery_id: int, worker: str | None = None, http: HttpClient | None = None
) -> str:
    """Claim and send one delivery; returns the resulting state (or "skipped").

    Safe to run twice and from many processes at once: only the claimer sends.
    """
    worker = worker or worker_id()
    if not delivery_claim(delivery_id=delivery_id, worker=worker):
        return "skipped"
    delivery = Delivery.objects.select_related(
        "post", "channel", "revision", "post__approved_by", "post__practice"
    ).get(pk=delivery_id)
    try:
        state = _send_claimed(delivery, worker, http)
    except Exception:
        # A bug or a lost database: leave the lease to expire so the sweeper retries
        # (with the unknown-outcome rules if the call had started).
        logger.exception("delivery %s: unexpected error", delivery_id)
        raise
    from bedside.content.services import post_sync_state

    post_sync_state(post_id=delivery.post_id)
    return state


def _refusal(delivery: Delivery) -> tuple[str, str, str, str] | None:
    """Re-check at send time: (state, message, kind, fix_url), or None if all is well."""
    post, channel = delivery.post, delivery.channel
    from bedside.content.models import PostState

    if post.state == PostState.CANCELLED:
        return D.CANCELLED, "The post was cancelled.", "cancelled", ""
    if post.approved_revision_id is None or delivery.revision_id != post.approved_revision_id:
        return (
            D.PENDING,
            "The post changed after approval; it waits for a new approval.",
            "approval",
            reverse("content:post_detail", args=[post.pk]),
        )
    if channel.status != ChannelStatus.CONNECTED:
        return (
            D.FAILED,
            f"{channel.name} is {channel.get_status_display().lower()}. Reconnect it in "
            "Settings → Channels, then retry this post.",
            "auth",
            reverse("channels:detail", args=[channel.pk]),
        )
    approver = Membership.objects.filter(
        user_id=post.approved_by_id, practice_id=post.practice_id
    ).first()
    if approver is None or not role_has(approver.role, Perm.APPROVE):
        return (
            D.FAILED,
            "The person who approved this post can no longer approve posts. Ask someone "
            "who can to review and approve it again.",
            "approval",
            reverse("content:post_detail", args=[post.pk]),
        )
    return None


def _request(delivery: Delivery) -> PublishRequest:
    revision = delivery.revision
    assert revision is not None  # checked by _refusal
    from bedside.content.models import MediaAsset

    assets = {m.pk: m for m in MediaAsset.objects.filter(pk__in=[i["id"] for i in revision.media])}
    media = []
    for item in revision.media:
        asset = assets.get(item["id"])
        if asset is not None:
            with asset.file.open("rb") as fh:
                media.append(Media(data=fh.read(), mime=asset.mime, alt_text=item["alt_text"]))
    return PublishRequest(
        text=revision.text_for(delivery.channel_id),
        media=media,
        idempotency_key=delivery.idempotency_key,
        metadata={
            "post_id": delivery.post_id,
            "delivery_id": delivery.pk,
            "scheduled_at": delivery.due_at,
            "language": "en",
        },
    )


def _send_claimed(delivery: Delivery, worker: str, http: HttpClient | None) -> str:
    refusal = _refusal(delivery)
    if refusal is not None:
        state, message, kind, fix = refusal
        _finish(delivery, worker, state=state, error=message, kind=kind, fix_url=fix)
        return state
    from bedside.channels.connect import connector_for

    try:
        connector = connector_for(delivery.channel, http=http)
    except TerminalError as exc:
        return _terminal(delivery, worker, exc)
    request = _request(delivery)
    idempotent = publish_is_idempotent(delivery.channel.type)
    if delivery.sending_at is not None and not idempotent:
        # The last attempt reached the network and never reported back.
        return _unknown(delivery, worker, connector, request, "the previous attempt stopped")
    marked = Delivery.objects.filter(pk=delivery.pk, state=D.PUBLISHING, lease_owner=worker).update(
        sending_at=timezone.now()
    )
    if marked != 1:
        return "skipped"
    try:
        result = connector.publish(request)  # type: ignore[attr-defined]
    except RetryableError as exc:
        return _retry(delivery, worker, exc, exc.retry_after)
    except TerminalError as exc:
        return _terminal(delivery, worker, exc)
    except UnknownOutcomeError as exc:
        if idempotent:
            return _retry(delivery, worker, exc, None, unknown=True)
        return _unknown(delivery, worker, connector, request, str(exc))
    _published(delivery, result.external_id, result.url or "")
    return D.PUBLISHED


def _finish(
    delivery: Delivery, worker: str, *, state: str, error: str = "", kind: str = "",
    fix_url: str = "", next_attempt_at: dt.datetime | None = None, keep_sending: bool = False,
) -> bool:  # fmt: skip
    """Record an outcome if this worker still holds the lease."""
    with transaction.atomic():
        fields: dict[str, Any] = {
            "state": state,
            "error": error[:2000],
            "last_error_kind": kind,
            "fix_url": fix_url,
            "next_attempt_at": next_attempt_at,
            "lease_owner": "",
            "lease_until": None,
            "updated_at": timezone.now(),
        }
        if not keep_sending:
            fields["sending_at"] = None
        rows = Delivery.objects.filter(
            pk=delivery.pk, state=D.PUBLISHING, lease_owner=worker
        ).update(**fields)
        if rows == 1:
            audit_record(
                action=f"delivery.{state}",
                practice=delivery.practice_id,
                obj=delivery,
                data={"post": delivery.post_id, "channel": delivery.channel_id,
                      "attempts": delivery.attempts, "kind": kind},
            )  # fmt: skip
            if next_attempt_at is not None:
                _on_commit_enqueue(delivery.pk, next_attempt_at)
    return rows == 1


def _published(delivery: Delivery, external_id: str, url: str) -> None:
    """Record success whoever holds the lease now: the post exists."""
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=delivery.pk).exclude(state=D.PUBLISHED).update(
            state=D.PUBLISHED, external_id=external_id[:200], url=url[:500], error="",
            last_error_kind="", fix_url="", published_at=timezone.now(), lease_owner="",
            lease_until=None, next_attempt_at=None, sending_at=None, updated_at=timezone.now(),
        )  # fmt: skip
        if rows:
            audit_record(
                action="delivery.published", practice=delivery.practice_id, obj=delivery,
                data={"post": delivery.post_id, "channel": delivery.channel_id,
                      "attempts": delivery.attempts},
            )  # fmt: skip


def _retry(
    delivery: Delivery, worker: str, exc: Exception, retry_after: float | None,
    unknown: bool = False,
) -> str:  # fmt: skip
    network = delivery.channel.name
    if delivery.attempts >= max_attempts():
        if unknown:
            return _needs_review(delivery, worker)
        _finish(
            delivery, worker, state=D.FAILED, kind="retryable",
            error=f"{network} could not be reached after {delivery.attempts} tries. Nothing was "
            "published. Check that the account works (Test connection), then retry.",
            fix_url=reverse("channels:detail", args=[delivery.channel_id]),
        )  # fmt: skip
        return D.FAILED
    delay = backoff_seconds(delivery.attempts, retry_after)
    when = timezone.now() + dt.timedelta(seconds=delay)
    _finish(
        delivery, worker, state=D.SCHEDULED, kind="unknown" if unknown else "retryable",
        error=f"{network} did not accept the post yet ({_short(exc)}); Bedside tries again "
        "automatically.",
        next_attempt_at=when,
    )  # fmt: skip
    return D.SCHEDULED


def _short(exc: Exception) -> str:
    status = getattr(exc, "status", None)
    if status == 429:
        return "too many requests"
    if status:
        return f"HTTP {status}"
    return "no answer"


def _terminal(delivery: Delivery, worker: str, exc: TerminalError) -> str:
    from bedside.channels.services import channel_mark_needs_reconnect

    if exc.kind in ("auth", "config"):
        fix = reverse("channels:detail", args=[delivery.channel_id])
    else:
        fix = reverse("content:post_detail", args=[delivery.post_id])
    if exc.kind == "auth":
        channel_mark_needs_reconnect(channel_id=delivery.channel_id, message=exc.user_message)
    _finish(delivery, worker, state=D.FAILED, error=exc.user_message, kind=exc.kind, fix_url=fix)
    return D.FAILED


def _unknown(
    delivery: Delivery, worker: str, connector: Any, request: PublishRequest, why: str
) -> str:
    """Outcome unknown on a network that does not deduplicate: look, never re-send."""
    if isinstance(connector, RecentPostsSource):
        try:
            posts = connector.recent_posts(limit=40)
        except (RetryableError, TerminalError, UnknownOutcomeError):
            posts = []
        since = (delivery.due_at or timezone.now()) - dt.timedelta(minutes=5)
        match = find_recent_match(posts, request.text, not_before=since)
        if match is not None:
            _published(delivery, match.external_id, "")
            return D.PUBLISHED
    return _needs_review(delivery, worker)


def _needs_review(delivery: Delivery, worker: str) -> str:
    network = delivery.channel.name
    _finish(
        delivery, worker, state=D.NEEDS_REVIEW, kind="unknown",
        error=f"Bedside could not tell whether {network} received this post. Look at the "
        f"account: if the post is there, mark it published; if not, send it again.",
        fix_url=reverse("content:post_detail", args=[delivery.post_id]),
    )  # fmt: skip
    return D.NEEDS_REVIEW


# --------------------------------------------------------------------------- people's actions


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not {perm.value}.")


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


def _sync(delivery: Delivery, actor: Any) -> None:
    from bedside.content.services import post_sync_state

    post_sync_state(post_id=delivery.post_id, actor=actor)


# --------------------------------------------------------------------------- crisis pause


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


# --------------------------------------------------------------------------- removal


def delivery_remove_request(
    *, actor: Membership | None, delivery: Delivery, reason: str = "requested",
    ip: str | None = None,
) -> Delivery:  # fmt: skip
    """Ask for a published post to be deleted from its network (queued, audited)."""
    if actor is not None:
        _require(actor, Perm.PUBLISH)
    with transaction.atomic():
        rows = Delivery.objects.filter(
            pk=delivery.pk, state=D.PUBLISHED, remove_requested_at__isnull=True
        ).update(remove_requested_at=timezone.now(), remove_reason=reason[:40], remove_error="")
        if rows != 1:
            raise ValidationError({"state": "Only a published post can be removed (once)."})
        audit_record(
            action="delivery.remove_requested", actor=getattr(actor, "user", None),
            practice=delivery.practice_id, obj=delivery, ip=ip, data={"reason": reason[:40]},
        )  # fmt: skip
        transaction.on_commit(lambda: _enqueue_removal(delivery.pk))
    delivery.refresh_from_db()
    return delivery


def _enqueue_removal(delivery_id: int) -> None:
    from bedside.publishing.tasks import remove

    try:
        remove(delivery_id)
    except Exception:
        logger.exception("could not enqueue removal of %s; the sweeper will", delivery_id)


def delivery_remove_run(*, delivery_id: int, http: HttpClient | None = None) -> str:
    """Delete the post from its network: "removed", "retry" or "failed" (plain message)."""
    delivery = Delivery.objects.select_related("channel").get(pk=delivery_id)
    if delivery.remove_requested_at is None or delivery.removed_at is not None:
        return "skipped"
    from bedside.channels.connect import connector_for

    try:
        connector = connector_for(delivery.channel, http=http)
        connector.delete(delivery.external_id)  # type: ignore[attr-defined]
    except (RetryableError, UnknownOutcomeError):
        return "retry"  # the sweeper tries again; deleting twice is harmless
    except TerminalError as exc:
        if exc.kind != "not_found":
            Delivery.objects.filter(pk=delivery.pk).update(remove_error=exc.user_message[:2000])
            return "failed"
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), remove_error=""
        )
        audit_record(
            action="delivery.removed", practice=delivery.practice_id, obj=delivery,
            data={"reason": delivery.remove_reason},
        )  # fmt: skip
    return "removed"


def removals_due(*, limit: int = 500) -> list[int]:
    return list(
        Delivery.objects.filter(
            remove_requested_at__isnull=False, removed_at__isnull=True, remove_error=""
        ).values_list("pk", flat=True)[:limit]
    )
