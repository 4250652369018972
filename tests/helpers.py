"""Builders shared by the channels, content and publishing tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bedside.channels.models import ChannelAccount
from bedside.channels.services import channel_create

WEBHOOK_SECRET = "whsec_test_0123456789abcdef"


def webhook_channel(membership, url: str = "http://127.0.0.1:9/hook", name: str = "Site hook"):
    """A webhook channel (settings must allow 127.0.0.1: see allow_loopback)."""
    return channel_create(
        actor=membership,
        type="webhook",
        name=name,
        settings={"url": url, "secret": WEBHOOK_SECRET},
    )


def plain_channel(membership, type: str = "mastodon", name: str = "Mastodon", **settings):
    """A channel row without URL checks (for limit and isolation tests)."""
    return ChannelAccount.objects.create(
        practice=membership.practice, type=type, name=name, settings=settings
    )


def in_hours(hours: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


CLEAN_TEXT = "Flu shots are here. Walk in any weekday from 9 to 5. Learn more at cdc.gov/flu"
