"""Tenant-scoped reads of posts and their surroundings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from bedside.accounts.models import Membership
from bedside.content.models import (
    DEFAULT_CREDIBLE_DOMAINS,
    Campaign,
    CredibleDomain,
    MediaAsset,
    Pillar,
    Post,
    PostEdit,
    PostEditState,
    PostState,
    PostTemplate,
    PostVariant,
)


def _posts(actor: Membership) -> QuerySet[Post]:
    from bedside.publishing.models import Delivery

    return (
        Post.objects.filter(practice=actor.practice)
        .select_related("author", "pillar", "campaign", "approved_by")
        .prefetch_related(
            "channels",
            Prefetch("variants", queryset=PostVariant.objects.select_related("channel")),
            Prefetch("deliveries", queryset=Delivery.objects.select_related("channel")),
            "media",
        )
    )


def post_list(
    *,
    actor: Membership,
    state: str | None = None,
    channel_id: int | None = None,
    pillar_id: int | None = None,
    campaign_id: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[Post]:
    qs = _posts(actor)
    if state:
        qs = qs.filter(state=state)
    if channel_id:
        qs = qs.filter(channels__pk=channel_id)
    if pillar_id:
        qs = qs.filter(pillar_id=pillar_id)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if start:
        qs = qs.filter(scheduled_at__gte=start)
    if end:
        qs = qs.filter(scheduled_at__lt=end)
    return qs.order_by("-scheduled_at", "-pk").distinct()


def post_get_for_actor(*, actor: Membership, id: int) -> Post:
    return get_object_or_404(_posts(actor), pk=id)


def post_edit_get_for_actor(*, actor: Membership, post: Post, id: int) -> PostEdit:
    """An edit of `post` (already scoped to the actor's practice), or 404."""
    return get_object_or_404(
        PostEdit.objects.select_related("revision", "author"),
        practice=actor.practice, post=post, pk=id,
    )  # fmt: skip


def post_edit_open(*, post: Post) -> PostEdit | None:
    """The edit of a published post waiting for approval, if any."""
    return (
        PostEdit.objects.select_related("revision", "author")
        .filter(post=post, state=PostEditState.IN_REVIEW)
        .first()
    )


def approval_queue(*, actor: Membership) -> QuerySet[Post]:
    return _posts(actor).filter(state=PostState.IN_REVIEW).order_by("scheduled_at", "pk")


def pillar_list(*, actor: Membership) -> QuerySet[Pillar]:
    return Pillar.objects.filter(practice=actor.practice)


def campaign_list(*, actor: Membership) -> QuerySet[Campaign]:
    return Campaign.objects.filter(practice=actor.practice)


def template_list(*, actor: Membership) -> QuerySet[PostTemplate]:
    return PostTemplate.objects.filter(practice=actor.practice)


def media_get_for_actor(*, actor: Membership, id: int) -> MediaAsset:
    return get_object_or_404(MediaAsset, practice=actor.practice, pk=id)


def credible_domains(*, practice: Any) -> list[str]:
    """The practice's list, or the defaults while it has none."""
    own = list(CredibleDomain.objects.filter(practice=practice).values_list("domain", flat=True))
    return own or list(DEFAULT_CREDIBLE_DOMAINS)


def next_free_slot(*, actor: Membership, channels: list, after: dt.datetime) -> dt.datetime | None:
    """The earliest queue slot of these channels with no post of that channel at that time."""
    from bedside.channels.slots import upcoming

    zone = actor.practice.time_zone
    candidates = sorted(
        {
            (when, channel.pk)
            for channel in channels
            for when in upcoming(channel.settings.get("slots") or [], zone=zone, after=after)
        }
    )
    if not candidates:
        return None
    taken = set(
        Post.objects.filter(
            practice=actor.practice,
            scheduled_at__in=[w for w, _ in candidates],
        )
        .exclude(state=PostState.CANCELLED)
        .values_list("scheduled_at", "channels__pk")
    )
    for when, channel_id in candidates:
        if (when, channel_id) not in taken:
            return when
    return None


@dataclass(frozen=True)
class FreeSlot:
    """One channel's queue slot with no post of that channel at that time."""

    when: dt.datetime  # UTC
    channel_id: int
    channel_name: str


def free_slot_list(
    *,
    actor: Membership,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    posts: Iterable[Post] | None = None,
) -> list[FreeSlot]:
    """Upcoming free queue slots of the practice's usable channels in [start, end).

    Slots are computed in Python for this range only. `posts` are the range's
    non-cancelled posts with `channels` prefetched (the calendar has them already);
    without them one query reads the (time, channel) pairs taken.
    """
    from bedside.channels.selectors import channel_list
    from bedside.channels.slots import between

    start = max(start, now)
    zone = actor.practice.time_zone
    candidates = [
        FreeSlot(when=when, channel_id=channel.pk, channel_name=channel.name)
        for channel in channel_list(actor=actor, usable_only=True)
        if channel.settings.get("slots")
        for when in between(channel.settings["slots"], zone=zone, start=start, end=end)
    ]
    if not candidates:
        return []
    if posts is None:
        taken = set(
            Post.objects.filter(practice=actor.practice, scheduled_at__gte=start,
                                scheduled_at__lt=end)
            .exclude(state=PostState.CANCELLED)
            .values_list("scheduled_at", "channels__pk")
        )  # fmt: skip
    else:
        taken = {
            (p.scheduled_at, c.pk)
            for p in posts
            if p.state != PostState.CANCELLED
            for c in p.channels.all()
        }
    free = [s for s in candidates if (s.when, s.channel_id) not in taken]
    return sorted(free, key=lambda s: (s.when, s.channel_name, s.channel_id))
