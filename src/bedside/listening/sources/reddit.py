"""Reddit listing JSON (e.g. https://www.reddit.com/r/x/new.json).

Reads the newest 100 posts; the cursor is the newest `created_utc` seen, and
older posts are skipped on the next poll (the UNIQUE key catches any overlap).
"""

from __future__ import annotations

import orjson

from bedside.core.http import HttpClient
from bedside.listening.ingest import Item
from bedside.listening.sources.base import FeedError, PollResult


def post_item(data: dict) -> Item | None:
    name = data.get("name") or data.get("id")
    text = "\n".join(p for p in (data.get("title") or "", data.get("selftext") or "") if p).strip()
    if not name or not text:
        return None
    permalink = data.get("permalink") or ""
    return Item(
        id=str(name),
        text=text,
        author=str(data.get("author") or ""),
        url=f"https://www.reddit.com{permalink}" if permalink.startswith("/") else permalink,
        created_at=float(data.get("created_utc") or 0) or None,
    )


def poll(source, http: HttpClient) -> PollResult:  # type: ignore[no-untyped-def]
    _, url = source.uri.split(":", 1)
    response = http.get(url, params={"limit": "100", "raw_json": "1"}, service="reddit")
    try:
        listing = orjson.loads(response.content)
        children = listing["data"]["children"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise FeedError("Reddit answered something that is not a listing (data.children)") from None
    since = float(source.cursor or 0)
    newest = since
    items = []
    for child in children:
        data = child.get("data") if isinstance(child, dict) else None
        if not isinstance(data, dict):
            continue
        created = float(data.get("created_utc") or 0)
        if since and created <= since:
            continue
        item = post_item(data)
        if item is not None:
            items.append(item)
            newest = max(newest, created)
    return PollResult(items=items, cursor=repr(newest) if newest else None)
