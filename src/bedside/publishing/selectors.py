"""Tenant-scoped reads for the dashboard: what is coming up, what needs a person."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bedside.publishing.models import Delivery, DeliveryState

TOKEN_WARNING_DAYS = 7


def tile_upcoming(membership) -> dict:  # type: ignore[no-untyped-def]
    week = timezone.now() + dt.timedelta(days=7)
    count = Delivery.objects.filter(
        practice=membership.practice, state=DeliveryState.SCHEDULED, next_attempt_at__lte=week
    ).count()
    return {
        "label": "Deliveries in the next 7 days",
        "value": count,
        "url": reverse("content:calendar"),
    }


def tile_attention(membership) -> dict | None:  # type: ignore[no-untyped-def]
    """Failures, unknown outcomes, missed times and channels whose token lapses soon."""
    from bedside.channels.models import ChannelAccount, ChannelStatus

    practice = membership.practice
    problems = Delivery.objects.filter(
        practice=practice,
        state__in=[DeliveryState.FAILED, DeliveryState.NEEDS_REVIEW, DeliveryState.EXPIRED],
    ).count()
    soon = timezone.now() + dt.timedelta(days=TOKEN_WARNING_DAYS)
    channels = (
        ChannelAccount.objects.filter(practice=practice)
        .filter(Q(status=ChannelStatus.NEEDS_RECONNECT) | Q(token_expires_at__lte=soon))
        .exclude(status=ChannelStatus.DISABLED)
        .count()
    )
    if not problems and not channels:
        return None
    parts = []
    if problems:
        parts.append(f"{problems} post(s) need a person")
    if channels:
        parts.append(f"{channels} channel(s) to reconnect soon")
    url = reverse("content:list") + "?state=failed" if problems else reverse("channels:list")
    return {"label": "; ".join(parts), "value": problems + channels, "url": url}
