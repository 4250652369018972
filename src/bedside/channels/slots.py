"""Queue slots: a channel's regular posting times (e.g. "Tue 09:00", "Thu 09:00").

Stored in the channel's settings as "slots": ["tue 09:00", ...], read in the
practice's time zone; the composer offers the next free one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from bedside.core.timeutil import local_to_utc

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_SLOT = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+(\d{1,2}):(\d{2})\s*$", re.I)


def parse_slot(text: str) -> tuple[int, dt.time]:
    """("Tue 09:00") -> (1, 09:00); ValueError with a plain message otherwise."""
    m = _SLOT.match(text)
    if not m or int(m.group(2)) > 23 or int(m.group(3)) > 59:
        raise ValueError(f"{text.strip()!r}: write a day and a time, e.g. Tue 09:00.")
    return DAYS.index(m.group(1).lower()[:3]), dt.time(int(m.group(2)), int(m.group(3)))


def normalize(slots: Iterable[str]) -> list[str]:
    parsed = sorted({parse_slot(s) for s in slots if s.strip()})
    return [f"{DAYS[d]} {t:%H:%M}" for d, t in parsed]


def upcoming(
    slots: Iterable[str], *, zone: str, after: dt.datetime, weeks: int = 8
) -> list[dt.datetime]:
    """Slot times (UTC) after `after`, in order, for the next `weeks` weeks."""
    parsed = [parse_slot(s) for s in slots]
    if not parsed:
        return []
    local_day = after.astimezone(dt.UTC).astimezone(_zone(zone)).date()
    out = []
    for offset in range(weeks * 7 + 1):
        day = local_day + dt.timedelta(days=offset)
        for weekday, clock in parsed:
            if day.weekday() == weekday:
                when = local_to_utc(dt.datetime.combine(day, clock), zone)
                if when > after:
                    out.append(when)
    return sorted(out)


def between(
    slots: Iterable[str], *, zone: str, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """Slot times (UTC) in [start, end), in order: each local day's wall-clock slot
    converted on its own date, so a 09:00 slot stays 09:00 across a DST change."""
    parsed = [parse_slot(s) for s in slots]
    if not parsed or end <= start:
        return []
    tz = _zone(zone)
    day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    out = []
    while day <= last:
        for weekday, clock in parsed:
            if day.weekday() == weekday:
                when = local_to_utc(dt.datetime.combine(day, clock), zone)
                if start <= when < end:
                    out.append(when)
        day += dt.timedelta(days=1)
    return sorted(out)


def _zone(name: str):  # type: ignore[no-untyped-def]
    import zoneinfo

    return zoneinfo.ZoneInfo(name)
