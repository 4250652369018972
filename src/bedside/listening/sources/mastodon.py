"""Mastodon public timelines: REST polling (`mastodon:`) and the streaming API (`mastodon-stream:`).

REST: /api/v1/timelines/tag/<tag> or /api/v1/timelines/public, newer than the
stored cursor (`since_id`). Streaming: /api/v1/streaming/hashtag or /public as
server-sent events; `update` events carry a status. A stream cannot resume, so
after a reconnect the REST timeline is read since the cursor to fill the gap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import orjson

from bedside.core.http import HttpClient
from bedside.listening.ingest import Item
from bedside.listening.sources.base import FeedError, PollResult
from bedside.listening.sources.feeds import strip_html

PAGE = 40


def _endpoint(url: str, *, streaming: bool) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if path.startswith("/tags/"):
        tag = path.removeprefix("/tags/").lstrip("#")
        if streaming:
            return f"{base}/api/v1/streaming/hashtag", {"tag": tag}
        return f"{base}/api/v1/timelines/tag/{tag}", {}
    local = {"local": "true"} if path.endswith("/local") else {}
    if streaming:
        return f"{base}/api/v1/streaming/public" + ("/local" if local else ""), {}
    return f"{base}/api/v1/timelines/public", local


def status_item(status: dict) -> Item | None:
    if not isinstance(status, dict):
        return None
    status = status.get("reblog") or status
    text = strip_html(status.get("content") or "")
    if status.get("spoiler_text"):
        text = f"{strip_html(status['spoiler_text'])}\n{text}"
    ident = status.get("uri") or status.get("url") or status.get("id")
    if not text or not ident:
        return None
    lang = status.get("language")
    return Item(
        id=str(ident),
        text=text,
        author=str((status.get("account") or {}).get("acct", "")),
        url=str(status.get("url") or ""),
        created_at=status.get("created_at"),
        langs=(lang.lower(),) if isinstance(lang, str) else (),
    )


def _newer(a: str, b: str) -> bool:
    try:
        return int(a) > int(b)
    except ValueError:
        return a > b


def poll(source, http: HttpClient) -> PollResult:  # type: ignore[no-untyped-def]
    _, url = source.uri.split(":", 1)
    endpoint, params = _endpoint(url, streaming=False)
    params = {**params, "limit": str(PAGE)}
    if source.cursor:
        params["since_id"] = source.cursor
    response = http.get(endpoint, params=params, service="mastodon")
    try:
        statuses = orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"Mastodon answered something that is not JSON: {exc}") from None
    if not isinstance(statuses, list):
        raise FeedError("Mastodon answered JSON that is not a list of posts")
    cursor = source.cursor
    items = []
    for status in statuses:
        item = status_item(status)
        if item is not None:
            items.append(item)
        sid = str(status.get("id", "")) if isinstance(status, dict) else ""
        if sid and (not cursor or _newer(sid, cursor)):
            cursor = sid
    return PollResult(items=items, cursor=cursor)


def stream(  # type: ignore[no-untyped-def]
    source,
    http: HttpClient,
    on_items: Callable[[list[Item], str | None], None],
    stop: threading.Event,
    *,
    batch: int = 200,
    **_: object,
) -> None:
    """Read the event stream until it ends or `stop` is set; errors propagate to the caller."""
    if source.cursor:  # fill the gap since the last connection from the REST timeline
        gap = poll(source, http)
        if gap.items:
            on_items(gap.items, gap.cursor)
    _, url = source.uri.split(":", 1)
    endpoint, params = _endpoint(url, streaming=True)
    event = ""
    data: list[bytes] = []
    pending: list[Item] = []
    cursor: str | None = None
    for line in http.stream_lines(
        endpoint, params=params, headers={"Accept": "text/event-stream"}, service="mastodon"
    ):
        if stop.is_set():
            break
        if line.startswith(b":"):  # heartbeat comment
            continue
        if line.startswith(b"event:"):
            event = line[6:].strip().decode("utf-8", "replace")
        elif line.startswith(b"data:"):
            data.append(line[5:].lstrip())
        elif not line:
            if event == "update" and data:
                try:
                    status = orjson.loads(b"\n".join(data))
                except orjson.JSONDecodeError:
                    status = None  # one broken event; the stream goes on
                item = status_item(status) if status is not None else None
                if item is not None:
                    pending.append(item)
                    cursor = str(status.get("id") or "") or cursor
            event, data = "", []
            if len(pending) >= batch:
                on_items(pending, cursor)
                pending = []
    if pending:
        on_items(pending, cursor)
