"""Posts, their immutable revisions, per-network variants, media, pillars, campaigns."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bedside.core.models import PracticeOwned

DEFAULT_PILLARS = [
    "Education",
    "Myth-busting",
    "Team",
    "Patient story",
    "Event",
    "Community",
    "Practice news",
    "Promotion",
]
DEFAULT_CREDIBLE_DOMAINS = [
    "cdc.gov",
    "who.int",
    "nih.gov",
    "medlineplus.gov",
    "fda.gov",
    "hhs.gov",
    "cancer.gov",
    "heart.org",
    "mayoclinic.org",
    "clevelandclinic.org",
    "aap.org",
    "aafp.org",
    "ada.org",
    "vaccines.gov",
    "healthychildren.org",
]


class PostState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    NEEDS_REVIEW = "needs_review", "Needs review"
    CANCELLED = "cancelled", "Cancelled"


class Pillar(PracticeOwned):
    """A content pillar (education, myth-busting, ...); editable per practice."""

    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="pillar_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(PracticeOwned):
    """A named group of posts (e.g. "Flu season 2026")."""

    name = models.CharField(max_length=120)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class CredibleDomain(PracticeOwned):
    """A health source the practice trusts for links; unknown domains get a warning."""

    domain = models.CharField(max_length=200)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "domain"], name="credible_domain_unique")
        ]

    def __str__(self) -> str:
        return self.domain


def media_upload_to(instance: MediaAsset, filename: str) -> str:
    ext = "png" if instance.mime == "image/png" else "jpg"
    return f"posts/{instance.practice_id}/{uuid.uuid4().hex}.{ext}"


class MediaAsset(PracticeOwned):
    """An uploaded image, re-encoded without EXIF/GPS; alt text is required."""

    file = models.FileField(upload_to=media_upload_to, max_length=200)
    alt_text = models.CharField(max_length=1000)
    mime = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"image {self.pk} ({self.width}×{self.height})"


class Post(PracticeOwned):
    """A post: base text, per-channel variants, media, targets and a schedule.

    `state` changes only through content.services transitions, which use
    `version` for optimistic locking and write a PostTransition and an audit
    event. Approval binds to `approved_revision`; an edit creates a new
    revision and voids it.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(blank=True)
    pillar = models.ForeignKey(Pillar, on_delete=models.SET_NULL, null=True, blank=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True)
    channels = models.ManyToManyField("channels.ChannelAccount", related_name="posts")
    media = models.ManyToManyField(MediaAsset, blank=True, related_name="posts")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=PostState.choices, default=PostState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    current_revision = models.ForeignKey(
        "PostRevision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "PostRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=8, default="pass")
    findings = models.JSONField(default=list, blank=True)
    override_hash = models.CharField(max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        indexes = [
            models.Index(fields=["practice", "state"]),
            models.Index(fields=["practice", "scheduled_at"]),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} ({self.state})"

    @property
    def title(self) -> str:
        first = (self.text or "").strip().splitlines()[0] if (self.text or "").strip() else ""
        return (first[:60] + "…") if len(first) > 60 else (first or f"Post {self.pk}")


class PostVariant(models.Model):
    """The text for one target channel when it differs from the base text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey("channels.ChannelAccount", on_delete=models.CASCADE)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_variant_per_channel")
        ]


class PostRevision(models.Model):
    """An immutable snapshot of what would be published; created, never changed."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    variants = models.JSONField(default=dict)  # {channel_id (str): text}
    media = models.JSONField(default=list)  # [{"id", "alt_text"}]
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique")
        ]

    def text_for(self, channel_id: int) -> str:
        return self.variants.get(str(channel_id)) or self.text


class PostTransition(models.Model):
    """History: one row per state change, with who, which revision and version."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revision = models.ForeignKey(PostRevision, on_delete=models.SET_NULL, null=True)
    version = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "pk"]


class PostEditState(models.TextChoices):
    IN_REVIEW = "in_review", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Sent back"
    SUPERSEDED = "superseded", "Replaced by a later edit"


class PostEdit(PracticeOwned):
    """A proposed change to the text of a post that is already published.

    The post stays live with its approved revision while the edit waits: the
    edit's own immutable `revision` is checked by the compliance guard like a new
    post and needs approval (by someone other than `author` when the guard says
    so). Approving it makes it the post's approved revision and queues an edit of
    every published copy on a network that allows editing (publishing.services).
    A newer proposal supersedes one still waiting; states change by conditional
    UPDATE on `state`, so two approvers cannot both approve.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    revision = models.ForeignKey(PostRevision, on_delete=models.CASCADE, related_name="+")
    base_revision = models.ForeignKey(
        PostRevision, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        max_length=20, choices=PostEditState.choices, default=PostEditState.IN_REVIEW
    )
    verdict = models.CharField(max_length=8, default="pass")
    findings = models.JSONField(default=list, blank=True)
    needs_second_person = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["post", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(state="in_review"),
                name="one_open_edit_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"Edit {self.pk} of post {self.post_id} ({self.state})"


class PostTemplate(PracticeOwned):
    """A reusable starting text (the practice's own; observances are built in)."""

    name = models.CharField(max_length=120)
    text = models.TextField()
    pillar = models.ForeignKey(Pillar, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
