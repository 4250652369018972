"""Bluesky through Jetstream: a WebSocket of JSON events, resumable by `cursor`.

Each event carries `time_us`; the source stores the last one handled and a
reconnect (or a restart) asks for `cursor=<time_us - 5 s>`, as Jetstream
recommends, so nothing in between is missed (re-read items are not stored
twice). A connection that drops mid-message raises ConnectionClosed: the part
message is discarded, the batch read so far is stored, and the caller reconnects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from bedside.listening.ingest import Item
from bedside.listening.sources.net import open_websocket

REWIND_US = 5_000_000
POST = "app.bsky.feed.post"


class _Record(msgspec.Struct):
    text: str = ""
    createdAt: str | None = None  # noqa: N815 (the wire name)
    langs: list[str] | None = None


class _Commit(msgspec.Struct):
    operation: str = ""
    collection: str = ""
    rkey: str = ""
    record: _Record | None = None


class _Event(msgspec.Struct):
    did: str = ""
    time_us: int = 0
    kind: str = ""
    commit: _Commit | None = None


_decode = msgspec.json.Decoder(_Event).decode


def event_item(raw: bytes | str) -> tuple[Item | None, int]:
    """(the post, or None for other events, time_us); raises msgspec errors on bad JSON."""
    event = _decode(raw)
    c = event.commit
    if event.kind != "commit" or c is None or c.operation != "create" or c.collection != POST:
        return None, event.time_us
    if c.record is None or not c.record.text:
        return None, event.time_us
    return (
        Item(
            id=f"at://{event.did}/{POST}/{c.rkey}",
            text=c.record.text,
            author=event.did,
            url=f"https://bsky.app/profile/{event.did}/post/{c.rkey}",
            created_at=c.record.createdAt,
            langs=tuple(x.lower()[:2] for x in c.record.langs or ()),
        ),
        event.time_us,
    )


def url_with_cursor(url: str, cursor: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "cursor"]
    if cursor and cursor.isdigit():
        query.append(("cursor", str(max(int(cursor) - REWIND_US, 0))))
    if not any(k == "wantedCollections" for k, _ in query):
        query.append(("wantedCollections", POST))
    return urlunsplit(parts._replace(query=urlencode(query)))


def stream(  # type: ignore[no-untyped-def]
    source,
    http: Any,
    on_items: Callable[[list[Item], str | None], None],
    stop: threading.Event,
    *,
    batch: int = 500,
    idle_timeout: float | None = None,
) -> int:
    """Read until the server closes, `stop` is set or nothing came for `idle_timeout`.

    Returns the number of undecodable events skipped. Connection errors propagate
    after the items read so far were handed to `on_items` (with their cursor).
    """
    from websockets.exceptions import ConnectionClosedOK

    from bedside.listening.sources import split_uri

    _, url = split_uri(source.uri)
    allowed = getattr(http, "allowed", None)
    pending: list[Item] = []
    cursor: str | None = None
    bad = 0
    with open_websocket(url_with_cursor(url, source.cursor), allowed=allowed) as ws:
        try:
            while not stop.is_set():
                try:
                    raw = ws.recv(timeout=idle_timeout if idle_timeout else 1.0)
                except TimeoutError:
                    if idle_timeout:
                        break
                    if pending:
                        on_items(pending, cursor)
                        pending = []
                    continue
                except ConnectionClosedOK:
                    break
                try:
                    item, time_us = event_item(raw)
                except (msgspec.DecodeError, msgspec.ValidationError):
                    bad += 1
                    continue
                if time_us:
                    cursor = str(time_us)
                if item is not None:
                    pending.append(item)
                if len(pending) >= batch:
                    on_items(pending, cursor)
                    pending = []
        finally:
            if pending or cursor:
                on_items(pending, cursor)
    return bad
