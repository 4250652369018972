"""Fake RSS / Atom publisher (Google Alerts shaped Atom too) on FakeServer.

    feeds = FeedsFake(srv)                 # routes /rss.xml, /atom.xml, /alerts.xml, /broken.xml, /huge.xml
    feeds.rss_items = [("id-1", "title", "summary"), ...]
Conditional GET: answers 304 when If-None-Match matches the ETag or
If-Modified-Since matches Last-Modified; `feeds.hits` counts full answers.
"""

from __future__ import annotations

from html import escape

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

LAST_MODIFIED = "Sat, 21 Nov 2026 08:00:00 GMT"


class FeedsFake:
    def __init__(self, srv: FakeServer) -> None:
        self.srv = srv
        self.rss_items: list[tuple[str, str, str]] = []
        self.atom_items: list[tuple[str, str, str]] = []
        self.version = 1
        self.hits = 0
        srv.route("GET", "/rss.xml", self.rss)
        srv.route("GET", "/atom.xml", self.atom)
        srv.route("GET", "/alerts.xml", self.alerts)
        srv.route("GET", "/broken.xml", self.broken)
        srv.route("GET", "/half-broken.xml", self.half_broken)
        srv.route("GET", "/huge.xml", self.huge)

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def _conditional(self, req: FakeRequest, body: str, ctype: str) -> FakeResponse:
        headers = {"ETag": self.etag, "Last-Modified": LAST_MODIFIED, "Content-Type": ctype}
        if req.headers.get("if-none-match") == self.etag or (
            "if-none-match" not in req.headers
            and req.headers.get("if-modified-since") == LAST_MODIFIED
        ):
            return FakeResponse(304, b"", headers)
        self.hits += 1
        return FakeResponse(200, body.encode(), headers)

    def rss(self, req: FakeRequest) -> FakeResponse:
        items = "".join(
            f"<item><guid>{escape(i)}</guid><title>{escape(t)}</title>"
            f"<description>{escape(s)}</description><link>https://news.example/{escape(i)}</link>"
            f"<author>reporter@news.example (Reporter)</author>"
            f"<pubDate>Sat, 21 Nov 2026 07:00:00 GMT</pubDate></item>"
            for i, t, s in self.rss_items
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
        return self._conditional(req, body, "application/rss+xml")

    def _atom(self, entries: list[tuple[str, str, str]], link_of) -> str:  # type: ignore[no-untyped-def]
        body = "".join(
            f"<entry><id>{escape(i)}</id><title type='html'>{escape(t)}</title>"
            f"<content type='html'>{escape(s)}</content><link href='{escape(link_of(i))}'/>"
            f"<published>2026-11-21T07:00:00Z</published><updated>2026-11-21T07:00:00Z</updated>"
            f"<author><name>Someone</name></author></entry>"
            for i, t, s in entries
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>tag:feed</id><title>Feed</title><updated>2026-11-21T07:00:00Z</updated>{body}</feed>"
        )

    def atom(self, req: FakeRequest) -> FakeResponse:
        body = self._atom(self.atom_items, lambda i: f"https://blog.example/{i}")
        return self._conditional(req, body, "application/atom+xml")

    def alerts(self, req: FakeRequest) -> FakeResponse:
        """Google Alerts: HTML in titles, links wrapped in https://www.google.com/url?...&url=."""
        body = self._atom(
            self.atom_items,
            lambda i: f"https://www.google.com/url?rct=j&sa=t&url=https://local.example/{i}&ct=ga",
        )
        return self._conditional(req, body, "application/atom+xml")

    def broken(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(200, b"<html><body>Not a feed <b>at all", {"Content-Type": "text/html"})

    def half_broken(self, req: FakeRequest) -> FakeResponse:
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
            "<item><guid>hb-1</guid><title>Maple Family Clinic is great &nbsp; </title></item>"
            "</channel></rss>"
        )
        return FakeResponse(200, body.encode(), {"Content-Type": "application/rss+xml"})

    def huge(self, req: FakeRequest) -> FakeResponse:
        item = "<item><guid>x</guid><title>Maple Family Clinic</title></item>"
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel>'
            + item * 120_000
            + "</channel></rss>"
        )
        return FakeResponse(200, body.encode(), {"Content-Type": "application/rss+xml"})
