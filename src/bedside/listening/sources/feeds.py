"""RSS and Atom feeds (Google Alerts feeds too), parsed by feedparser.

Conditional GET with the stored ETag / Last-Modified: an unchanged feed costs a
304 and nothing else. A feed feedparser cannot read (`bozo` without entries)
raises FeedError with feedparser's reason; one with recoverable errors is read
and the problem noted on the source.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import feedparser

from bedside.core.http import HttpClient
from bedside.listening.ingest import Item
from bedside.listening.sources.base import FeedError, PollResult

MAX_FEED_BYTES = 5 * 1024 * 1024
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def strip_html(value: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", value or ""))).strip()


def _real_link(link: str) -> str:
    """Google Alerts wraps links as https://www.google.com/url?...&url=<the page>."""
    parts = urlsplit(link)
    if parts.hostname and parts.hostname.endswith("google.com") and parts.path == "/url":
        target = parse_qs(parts.query).get("url", [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    return link


def _when(entry) -> datetime | None:  # type: ignore[no-untyped-def]
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def entry_item(entry) -> Item | None:  # type: ignore[no-untyped-def]
    title = strip_html(entry.get("title", ""))
    summary = strip_html(entry.get("summary", ""))
    text = f"{title}\n{summary}".strip() if summary and summary != title else title
    if not text:
        return None
    link = _real_link(entry.get("link", ""))
    ident = entry.get("id") or link or hashlib.sha256(text.encode()).hexdigest()
    return Item(
        id=str(ident),
        text=text,
        author=strip_html(entry.get("author", "")),
        url=link,
        created_at=_when(entry),
    )


def poll(source, http: HttpClient) -> PollResult:  # type: ignore[no-untyped-def]
    _, url = source.uri.split(":", 1)
    headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    response = http.get(
        url,
        headers=headers,
        service="feed",
        max_response_bytes=MAX_FEED_BYTES,
        raise_for_status=False,
    )
    if response.status_code == 304:
        return PollResult(items=[], not_modified=True)
    http.raise_for(response, method="GET", service="feed")
    parsed = feedparser.parse(
        response.content,
        response_headers={"content-type": response.headers.get("content-type", "")},
    )
    note = ""
    if parsed.bozo:
        reason = str(parsed.get("bozo_exception", "unknown error"))[:300]
        if not parsed.entries:
            raise FeedError(f"The feed could not be read as RSS or Atom: {reason}")
        note = f"The feed has errors ({reason}); {len(parsed.entries)} entries were read anyway."
    items = [it for it in (entry_item(e) for e in parsed.entries) if it is not None]
    return PollResult(
        items=items,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
        note=note,
    )
