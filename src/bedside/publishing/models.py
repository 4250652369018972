"""Deliveries: one per (post, channel), the source of truth for publishing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bedside.core.models import PracticeOwned


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    NEEDS_REVIEW = "needs_review", "Needs review"
    EXPIRED = "expired", "Needs a new time"
    CANCELLED = "cancelled", "Cancelled"


FINAL_STATES = frozenset({DeliveryState.PUBLISHED, DeliveryState.FAILED, DeliveryState.CANCELLED})


def new_key() -> str:
    return f"bedside-{uuid.uuid4().hex}"


class Delivery(PracticeOwned):
    """Publishing one post to one channel.

    Claimed by a conditional UPDATE (state and lease in the WHERE clause; exactly
    one row must change), so two workers never send the same delivery at once.
    `idempotency_key` is stable for the delivery's life and travels with every
    attempt. `sending_at` is set (and committed) just before the network call:
    a stalled lease with `sending_at` set means the outcome is unknown.
    """

    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(
        "channels.ChannelAccount", on_delete=models.CASCADE, related_name="deliveries"
    )
    revision = models.ForeignKey(
        "content.PostRevision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    due_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, default=new_key)
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    external_id = models.CharField(max_length=200, blank=True, default="")
    url = models.URLField(max_length=500, blank=True, default="")
    error = models.TextField(blank=True, default="")
    fix_url = models.CharField(max_length=300, blank=True, default="")
    last_error_kind = models.CharField(max_length=20, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    # When the last enqueued `publishing.deliver` task is expected to run (its eta, or
    # the moment it was enqueued); a claim clears it. The sweeper skips a due row whose
    # wake-up is younger than the grace period (a task is still waiting in the queue)
    # and re-enqueues it after that (the task was lost): the row stays the truth.
    wake_at = models.DateTimeField(null=True, blank=True)
    # Failure notice (failed / needs review): `notice_queued_at` is when a notice task
    # was last enqueued for the current failure, `notified_at` when one was sent (claimed
    # by a conditional UPDATE, so at most one e-mail per failure). The sweeper re-enqueues
    # a notice still unsent after the grace period.
    notice_queued_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    # Removal of a published post from the network (a person's request, or a revoked
    # consent). Deleting is idempotent: "already gone" counts as removed.
    remove_requested_at = models.DateTimeField(null=True, blank=True)
    remove_reason = models.CharField(max_length=40, blank=True, default="")
    removed_at = models.DateTimeField(null=True, blank=True)
    remove_error = models.TextField(blank=True, default="")
    # Editing the published copy in place (an approved PostEdit). `revision` is what is
    # live; `edit_revision` is the approved text being pushed. Edits are PUT/PATCH of
    # the whole text, so a retry after an unknown outcome is safe. Claimed like a
    # delivery: a conditional UPDATE sets the edit lease.
    edit_revision = models.ForeignKey(
        "content.PostRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edit_requested_at = models.DateTimeField(null=True, blank=True)
    edit_next_attempt_at = models.DateTimeField(null=True, blank=True)
    edit_attempts = models.PositiveIntegerField(default=0)
    edit_lease_owner = models.CharField(max_length=64, blank=True, default="")
    edit_lease_until = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_error = models.TextField(blank=True, default="")
    edit_fix_url = models.CharField(max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_delivery_per_channel")
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["state", "lease_until"], name="delivery_lease"),
            models.Index(fields=["practice", "state"]),
            models.Index(fields=["edit_next_attempt_at"], name="delivery_edit_due"),
            models.Index(
                fields=["notice_queued_at"],
                condition=models.Q(notified_at__isnull=True, notice_queued_at__isnull=False),
                name="delivery_notice_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery {self.pk} ({self.state})"


class CrisisPause(PracticeOwned):
    """While a pause is open (ended_at null) nothing of the practice is sent.

    Deliveries that fell due during the pause become `expired` on resume: a person
    reschedules or drops each; nothing goes out late by surprise.
    """

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_pause_per_practice",
            )
        ]
