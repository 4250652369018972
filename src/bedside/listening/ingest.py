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

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from bedside.listening.analysis import has_myth, sentiment
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


def safe_url(url: Any) -> str:
    """Only http(s) links are kept: a `javascript:` URL from a feed must never become a link."""
    if isinstance(url, str) and url[:8].lower().startswith(("http://", "https://")):
        return url[:1000]
    return ""


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
    rows: int = 0  # mention rows offered to the database
    stored: int = 0  # rows it added (duplicates skipped); 0 until flushed
    alerts: bool = False


class MentionBuffer:
    """Collects mention rows and flushes them in large batches."""

    def __init__(self, source: Source, on_flush: Callable[[int, bool], None] | None = None):
        self.source = source
        self.rows: list[tuple] = []  # in COLUMNS order
        self.alerts = False
        self.stored = 0  # rows the database actually added (duplicates excluded)
        self.on_flush = on_flush

    def add_hits(
        self, rt: ListeningRuntime, hits: dict[int, list], item_at: Callable[[int], Any]
    ) -> int:
        monitors = rt.monitors
        only = self.source.practice_id
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        stamp = adapt(now)
        source_id = self.source.pk
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
                    myth = has_myth(matches)
                alert = mood == "negative" and info.kind in ALERTING_KINDS
                self.alerts |= alert or bool(myth) or info.kind == Monitor.Kind.MYTH
                self.rows.append(
                    (
                        info.practice_id,
                        m.monitor_id,
                        source_id,
                        m.phrase[:300],
                        str(item.id)[:300],
                        safe_url(item.url),
                        (item.author or "")[:300],
                        item.text[:MAX_TEXT],
                        m.start,
                        m.end,
                        adapt(parse_time(item.created_at, now)),
                        mood,
                        bool(myth) or info.kind == Monitor.Kind.MYTH,
                        Mention.State.NEW.value,
                        alert,
                        stamp,
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
        self.stored += mentions_store(rows=rows)
        if self.on_flush:
            self.on_flush(len(rows), alerts)


COLUMNS = (
    "practice_id", "monitor_id", "source_id", "phrase", "external_id", "url", "author", "text",
    "match_start", "match_end", "published_at", "sentiment", "misinformation", "state",
    "alert_pending", "created_at",
)  # fmt: skip


def _insert_sql() -> str:
    table = connection.ops.quote_name(Mention._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    # Both SQLite (>= 3.24) and PostgreSQL: a row that breaks the UNIQUE
    # (monitor, source, external_id) key is skipped, so re-ingesting adds nothing.
    return f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608 (names only)


def mentions_store(*, rows: Sequence[tuple]) -> int:
    """Insert mention rows (tuples in COLUMNS order) once, in one transaction; returns
    how many were new. Plain `executemany`, not model instances: this runs for every
    hit of a million-item import.

    A monitor deleted between matching and storing fails the batch's foreign
    key; the batch is then stored again without that monitor's rows.
    """
    if not rows:
        return 0
    sql = _insert_sql()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            return max(cursor.rowcount, 0)
    except IntegrityError:
        alive = set(
            Monitor.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", flat=True)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, [r for r in rows if r[1] in alive])
            return max(cursor.rowcount, 0)


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
    return IngestResult(
        items=len(items), hits=len(hits), rows=rows, stored=buf.stored if own else 0, alerts=alerts
    )


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
