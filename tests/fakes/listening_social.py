"""Fake Mastodon public timelines (REST + streaming SSE) and a fake Reddit listing.

social = SocialFake(srv)
social.statuses = [status(1, "text"), ...]     # newest last
social.reddit_posts = [reddit_post("abc", "title", created_utc=...), ...]
"""

from __future__ import annotations

import json

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer


def status(n: int, html: str, *, lang: str = "en", acct: str = "alice@social.example") -> dict:
    return {
        "id": str(n),
        "uri": f"https://social.example/users/alice/statuses/{n}",
        "url": f"https://social.example/@alice/{n}",
        "created_at": "2026-11-21T07:00:00.000Z",
        "content": f"<p>{html}</p>",
        "spoiler_text": "",
        "language": lang,
        "account": {"acct": acct},
        "reblog": None,
    }


def reddit_post(ident: str, title: str, *, selftext: str = "", created_utc: float = 1.7e9) -> dict:
    return {
        "kind": "t3",
        "data": {
            "name": f"t3_{ident}",
            "id": ident,
            "title": title,
            "selftext": selftext,
            "author": "redditor",
            "permalink": f"/r/springfield/comments/{ident}/x/",
            "created_utc": created_utc,
        },
    }


class SocialFake:
    def __init__(self, srv: FakeServer) -> None:
        self.srv = srv
        self.statuses: list[dict] = []
        self.reddit_posts: list[dict] = []
        self.stream_extra = b""  # raw bytes appended to the SSE body (e.g. a broken event)
        srv.route("GET", "/api/v1/timelines/tag/{tag}", self.tag_timeline)
        srv.route("GET", "/api/v1/timelines/public", self.public_timeline)
        srv.route("GET", "/api/v1/streaming/hashtag", self.stream)
        srv.route("GET", "/api/v1/streaming/public", self.stream)
        srv.route("GET", "/r/springfield/new.json", self.reddit)

    def _timeline(self, req: FakeRequest) -> FakeResponse:
        since = req.q("since_id")
        limit = int(req.q("limit", "20") or 20)
        if limit > 40:
            self.srv.violation(f"limit {limit} > 40")
        rows = [s for s in self.statuses if not since or int(s["id"]) > int(since)]
        return FakeResponse(200, list(reversed(rows))[:limit])  # newest first, as Mastodon

    def tag_timeline(self, req: FakeRequest) -> FakeResponse:
        return self._timeline(req)

    def public_timeline(self, req: FakeRequest) -> FakeResponse:
        return self._timeline(req)

    def stream(self, req: FakeRequest) -> FakeResponse:
        if req.path.endswith("hashtag") and not req.q("tag"):
            self.srv.violation("hashtag stream without tag")
        parts = [b":thump\n\n"]
        for s in self.statuses:
            parts.append(b"event: update\ndata: " + json.dumps(s).encode() + b"\n\n")
            parts.append(b"event: delete\ndata: 123\n\n")
        body = b"".join(parts) + self.stream_extra
        return FakeResponse(200, body, {"Content-Type": "text/event-stream"})

    def reddit(self, req: FakeRequest) -> FakeResponse:
        if req.q("limit") != "100":
            self.srv.violation("reddit listing without limit=100")
        children = sorted(self.reddit_posts, key=lambda p: -p["data"]["created_utc"])
        return FakeResponse(200, {"kind": "Listing", "data": {"children": children, "after": None}})
