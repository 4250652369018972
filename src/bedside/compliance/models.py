"""The guard's data: the practice's roster and policy, checked texts, overrides and consents.

Texts themselves are never stored here: a TextCheck holds the SHA-256 of what was
checked and the findings as offsets into it, so the row says what was found without
keeping a second copy of a patient's name.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from bedside.core.models import Practice, PracticeOwned

KINDS = ("post", "review_reply", "comment_reply", "community_post", "message")
KIND_CHOICES = [
    ("post", "Post"),
    ("review_reply", "Reply to a review"),
    ("comment_reply", "Reply to a comment"),
    ("community_post", "Community post"),
    ("message", "Private message"),
]
REPLY_KINDS = frozenset({"review_reply", "comment_reply", "message"})
VERDICTS = [("pass", "Pass"), ("warn", "Warn"), ("block", "Block")]
COVERS = [("name", "Name"), ("story", "Story"), ("photo", "Photo")]
CONSENT_RETENTION_YEARS = 6


class StaffMember(PracticeOwned):
    """A person on the practice's roster whose name may appear in outgoing texts.

    `name` is written as the public sees it, title included ("Dr. Priya Raman").
    """

    name = models.CharField(max_length=120)
    role_title = models.CharField(max_length=80, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="one_staff_name_per_practice")
        ]

    def __str__(self) -> str:
        return self.name


class CompliancePolicy(models.Model):
    """How strict the practice is: which categories always need a second person, and more."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="compliance_policy"
    )
    sensitive_categories = models.JSONField(default=list, blank=True)
    require_approval_for_all = models.BooleanField(
        default=False, help_text="Every text needs approval by a second person."
    )
    block_on_warn_in_replies = models.BooleanField(
        default=False,
        help_text="In replies and messages, warnings block like blocking findings do.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Compliance policy of {self.practice}"


class TextCheck(PracticeOwned):
    """The engine's findings for one text, keyed by its content hash and the context used.

    `findings` hold offsets, category, severity, explanation and suggestion; never the
    text or a piece of it. The same text checked again under the same context reuses
    this row; a roster or consent change gives a new context fingerprint and a new row.
    """

    content_hash = models.CharField(max_length=64)
    context_fingerprint = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    channel_type = models.CharField(max_length=40, blank=True, default="")
    verdict = models.CharField(max_length=8, choices=VERDICTS)
    findings = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "content_hash", "context_fingerprint"],
                name="one_check_per_text_and_context",
            )
        ]
        indexes = [models.Index(fields=["practice", "content_hash"])]

    def __str__(self) -> str:
        return f"{self.kind} check {self.content_hash[:10]} ({self.verdict})"


class Override(PracticeOwned):
    """A compliance officer's written decision to let blocking findings through.

    It names the exact content hash and the findings (offsets and category) it covers:
    any edit to the text gives a new hash, so the override no longer applies.
    """

    text_check = models.ForeignKey(TextCheck, on_delete=models.PROTECT, related_name="overrides")
    content_hash = models.CharField(max_length=64, db_index=True)
    findings = models.JSONField(default=list)  # [[start, end, category], ...]
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Override of check {self.text_check_id}"


def consent_upload_to(instance: Consent, filename: str) -> str:
    """consents/<practice id>/<random>.<ext>: the patient's file name is not kept."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consents/{instance.practice_id}/{secrets.token_hex(16)}.{ext}"


class ConsentQuerySet(models.QuerySet):
    def active(self, *, today: dt.date | None = None) -> ConsentQuerySet:
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )

    def delete(self):  # type: ignore[override]
        raise ConsentDeletionRefused


class ConsentDeletionRefused(Exception):
    """Signed authorizations are kept six years (45 CFR 164.508, 164.530(j)): revoke instead."""

    def __init__(self) -> None:
        super().__init__(
            "A consent is kept for six years and cannot be deleted; revoke it instead."
        )


class Consent(PracticeOwned):
    """A patient's written HIPAA authorization to publish their name, story or photo.

    Kept six years: deleting is refused; revoking is the only way out. The signed
    document lives under MEDIA_ROOT/consents/<practice>/ with a random name and is
    served only through a permission-checked view.
    """

    patient_name = models.CharField(max_length=200)
    covers = models.JSONField(default=list)  # subset of name, story, photo
    channels = models.JSONField(default=list)  # channel types, or ["all"]
    expires_on = models.DateField(null=True, blank=True)
    authorization_text = models.TextField(blank=True)
    document = models.FileField(upload_to=consent_upload_to, blank=True, max_length=200)
    document_type = models.CharField(max_length=40, blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["patient_name", "-created_at"]

    def __str__(self) -> str:
        return f"Consent #{self.pk}"

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise ConsentDeletionRefused

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and self.expires_on < timezone.localdate():
            return "expired"
        return "active"

    @property
    def all_channels(self) -> bool:
        return "all" in self.channels or not self.channels
