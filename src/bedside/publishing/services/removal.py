"""Removing published posts from their networks (on request, or a revoked consent)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.core.http import (
    HttpClient,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
)
from bedside.publishing.models import Delivery
from bedside.publishing.services._common import (
    D,
    _require,
    logger,
)


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
