"""The append-only, hash-chained audit log."""

from __future__ import annotations

import hashlib

import orjson
from django.db import models


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One security- or compliance-relevant action: who, where, what, when.

    Each practice has its own chain (practice-less events, such as a failed
    login for an unknown e-mail, use chain 0). `hash` is SHA-256 over the
    previous entry's hash and this entry's canonical fields, so editing or
    deleting any row breaks every later link. `data` holds ids and enums only,
    never PHI text.
    """

    chain = models.BigIntegerField(db_index=True)
    seq = models.BigIntegerField()
    practice_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        ordering = ["-created_at", "-id"]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be deleted.")

    def canonical(self) -> bytes:
        return orjson.dumps(
            {
                "chain": self.chain,
                "seq": self.seq,
                "practice_id": self.practice_id,
                "actor_id": self.actor_id,
                "actor_email": self.actor_email,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "ip": self.ip,
                "data": self.data,
                "created_at": self.created_at.isoformat(),
            },
            option=orjson.OPT_SORT_KEYS,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.prev_hash.encode() + self.canonical()).hexdigest()
