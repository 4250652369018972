"""Channel accounts: where a practice publishes, with its credentials encrypted."""

from __future__ import annotations

from typing import Any

from django.db import models

from bedside.channels import crypto
from bedside.channels.connectors.base import Credentials
from bedside.core.models import PracticeOwned


class ChannelType(models.TextChoices):
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook Page"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    GBP = "gbp", "Google Business Profile"
    WEBHOOK = "webhook", "Signed webhook"
    EMAIL = "email", "E-mail newsletter"
    SITE = "site", "Practice site"


class ChannelStatus(models.TextChoices):
    CONNECTED = "connected", "Connected"
    NEEDS_RECONNECT = "needs_reconnect", "Needs reconnecting"
    DISABLED = "disabled", "Disabled"


class ChannelAccount(PracticeOwned):
    """One account on one network (or a webhook, newsletter, the practice site).

    `settings` holds only non-secret configuration (URLs, page ids). Secrets live
    in `credentials_encrypted` (MultiFernet, see channels.crypto): written by
    services, never shown again, never logged.
    """

    type = models.CharField(max_length=20, choices=ChannelType.choices)
    name = models.CharField(max_length=120)
    settings = models.JSONField(default=dict, blank=True)
    credentials_encrypted = models.TextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.CONNECTED
    )
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    account_label = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["practice", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"

    def __repr__(self) -> str:
        return f"<ChannelAccount {self.pk} {self.type}>"

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)

    def credentials(self) -> Credentials:
        """Decrypted credentials; for connectors only."""
        data: dict[str, Any] = crypto.decrypt(self.credentials_encrypted)
        from bedside.channels.connectors._common import parse_datetime

        return Credentials(
            access_token=data.get("access_token", ""),
            refresh_token=data.get("refresh_token", ""),
            expires_at=parse_datetime(data.get("expires_at")),
            extra=data.get("extra", {}),
        )
