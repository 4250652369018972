"""Ingestion services: matched items become mentions; sources record their state.

The hot path (`mentions_ingest`) is built for a million items in seconds:
matching runs over a whole batch at once (`Matcher.match_sparse`), only the ~1%
of items that hit become Python objects and rows, sentiment and the myth list run
only for hits, and rows go in with one `bulk_create(ignore_conflicts=True)` per
batch inside one transaction, so re-ingesting the same item stores nothing new
(UNIQUE monitor, source, external_id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bedside.listening.analysis import is_bedside_myth, sentiment
from bedside.listening.models import Mention, Monitor, Source
from bedside.listening.runtime import ListeningRuntime

log = logging.getLogger(__name__)

ALERTING_KINDS = frozenset({Monitor.Kind.PRACTICE_NAME, Monitor.Kind.CLINICIAN})
FLUSH_ROWS = 5000
MAX_TEXT = 20_000
BACKOFF_BASE = 30  # seconds; doubles per consecutive error
BACKOFF_MAX = 6 * 3600


class Item(NamedTuple):
    """One post from any source. `created_at`: aware datetime, ISO string or None."""

    id: str
    text: str
    author: str = ""
    url: str = ""
    created_at: Any = None
    langs: tuple[str, ...] = ()


def parse_time(value: Any, default: datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return default
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return default


def best_per_monitor(matches: Sequence[Any]) -> list[Any]:
    """One match per monitor: the earliest, and the longest of those (what is highlighted)."""
    best: dict[int, Any] = {}
    for m in matches:
        held = best.get(m.monitor_id)
        if held is None or m.start < held.start or (m.start == held.start and m.end > held.end):
            best[m.monitor_id] = m
    return list(best.values())


@dataclass
class IngestResult:
    items: int = 0
    hits: int = 0
    rows: int = 0  # mention rows offered to the database (duplicates ignored there)
    alerts: bool = False


class MentionBuffer:
    """Collects mention rows and flushes them in large batches."""

    def __init__(self, source: Source, on_flush: Callable[[int, bool], None] | None = None):
        self.source = source
        self.rows: list[Mention] = []
        self.alerts = False
        self.on_flush = on_flush

    def add_hits(
        self, rt: ListeningRuntime, hits: dict[int, list], item_at: Callable[[int], Any]
    ) -> int:
        monitors = rt.monitors
        only = self.source.practice_id
        now = timezone.now()
        added = 0
        for idx, matches in hits.items():
            item = item_at(idx)
            mood: str | None = None
            myth: bool | None = None
            langs = getattr(item, "langs", ()) or ()
            for m in best_per_monitor(matches) if len(matches) > 1 else matches:
                info = monitors.get(m.monitor_id)
                if info is None:
                    continue
                if only and info.practice_id != only:
                    continue
                if info.languages and langs and not info.languages.intersection(langs):
                    continue
                if mood is None:
                    mood = sentiment(item.text)
                    myth = is_bedside_myth(item.text)
                alert = mood == "negative" and info.kind in ALERTING_KINDS
                self.alerts |= alert or bool(myth) or info.kind == Monitor.Kind.MYTH
                self.rows.append(
                    Mention(
                        practice_id=info.practice_id,
                        monitor_id=m.monitor_id,
                        source_id=self.source.pk,
                        phrase=m.phrase[:300],
                        external_id=str(item.id)[:300],
                        url=(item.url or "")[:1000],
                        author=(item.author or "")[:300],
                        text=item.text[:MAX_TEXT],
                        match_start=m.start,
                        match_end=m.end,
                        published_at=parse_time(item.created_at, now),
                        sentiment=mood,
                        misinformation=bool(myth) or info.kind == Monitor.Kind.MYTH,
                        alert_pending=alert,
                    )
                )
                added += 1
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()
        return added

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        alerts, self.alerts = self.alerts, False
        mentions_store(rows=rows)
        if self.on_flush:
            self.on_flush(len(rows), alerts)


def mentions_store(*, rows: Sequence[Mention]) -> None:
    """Insert mention rows once: one transaction, duplicates ignored by the database.

    A monitor deleted between matching and storing fails the batch's foreign
    key; the batch is then stored again without that monitor's rows.
    """
    try:
        with transaction.atomic():
            Mention.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    except IntegrityError:
        alive = set(
            Monitor.objects.filter(pk__in={r.monitor_id for r in rows}).values_list("pk", flat=True)
        )
        with transaction.atomic():
            Mention.objects.bulk_create(
                [r for r in rows if r.monitor_id in alive], ignore_conflicts=True, batch_size=2000
            )


def mentions_ingest(
    *,
    source: Source,
    items: Sequence[Any],
    rt: ListeningRuntime,
    buffer: MentionBuffer | None = None,
) -> IngestResult:
    """Match `items` (objects with id, text, author, url, created_at) and store mentions."""
    own = buffer is None
    buf = buffer or MentionBuffer(source)
    hits = rt.holder.matcher.match_sparse([it.text for it in items])
    rows = buf.add_hits(rt, hits, items.__getitem__) if hits else 0
    alerts = buf.alerts
    if own:
        buf.flush()
    return IngestResult(items=len(items), hits=len(hits), rows=rows, alerts=alerts)


# ---------------------------------------------------------------- source state


def source_for_uri(*, uri: str, practice=None) -> Source:  # type: ignore[no-untyped-def]
    """The source row for `uri` (created on first use); the command's --source."""
    source = Source.objects.filter(uri=uri, practice=practice).first()
    if source is None:
        try:
            with transaction.atomic():
                source = Source.objects.create(uri=uri, practice=practice)
        except IntegrityError:
            source = Source.objects.get(uri=uri, practice=practice)
    return source


def source_record_progress(
    *,
    source: Source,
    items: int,
    etag: str | None = None,
    last_modified: str | None = None,
    cursor: str | None = None,
    note: str = "",
) -> None:
    """A fetch or stream batch went well: counters, resume position, status OK."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "items_seen": F("items_seen") + items,
        "status": Source.Status.OK,
        "error_count": 0,
        "backoff_until": None,
        "last_ok_at": now,
        "last_polled_at": now,
    }
    if note:
        fields.update(last_error=note[:2000], last_error_at=now)
    for name, value in (("etag", etag), ("last_modified", last_modified), ("cursor", cursor)):
        if value is not None:
            fields[name] = value[:500]
            setattr(source, name, value[:500])
    Source.objects.filter(pk=source.pk).update(**fields)


def source_record_error(*, source: Source, message: str, terminal: bool = False) -> datetime:
    """A fetch failed: a clear message on the source, and exponential back-off.

    Terminal errors (refused address, not found, bad credentials) stop the source
    until someone edits it; nothing stored earlier is touched.
    """
    source.refresh_from_db(fields=["error_count"])
    count = source.error_count + 1
    delay = min(BACKOFF_BASE * 2 ** min(count - 1, 20), BACKOFF_MAX)
    now = timezone.now()
    until = now + timedelta(seconds=delay)
    status = Source.Status.DISABLED if terminal else Source.Status.ERROR
    Source.objects.filter(pk=source.pk).update(
        status=status,
        last_error=message[:2000],
        last_error_at=now,
        error_count=count,
        backoff_until=until,
        next_poll_at=until,
        last_polled_at=now,
    )
    source.status, source.error_count, source.backoff_until = status, count, until
    source.last_error = message[:2000]
    log.warning("listening source %s failed (%s): %s", source.pk, count, message[:300])
    return until
