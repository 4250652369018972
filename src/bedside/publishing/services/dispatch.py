"""Claim, send and record one delivery; find due and stalled ones (the sweeper)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
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
from bedside.publishing.models import Delivery
from bedside.publishing.services import _common
from bedside.publishing.services._common import (
    D,
    _on_commit_enqueue,
    _paused,
    backoff_seconds,
    lease_seconds,
    logger,
    max_attempts,
    wake_grace_seconds,
    worker_id,
)
from bedside.publishing.services.editing import edits_due, enqueue_edit
from bedside.publishing.services.notices import failure_notice_owed, failure_notices_sweep
from bedside.publishing.services.removal import _enqueue_removal, removals_due


def _due(now: dt.datetime) -> Q:
    """A due scheduled row, or a publishing row whose lease expired (its worker died)."""
    return Q(state=D.SCHEDULED, next_attempt_at__lte=now) | Q(
        state=D.PUBLISHING, lease_until__lt=now
    )


def delivery_claim(*, delivery_id: int, worker: str, now: dt.datetime | None = None) -> bool:
    """Claim one delivery: True if this worker now holds its lease.

    One conditional UPDATE: a due scheduled row, or a publishing row whose lease
    expired (its worker died), and never while the practice is paused.
    """
    now = now or timezone.now()
    due = _due(now)
    rows = (
        Delivery.objects.filter(due, pk=delivery_id)
        .exclude(_paused())
        .update(
            state=D.PUBLISHING,
            lease_owner=worker,
            lease_until=now + dt.timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            wake_at=None,  # the wake-up is used up: a stalled lease is re-woken at once
            updated_at=now,
        )
    )
    return rows == 1


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    """Ids of deliveries that are due or stalled (expired lease), oldest first."""
    now = now or timezone.now()
    due = _due(now)
    return list(
        Delivery.objects.filter(due)
        .exclude(_paused())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_to_wake(*, now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    """Due or stalled deliveries with no wake-up still waiting in the queue: never
    woken, or woken longer than the grace period ago (the task was lost)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=wake_grace_seconds())
    due = _due(now)
    unwoken = Q(wake_at__isnull=True) | Q(wake_at__lt=cutoff)
    return list(
        Delivery.objects.filter(due, unwoken)
        .exclude(_paused())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_sweep(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """The periodic sweeper: wake every due or stalled delivery that has no task
    waiting, and the removals, edits and failure notices that are owed. Returns the
    number of deliveries enqueued.

    The wake marker is written before enqueueing, so a task that runs at once finds it
    and its claim clears it; a sweep that dies in between only delays those rows by
    the grace period."""
    now = now or timezone.now()
    ids = deliveries_to_wake(now=now, limit=limit)
    for start in range(0, len(ids), 500):  # SQLite's variable limit, and short writes
        # still due: a row claimed meanwhile keeps its cleared marker
        Delivery.objects.filter(_due(now), pk__in=ids[start : start + 500]).update(wake_at=now)
    for delivery_id in ids:
        _common.enqueue_delivery(delivery_id, None)
    for delivery_id in removals_due():
        _enqueue_removal(delivery_id)
    for delivery_id in edits_due(now=now):
        enqueue_edit(delivery_id, None)
    failure_notices_sweep(now=now)
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

    wanted = [i["id"] for i in revision.media]
    assets = {m.pk: m for m in MediaAsset.objects.filter(pk__in=wanted)} if wanted else {}
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
            if state in (D.FAILED, D.NEEDS_REVIEW):
                failure_notice_owed(delivery_id=delivery.pk)
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
