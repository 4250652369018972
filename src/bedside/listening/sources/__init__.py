"""Where mentions come from. A source is a URI:

    rss:https://example.org/feed.xml        atom:https://www.google.com/alerts/feeds/...
    mastodon:https://instance/tags/flu      mastodon:https://instance/public[/local]
    mastodon-stream:https://instance/tags/flu (or /public, /public/local)
    bluesky:jetstream                       bluesky:wss://jetstream.example/subscribe
    reddit:https://www.reddit.com/r/x/new.json
    jsonl:/path/to/file.jsonl               jsonl:-  (standard input)

Polling sources expose `poll(source, http) -> PollResult`; streaming sources
`stream(source, http, on_items, stop)`. All fetching goes through
`bedside.core.http.HttpClient` (WebSockets through `sources.net`, same guard).
"""

from __future__ import annotations

from urllib.parse import urlsplit

POLLING = ("rss", "atom", "mastodon", "reddit")
STREAMING = ("mastodon-stream", "bluesky")
FILES = ("jsonl",)
KINDS = POLLING + STREAMING + FILES

JETSTREAM_DEFAULT = (
    "wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post"
)


class SourceURIError(ValueError):
    """A source URI that cannot work; the message names what is wrong."""


def split_uri(uri: str) -> tuple[str, str]:
    """('rss', 'https://...'), validating the shape (not the address: the guard does that)."""
    uri = (uri or "").strip()
    kind, sep, target = uri.partition(":")
    if not sep or kind not in KINDS:
        raise SourceURIError(
            f"Unknown source {uri[:80]!r}: start it with one of {', '.join(k + ':' for k in KINDS)}"
        )
    target = target.strip()
    if kind == "jsonl":
        if not target:
            raise SourceURIError("jsonl: needs a file path, or - for standard input")
        return kind, target
    if kind == "bluesky":
        target = target.removeprefix("jetstream").strip() or JETSTREAM_DEFAULT
        if urlsplit(target).scheme not in ("ws", "wss"):
            raise SourceURIError("bluesky: needs jetstream or a ws:// or wss:// Jetstream URL")
        return kind, target
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceURIError(f"{kind}: needs an http:// or https:// address, e.g. {kind}:https://…")
    if kind.startswith("mastodon"):
        path = parts.path.rstrip("/")
        if not (path.startswith("/tags/") or path in ("/public", "/public/local")):
            raise SourceURIError(
                f"{kind}: give a hashtag page (https://instance/tags/flu) or /public or /public/local"
            )
    return kind, target
