"""Times are stored in UTC and shown in the practice's zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def to_practice_time(value: dt.datetime, time_zone: str) -> dt.datetime:
    return value.astimezone(zoneinfo.ZoneInfo(time_zone))


def local_to_utc(naive_local: dt.datetime, time_zone: str) -> dt.datetime:
    """Interpret a wall-clock time in the practice's zone.

    Ambiguous times (the repeated hour in autumn) take the first occurrence;
    non-existent times (the skipped hour in spring) move forward by the gap,
    as a person setting a clock would expect.
    """
    # PEP 495: fold=0 takes the offset in force before a transition, which is
    # the first of two repeated times and, for a skipped time, lands after the gap.
    return naive_local.replace(tzinfo=zoneinfo.ZoneInfo(time_zone), fold=0).astimezone(dt.UTC)
