"""Tenant-scoped reads for listening: a practice only ever sees its own rows
(global sources, which hold no practice data, are visible to every practice)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.core.models import Practice
from bedside.listening.models import AlertLog, AlertSettings, Mention, Monitor, Source


def monitor_list(*, practice: Practice) -> QuerySet[Monitor]:
    return Monitor.objects.filter(practice=practice).annotate(mention_count=Count("mentions"))


def monitor_get_for_actor(*, actor: Membership, id: int) -> Monitor:
    monitor = Monitor.objects.filter(practice_id=actor.practice_id, pk=id).first()
    if monitor is None:
        raise Http404("No such monitor.")
    return monitor


def mention_list(
    *,
    practice: Practice,
    monitor: int | None = None,
    sentiment: str | None = None,
    state: str | None = None,
    source: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Mention]:
    qs = Mention.objects.filter(practice=practice)
    if monitor:
        qs = qs.filter(monitor_id=monitor)
    if sentiment:
        qs = qs.filter(sentiment=sentiment)
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source_id=source)
    if since:
        qs = qs.filter(published_at__gte=since)
    if until:
        qs = qs.filter(published_at__lt=until)
    return qs.select_related("monitor", "source").order_by("-published_at", "-id")


def mention_get_for_actor(*, actor: Membership, id: int) -> Mention:
    mention = (
        Mention.objects.filter(practice_id=actor.practice_id, pk=id)
        .select_related("monitor", "source")
        .first()
    )
    if mention is None:
        raise Http404("No such mention.")
    return mention


def source_list(*, practice: Practice) -> QuerySet[Source]:
    return Source.objects.filter(Q(practice=practice) | Q(practice__isnull=True)).order_by(
        "practice_id", "uri"
    )


def source_get_for_actor(*, actor: Membership, id: int, own: bool = False) -> Source:
    """A source the actor's practice may see (own, or global unless `own`)."""
    scope = (
        Q(practice_id=actor.practice_id)
        if own
        else Q(practice_id=actor.practice_id) | Q(practice__isnull=True)
    )
    source = Source.objects.filter(scope, pk=id).first()
    if source is None:
        raise Http404("No such source.")
    return source


def source_mention_count(*, practice: Practice, source: Source) -> int:
    return Mention.objects.filter(practice=practice, source=source).count()


def alert_settings_get(*, practice: Practice) -> AlertSettings:
    """The practice's settings, or the defaults (unsaved) when never changed."""
    return AlertSettings.objects.filter(practice=practice).first() or AlertSettings(
        practice=practice
    )


def alert_log_list(*, practice: Practice, limit: int = 20) -> QuerySet[AlertLog]:
    return AlertLog.objects.filter(practice=practice)[:limit]


@dataclass
class VolumeDay:
    day: date
    negative: int = 0
    neutral: int = 0
    positive: int = 0

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive


def mention_volume(*, practice: Practice, days: int = 14, **filters: Any) -> list[VolumeDay]:
    """Mentions per day (practice time) and sentiment, oldest first, for the chart."""
    zone = practice.zone
    today = timezone.now().astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    qs = mention_list(practice=practice, **filters).filter(published_at__gte=start)
    rows = (
        qs.order_by()
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values("day", "sentiment")
        .annotate(n=Count("id"))
    )
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["day"]][row["sentiment"]] = row["n"]
    out = []
    for i in range(days):
        d = first + timedelta(days=i)
        c = counts.get(d, {})
        out.append(VolumeDay(d, c.get("negative", 0), c.get("neutral", 0), c.get("positive", 0)))
    return out
