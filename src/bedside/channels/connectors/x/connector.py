"""X (Twitter) API v2 with OAuth 2.0 user tokens (refreshable).

Documented calls (docs.x.com):
* POST /2/oauth2/token grant_type=refresh_token (confidential clients use HTTP
  Basic with client id and secret) → {access_token, refresh_token, expires_in};
  X rotates refresh tokens, so the new one is stored every time;
* POST /2/media/upload (multipart ``media``, ``media_category=tweet_image``)
  → {"data": {"id", "media_key"}}; POST /2/media/metadata
  {"id", "metadata": {"alt_text": {"text"}}} (alt text ≤ 1,000 characters);
* POST /2/tweets {"text", "media": {"media_ids": [...]}} → 201 {"data": {"id", "text"}};
* DELETE /2/tweets/:id; GET /2/users/me; GET /2/users/:id/tweets;
  GET /2/tweets/:id?tweet.fields=public_metrics.
Errors are RFC 7807 problem details ({"title", "detail", "status", "type"});
429 carries ``x-rate-limit-reset`` (epoch seconds). X has no idempotency key:
after an unknown outcome, check ``recent_posts`` before re-sending.
"""

from __future__ import annotations

from typing import Any

from bedside.channels.connectors._common import filename_for, parse_datetime, text_with_link
from bedside.channels.connectors._oauth import OAuth2Connector
from bedside.channels.connectors.base import (
    AccountInfo,
    Media,
    PublishRequest,
    PublishResult,
    RecentPost,
    preparatory,
)
from bedside.core.http import Response, TerminalError

ALT_TEXT_MAX = 1000


class XConnector(OAuth2Connector):
    """Publisher, CredentialValidator, RecentPostsSource, MetricsSource."""

    type = "x"
    display_name = "X"
    idempotent_publish = False
    client_auth = "basic"

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.base = self._base_url("https://api.x.com")
        self._user: dict[str, Any] | None = None

    def _default_token_url(self) -> str:
        return f"{self.base}/2/oauth2/token"

    def _raise(self, response: Response, method: str) -> None:
        reason = self._reason(response)
        if response.status_code == 403 and "duplicate" in reason.lower():
            raise TerminalError(
                f"X refused a duplicate post: {reason}",
                kind="rejected",
                user_message="X rejected the post because the same text was already posted. "
                "Edit the post and try again.",
                status=403,
                service=self.display_name,
            )
        super()._raise(response, method)

    def publish(self, request: PublishRequest) -> PublishResult:
        body: dict[str, Any] = {"text": text_with_link(request)}
        if request.media:
            body["media"] = {"media_ids": [self._upload(m, i) for i, m in enumerate(request.media)]}
        data = self._bearer("POST", f"{self.base}/2/tweets", json=body).json()["data"]
        tweet_id = str(data["id"])
        return PublishResult(external_id=tweet_id, url=self._tweet_url(tweet_id))

    def _tweet_url(self, tweet_id: str) -> str:
        username = self.settings.get("username") or self.credentials.extra.get("username")
        return (
            f"https://x.com/{username}/status/{tweet_id}"
            if username
            else f"https://x.com/i/web/status/{tweet_id}"
        )

    @preparatory
    def _upload(self, media: Media, index: int) -> str:
        response = self._bearer(
            "POST",
            f"{self.base}/2/media/upload",
            files={"media": (filename_for(media.mime, index), media.data, media.mime)},
            data={"media_category": "tweet_image"},
        )
        media_id = str(response.json()["data"]["id"])
        if media.alt_text:
            self._bearer(
                "POST",
                f"{self.base}/2/media/metadata",
                json={
                    "id": media_id,
                    "metadata": {"alt_text": {"text": media.alt_text[:ALT_TEXT_MAX]}},
                },
            )
        return media_id

    def delete(self, external_id: str) -> None:
        try:
            self._bearer("DELETE", f"{self.base}/2/tweets/{external_id}")
        except TerminalError as exc:
            if exc.kind != "not_found":
                raise

    def validate(self) -> AccountInfo:
        user = self._bearer("GET", f"{self.base}/2/users/me").json()["data"]
        self._user = user
        return AccountInfo(
            external_id=str(user["id"]),
            name=str(user.get("name", "")),
            handle="@" + str(user.get("username", "")),
            url=f"https://x.com/{user.get('username', '')}",
        )

    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        if self._user is None:
            self.validate()
        assert self._user is not None
        data = self._bearer(
            "GET",
            f"{self.base}/2/users/{self._user['id']}/tweets",
            params={"max_results": max(5, min(limit, 100)), "tweet.fields": "created_at"},
        ).json()
        return [
            RecentPost(str(t["id"]), str(t.get("text", "")), parse_datetime(t.get("created_at")))
            for t in (data.get("data") or [])[:limit]
        ]

    def fetch_metrics(self, external_id: str) -> dict[str, int]:
        data = self._bearer(
            "GET", f"{self.base}/2/tweets/{external_id}", params={"tweet.fields": "public_metrics"}
        ).json()["data"]
        m = data.get("public_metrics", {})
        return {
            "likes": int(m.get("like_count", 0)),
            "reposts": int(m.get("retweet_count", 0)),
            "replies": int(m.get("reply_count", 0)),
            "quotes": int(m.get("quote_count", 0)),
            "impressions": int(m.get("impression_count", 0)),
        }
