"""Tenant-scoped reads of channel accounts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bedside.accounts.models import Membership
from bedside.channels.models import ChannelAccount, ChannelStatus


def channel_list(*, actor: Membership, usable_only: bool = False) -> QuerySet[ChannelAccount]:
    qs = ChannelAccount.objects.filter(practice=actor.practice)
    if usable_only:
        qs = qs.exclude(status=ChannelStatus.DISABLED)
    return qs.order_by("name", "pk")


def channel_get_for_actor(*, actor: Membership, id: int) -> ChannelAccount:
    return get_object_or_404(ChannelAccount, practice=actor.practice, pk=id)
