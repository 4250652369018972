"""Writing and verifying the audit log. Every mutating service calls `audit_record`
inside its own transaction, so the event commits or rolls back with the change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bedside.audit.models import AuditEvent

GENESIS = "0" * 64


def _lock_chain(chain: int) -> None:
    # SQLite runs every write transaction IMMEDIATE (settings), which already
    # serialises writers; PostgreSQL needs an explicit per-chain lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x0A0D17, chain])


def audit_record(
    *,
    action: str,
    actor: Any = None,
    practice: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the practice's chain. `data` must hold ids and enums only."""
    practice_id = getattr(practice, "pk", practice)
    chain = int(practice_id or 0)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        _lock_chain(chain)
        last = (
            AuditEvent.objects.filter(chain=chain)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        event = AuditEvent(
            chain=chain,
            seq=seq,
            practice_id=practice_id,
            actor_id=getattr(actor, "pk", None),
            actor_email=getattr(actor, "email", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            ip=ip,
            data=data or {},
            created_at=timezone.now(),
            prev_hash=prev_hash,
        )
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    chain: int
    seq: int
    event_id: int
    reason: str


def audit_verify(*, batch: int = 2000) -> list[ChainBreak]:
    """Walk every chain; return the first break in each broken chain."""
    breaks: list[ChainBreak] = []
    chains = AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()
    for chain in sorted(set(chains)):
        prev_hash, expected_seq = GENESIS, 1
        qs = AuditEvent.objects.filter(chain=chain).order_by("seq")
        for event in qs.iterator(chunk_size=batch):
            reason = ""
            if event.seq != expected_seq:
                reason = (
                    f"sequence gap: expected {expected_seq}, found {event.seq} (a row was deleted)"
                )
            elif event.prev_hash != prev_hash:
                reason = "previous-hash link does not match the entry before it"
            elif event.compute_hash() != event.hash:
                reason = "content does not match its hash (the row was edited)"
            if reason:
                breaks.append(ChainBreak(chain, event.seq, event.pk, reason))
                break
            prev_hash, expected_seq = event.hash, event.seq + 1
    return breaks
