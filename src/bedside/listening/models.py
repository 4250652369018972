"""Listening: monitors (what a practice listens for), sources (where from),
mentions (what was found), alert settings and the log of alerts sent."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from bedside.core.models import Practice, PracticeOwned


class Monitor(PracticeOwned):
    """Phrases and hashtags one practice listens for, minus exclusions.

    All active monitors of all practices compile into one matcher
    (`bedside.listening.matcher`); `updated_at` tells running ingestors to rebuild.
    """

    class Kind(models.TextChoices):
        PRACTICE_NAME = "practice_name", "Practice name"
        CLINICIAN = "clinician", "Clinician"
        SERVICE = "service", "Service"
        TOPIC = "topic", "Health topic"
        MYTH = "myth", "Health myth"
        CUSTOM = "custom", "Custom"

    name = models.CharField(max_length=200)
    phrases = models.JSONField(default=list)
    exclude = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)  # ISO 639-1 codes; [] = any
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="listening_monitor_name")
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """Where items come from: a feed, a network timeline or stream, or a JSONL file.

    `practice` is empty for a global source (its items are matched against every
    practice's monitors). `etag`, `last_modified` and `cursor` are the resume
    position; `backoff_until` and `error_count` the error back-off; `last_error`
    is written for a practice manager to read.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Not fetched yet"
        OK = "ok", "Working"
        ERROR = "error", "Failing, retrying"
        DISABLED = "disabled", "Stopped: needs attention"

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    uri = models.CharField(max_length=1000)
    name = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    backoff_until = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    cursor = models.CharField(max_length=500, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(default=300)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    items_seen = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uri"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "uri"], name="listening_source_uri_practice"
            ),
            models.UniqueConstraint(
                fields=["uri"],
                condition=Q(practice__isnull=True),
                name="listening_source_uri_global",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.public_uri

    @property
    def kind(self) -> str:
        return self.uri.split(":", 1)[0]

    @property
    def public_uri(self) -> str:
        """The URI as practices may see it: a shared import's file path stays on the server."""
        if self.practice_id is None and self.kind == "jsonl":
            return "jsonl: (an import)"
        return self.uri


class Mention(models.Model):
    """One item that matched one monitor. Stored once per (monitor, source, external_id)."""

    class Sentiment(models.TextChoices):
        NEGATIVE = "negative", "Negative"
        NEUTRAL = "neutral", "Neutral"
        POSITIVE = "positive", "Positive"

    class State(models.TextChoices):
        NEW = "new", "New"
        SEEN = "seen", "Seen"
        ANSWERED = "answered", "Answered"
        IGNORED = "ignored", "Ignored"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    monitor = models.ForeignKey(Monitor, on_delete=models.CASCADE, related_name="mentions")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="mentions")
    phrase = models.CharField(max_length=300)
    external_id = models.CharField(max_length=300)
    url = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    match_start = models.PositiveIntegerField(default=0)
    match_end = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField()
    sentiment = models.CharField(
        max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    misinformation = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    # set at insert for negative mentions of the practice or its clinicians; cleared
    # by the alert sweeper when it claims them (the row is the truth, not the queue)
    alert_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitor", "source", "external_id"], name="listening_mention_once"
            )
        ]
        indexes = [
            models.Index(fields=["practice", "-published_at"], name="listening_mention_recent"),
            models.Index(
                fields=["alert_pending"],
                condition=Q(alert_pending=True),
                name="listening_mention_alert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monitor_id}:{self.external_id}"

    @property
    def highlighted(self) -> tuple[str, str, str]:
        """(before, matched, after) for the page to highlight the phrase."""
        s, e = self.match_start, self.match_end
        if not (0 <= s < e <= len(self.text)):
            return self.text, "", ""
        return self.text[:s], self.text[s:e], self.text[e:]


class AlertSettings(PracticeOwned):
    """How a practice is alerted. Alerts go to members who may manage listening."""

    instant_negative = models.BooleanField(
        default=True, help_text="E-mail at once when the practice or a clinician is criticised."
    )
    misinformation_spike = models.BooleanField(
        default=True, help_text="E-mail when health myths spike."
    )
    spike_threshold = models.PositiveIntegerField(
        default=5, help_text="Misinformation mentions within the window that make a spike."
    )
    spike_window_minutes = models.PositiveIntegerField(default=60)
    daily_digest = models.BooleanField(default=True)
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text="Hour of the day (practice time) the digest is sent."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice"], name="listening_alert_settings_one")
        ]


class AlertLog(PracticeOwned):
    """One alert e-mail: what kind, to how many, whether it was redacted. No PHI here.

    `key` makes sending safe to run twice: negative:<first mention id>,
    spike:<window start>, digest:<local date>.
    """

    class Kind(models.TextChoices):
        NEGATIVE = "negative", "Negative mention"
        SPIKE = "spike", "Misinformation spike"
        DIGEST = "digest", "Daily digest"

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "No recipients"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=100)
    mention_ids = models.JSONField(default=list, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    verdict = models.CharField(max_length=10, blank=True)  # pass | warn | block
    redacted = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "key"], name="listening_alert_once")
        ]
