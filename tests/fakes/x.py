"""Fake X API v2 (tweets, media, OAuth 2.0 refresh) checking documented rules."""

from __future__ import annotations

import base64
import itertools
import secrets
import threading
from datetime import UTC, datetime
from typing import Any

from bedside.channels.limits import x_weighted_length
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

MEDIA_CATEGORIES = {
    "tweet_image",
    "tweet_video",
    "tweet_gif",
    "dm_image",
    "dm_video",
    "dm_gif",
    "subtitles",
}


def problem(status: int, title: str, detail: str, kind: str = "about:blank") -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": kind, "status": status}


class XFake(FakeServer):
    def __init__(self, client_id: str = "client-abc", client_secret: str = "client-secret-xyz-123"):
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.media: dict[str, dict[str, Any]] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        self.user = {"id": "2244994945", "name": "Riverside Clinic", "username": "riversideclinic"}
        self._ids = itertools.count(1880000000000000001)
        self._state = threading.Lock()
        self.route("POST", "/2/oauth2/token", self.token)
        self.route("POST", "/2/media/upload", self.upload)
        self.route("POST", "/2/media/metadata", self.metadata)
        self.route("POST", "/2/tweets", self.create_tweet)
        self.route("DELETE", "/2/tweets/{id}", self.delete_tweet)
        self.route("GET", "/2/tweets/{id}", self.get_tweet)
        self.route("GET", "/2/users/me", self.me)
        self.route("GET", "/2/users/{id}/tweets", self.user_tweets)

    def issue(self) -> tuple[str, str]:
        pair = ("x-access-" + secrets.token_hex(12), "x-refresh-" + secrets.token_hex(12))
        with self._state:
            self.access.add(pair[0])
            self.refresh.add(pair[1])
        return pair

    def expire_access_tokens(self) -> None:
        with self._state:
            self.access.clear()

    def error_body(self, status: int, message: str) -> Any:
        return problem(status, {429: "Too Many Requests"}.get(status, "Error"), message)

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(401, problem(401, "Unauthorized", "Unauthorized"))

    def _auth(self, req: FakeRequest) -> FakeResponse | None:
        auth = req.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            self.violation(f"{req.path}: missing bearer")
        if auth.removeprefix("Bearer ") not in self.access:
            return self.expired_token(req)
        return None

    def _invalid(self, req: FakeRequest, message: str) -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        body = problem(
            400,
            "Invalid Request",
            "One or more parameters to your request was invalid.",
            "https://api.twitter.com/2/problems/invalid-request",
        )
        body["errors"] = [{"message": message}]
        return FakeResponse(400, body)

    def _id(self) -> str:
        with self._state:
            return str(next(self._ids))

    def token(self, req: FakeRequest) -> FakeResponse:
        if req.content_type != "application/x-www-form-urlencoded":
            return self._invalid(req, "token endpoint needs a form body")
        form = {k: v[0] for k, v in req.form().items()}
        expected = (
            "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        )
        if req.headers.get("authorization") != expected:
            self.violation("token: confidential client must use HTTP Basic client authentication")
            return FakeResponse(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Missing valid authorization header",
                },
            )
        if form.get("grant_type") != "refresh_token":
            return self._invalid(req, "grant_type must be refresh_token")
        with self._state:
            valid = form.get("refresh_token") in self.refresh
            self.refresh.discard(form.get("refresh_token", ""))
        if not valid:
            return FakeResponse(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
            )
        access, refresh = self.issue()
        return FakeResponse(
            200,
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": access,
                "scope": "tweet.read tweet.write users.read offline.access media.write",
                "refresh_token": refresh,
            },
        )

    def upload(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        parts = req.multipart()
        if "media" not in parts:
            return self._invalid(req, "media is required (multipart/form-data)")
        category = parts.get("media_category", (b"", {}))[0].decode()
        if category and category not in MEDIA_CATEGORIES:
            return self._invalid(req, f"invalid media_category {category}")
        data = parts["media"][0]
        if len(data) > 5 * 1024 * 1024:
            return self._invalid(req, "image larger than 5 MB")
        media_id = self._id()
        self.media[media_id] = {"size": len(data), "alt_text": None}
        return FakeResponse(
            200,
            {
                "data": {
                    "id": media_id,
                    "media_key": f"3_{media_id}",
                    "size": len(data),
                    "expires_after_secs": 86400,
                }
            },
        )

    def metadata(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        body = req.json() if req.content_type == "application/json" else None
        if not body or body.get("id") not in self.media:
            return self._invalid(req, "metadata needs a known media id")
        text = body.get("metadata", {}).get("alt_text", {}).get("text")
        if not isinstance(text, str) or len(text) > 1000:
            return self._invalid(req, "alt_text.text must be a string of at most 1000 characters")
        self.media[body["id"]]["alt_text"] = text
        return FakeResponse(
            200, {"data": {"id": body["id"], "associated_metadata": {"alt_text": {"text": text}}}}
        )

    def create_tweet(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        if req.content_type != "application/json":
            return self._invalid(req, "body must be JSON")
        body = req.json()
        text = body.get("text", "")
        media_ids = body.get("media", {}).get("media_ids", [])
        if not text and not media_ids:
            return self._invalid(req, "text or media is required")
        if x_weighted_length(text) > 280:
            return FakeResponse(
                400,
                {
                    **problem(400, "Invalid Request", "Tweet text is too long."),
                    "errors": [{"message": "text: Tweet text is too long."}],
                },
            )
        if not 0 <= len(media_ids) <= 4 or any(m not in self.media for m in media_ids):
            return self._invalid(req, "media_ids must be 1..4 uploaded media")
        with self._state:
            if any(t["text"] == text for t in self.tweets.values()):
                return FakeResponse(
                    403,
                    problem(
                        403,
                        "Forbidden",
                        "You are not allowed to create a Tweet with duplicate content.",
                    ),
                )
            tweet_id = str(next(self._ids))
            self.tweets[tweet_id] = {
                "id": tweet_id,
                "text": text,
                "media_ids": media_ids,
                "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            }
        return FakeResponse(
            201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}
        )

    def delete_tweet(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        if self.tweets.pop(req.params["id"], None) is None:
            return FakeResponse(404, problem(404, "Not Found Error", "Could not find tweet"))
        return FakeResponse(200, {"data": {"deleted": True}})

    def get_tweet(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        tweet = self.tweets.get(req.params["id"])
        if tweet is None:
            return FakeResponse(404, problem(404, "Not Found Error", "Could not find tweet"))
        data = {"id": tweet["id"], "text": tweet["text"]}
        if "public_metrics" in (req.q("tweet.fields") or ""):
            data["public_metrics"] = {
                "retweet_count": 2,
                "reply_count": 1,
                "like_count": 5,
                "quote_count": 0,
                "impression_count": 120,
            }
        return FakeResponse(200, {"data": data})

    def me(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        return FakeResponse(200, {"data": self.user})

    def user_tweets(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        n = int(req.q("max_results", "10") or 10)
        if not 5 <= n <= 100:
            return self._invalid(req, "max_results must be between 5 and 100")
        newest = sorted(self.tweets.values(), key=lambda t: int(t["id"]), reverse=True)[:n]
        fields = req.q("tweet.fields") or ""
        data = [
            {
                "id": t["id"],
                "text": t["text"],
                **({"created_at": t["created_at"]} if "created_at" in fields else {}),
            }
            for t in newest
        ]
        return FakeResponse(200, {"data": data, "meta": {"result_count": len(data)}})
