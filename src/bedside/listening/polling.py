"""Running sources: one poll of a polling source, a stream until it ends, a file.

Every failure ends here as a clear sentence on the source (`last_error`) with
back-off; nothing raises out of these services, so one bad source never stops
an ingestor, and mentions already stored stay stored.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from bedside.core.http import (
    HttpClient,
    ResponseTooLargeError,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
)
from bedside.listening.ingest import (
    MentionBuffer,
    mentions_ingest,
    source_record_error,
    source_record_progress,
)
from bedside.listening.models import Source
from bedside.listening.runtime import ListeningRuntime
from bedside.listening.sources import POLLING, STREAMING, SourceURIError, split_uri
from bedside.listening.sources.base import FeedError

log = logging.getLogger(__name__)


def _pollers() -> dict[str, Callable]:
    from bedside.listening.sources import feeds, mastodon, reddit

    return {"rss": feeds.poll, "atom": feeds.poll, "mastodon": mastodon.poll, "reddit": reddit.poll}


def _streams() -> dict[str, Callable]:
    from bedside.listening.sources import bluesky, mastodon

    return {"mastodon-stream": mastodon.stream, "bluesky": bluesky.stream}


def _kick_alerts() -> None:
    """New mentions may need an alert: wake the sender (the rows say which)."""
    from bedside.listening.tasks import alerts_kick

    try:
        alerts_kick()
    except Exception:  # the queue being down must not stop ingestion; the sweeper catches up
        log.warning("could not enqueue the listening alert sender", exc_info=True)


def describe_error(exc: BaseException) -> tuple[str, bool]:
    """(a sentence for the source page, terminal?) for any failure of a source."""
    if isinstance(exc, ResponseTooLargeError):
        return (
            "The source sent more than Bedside accepts in one answer (size limit); "
            "nothing was read from this answer. Use a smaller feed or fewer items per page.",
            False,
        )
    if isinstance(exc, TerminalError):
        return exc.user_message, True
    if isinstance(exc, RetryableError | UnknownOutcomeError):
        return f"Temporary problem, will retry: {exc.message}", False
    if isinstance(exc, FeedError | SourceURIError):
        return str(exc), False
    from websockets.exceptions import ConnectionClosed

    if isinstance(exc, ConnectionClosed):
        return f"The stream connection dropped ({exc}); reconnecting from the last position.", False
    return (
        f"Unexpected error ({type(exc).__name__}); will retry. Details are in the server log.",
        False,
    )


def source_poll(
    *, source_id: int, rt: ListeningRuntime, http: HttpClient | None = None, force: bool = False
) -> str:
    """Poll one due polling source once: 'not_due', 'ok', 'not_modified' or 'error'.

    Claimed with a conditional UPDATE (next_poll_at moves forward), so two
    workers never poll the same source at once and a task run twice is harmless.
    """
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None or source.kind not in POLLING:
        return "not_due"
    now = timezone.now()
    due = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    claimed = Source.objects.filter(Q(pk=source_id) & (Q() if force else due)).update(
        next_poll_at=now + timedelta(seconds=source.poll_interval_seconds)
    )
    if not claimed:
        return "not_due"
    own = http is None
    client = http or HttpClient()
    try:
        split_uri(source.uri)
        result = _pollers()[source.kind](source, client)
    except Exception as exc:
        message, terminal = describe_error(exc)
        if not isinstance(exc, TerminalError | RetryableError | FeedError | SourceURIError):
            log.exception("listening source %s: unexpected error", source_id)
        source_record_error(source=source, message=message, terminal=terminal)
        return "error"
    finally:
        if own:
            client.close()
    if result.items and mentions_ingest(source=source, items=result.items, rt=rt).alerts:
        _kick_alerts()
    source_record_progress(
        source=source,
        items=len(result.items),
        etag=result.etag,
        last_modified=result.last_modified,
        cursor=result.cursor,
        note=result.note,
    )
    if not result.note:
        Source.objects.filter(pk=source.pk).update(last_error="")
    return "not_modified" if result.not_modified else "ok"


def source_stream_run(
    *,
    source: Source,
    rt: ListeningRuntime,
    http: HttpClient,
    stop: threading.Event,
    once: bool = False,
    **stream_kw,  # type: ignore[no-untyped-def]
) -> None:
    """Run a streaming source until `stop` (or one connection with `once`), reconnecting
    with back-off and resuming from the stored cursor."""

    def on_items(items, cursor):  # type: ignore[no-untyped-def]
        rt.refresh_if_changed()
        if items and mentions_ingest(source=source, items=items, rt=rt).alerts:
            _kick_alerts()
        source_record_progress(source=source, items=len(items), cursor=cursor)
        if cursor:
            source.cursor = cursor

    while not stop.is_set():
        try:
            split_uri(source.uri)
            _streams()[source.kind](source, http, on_items, stop, **stream_kw)
        except Exception as exc:
            message, terminal = describe_error(exc)
            until = source_record_error(source=source, message=message, terminal=terminal)
            if once or terminal:
                return
            stop.wait(max((until - timezone.now()).total_seconds(), 1.0))
            continue
        if once:
            return
        stop.wait(1.0)  # the server closed the stream: reconnect shortly


def source_file_run(*, source: Source, rt: ListeningRuntime, on_alerts=None) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """Import a JSONL file (or stdin): (items read, wall seconds)."""
    from bedside.listening.sources.files import ingest_file

    started = time.perf_counter()
    _, path = split_uri(source.uri)
    buffer = MentionBuffer(
        source, on_flush=on_alerts or (lambda _n, alerts: alerts and _kick_alerts())
    )
    try:
        result = ingest_file(path=path, buffer=buffer, rt=rt, tick=rt.refresh_if_changed)
        buffer.flush()
    except Exception as exc:
        buffer.flush()  # what was matched before the failure is kept
        message, terminal = describe_error(exc)
        source_record_error(source=source, message=message, terminal=terminal)
        return 0, time.perf_counter() - started
    source_record_progress(source=source, items=result.items, note=result.note())
    if not result.invalid:
        Source.objects.filter(pk=source.pk).update(last_error="")
    return result.items, time.perf_counter() - started


def _startswith_any(kinds: tuple[str, ...]) -> Q:
    q = Q()
    for kind in kinds:
        q |= Q(uri__startswith=f"{kind}:")
    return q


def sources_due() -> list[int]:
    """Ids of polling sources due now (not backing off); the sweeper enqueues one task each."""
    now = timezone.now()
    return list(
        Source.objects.filter(active=True)
        .filter(_startswith_any(POLLING))
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .exclude(status=Source.Status.DISABLED)
        .values_list("pk", flat=True)
    )


__all__ = ["STREAMING", "source_file_run", "source_poll", "source_stream_run", "sources_due"]
