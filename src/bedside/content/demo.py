"""Demo content for Maple Family Clinic: pillars, a campaign, a template, a demo webhook
channel and three posts (draft, in review, scheduled). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.channels import crypto
from bedside.channels.models import ChannelAccount
from bedside.content import services
from bedside.content.models import Campaign, Post, PostTemplate
from bedside.core.timeutil import local_to_utc

POSTS = [
    ("draft", "Back-to-school check-ups are open. Book early to get the time you want!"),
    ("in_review", "Flu shots are in! Walk in any weekday from 9 to 5. Learn more: cdc.gov/flu"),
    ("scheduled", "Wash your hands for 20 seconds, especially before meals. cdc.gov/handwashing"),
]


def _next_weekday_at(zone: str, weekday: int, hour: int, weeks: int) -> dt.datetime:
    today = timezone.localdate()
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)
    return local_to_utc(dt.datetime.combine(day, dt.time(hour)), zone)


def seed() -> None:
    owner = (
        Membership.objects.filter(practice__slug="maple-family-clinic", role="owner")
        .select_related("practice", "user")
        .first()
    )
    editor = (
        Membership.objects.filter(practice__slug="maple-family-clinic", role="editor")
        .select_related("practice", "user")
        .first()
    )
    if owner is None or editor is None:
        return
    practice = owner.practice
    services.pillars_ensure_defaults(practice=practice)
    Campaign.objects.get_or_create(practice=practice, name="Flu season 2026")
    PostTemplate.objects.get_or_create(
        practice=practice,
        name="Flu shot reminder",
        defaults={"text": "Flu shots are in! Walk in any weekday from 9 to 5. cdc.gov/flu"},
    )
    channel, created = ChannelAccount.objects.get_or_create(
        practice=practice,
        name="Practice website (demo webhook)",
        defaults={
            "type": "webhook",
            "settings": {
                "url": "https://hooks.maple.example/bedside",
                "slots": ["tue 09:00", "thu 09:00"],
            },
        },
    )
    if created:
        channel.credentials_encrypted = crypto.encrypt({"extra": {"secret": "demo-secret"}})
        channel.save(update_fields=["credentials_encrypted"])
    if Post.objects.filter(practice=practice).exists():
        return
    for weeks, (state, text) in enumerate(POSTS, start=2):
        when = _next_weekday_at(practice.time_zone, 1, 9, weeks)
        post = services.post_create(
            actor=editor, text=text, channel_ids=[channel.pk], scheduled_at=when
        )
        if state in ("in_review", "scheduled"):
            services.post_submit(actor=editor, post=post)
        if state == "scheduled":
            services.post_approve(actor=owner, post=post)
