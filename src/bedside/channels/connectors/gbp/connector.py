"""Google Business Profile local posts (My Business API v4 localPosts).

* POST /v4/accounts/{account}/locations/{location}/localPosts
  {languageCode, summary (≤ 1,500 characters), topicType: STANDARD,
  callToAction?: {actionType: LEARN_MORE, url}, media?: [{mediaFormat: PHOTO,
  sourceUrl}]} → LocalPost {name, searchUrl, state, createTime};
* PATCH /v4/{name}?updateMask=summary with a LocalPost body {summary} edits the
  text in place and returns the LocalPost;
* DELETE /v4/{name}; GET .../localPosts?pageSize=N (recent posts).
OAuth 2.0: Google's token endpoint does not return a new refresh token on
refresh; the stored one is kept. Photos are fetched by Google from a public
``Media.url``. Google errors: {"error": {"code", "message", "status"}}.
"""

from __future__ import annotations

from typing import Any

from bedside.channels.connectors._common import parse_datetime
from bedside.channels.connectors._oauth import OAuth2Connector
from bedside.channels.connectors.base import AccountInfo, PublishRequest, PublishResult, RecentPost
from bedside.channels.limits import check
from bedside.core.http import TerminalError


class GoogleBusinessConnector(OAuth2Connector):
    """Publisher, Editor, CredentialValidator, RecentPostsSource."""

    type = "gbp"
    display_name = "Google Business Profile"
    idempotent_publish = False
    required_settings = ("account_id", "location_id")
    token_url_default = "https://oauth2.googleapis.com/token"

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.base = self._base_url("https://mybusiness.googleapis.com")
        self.parent = (
            f"accounts/{self.settings['account_id']}/locations/{self.settings['location_id']}"
        )

    def _rejected(self, why: str) -> TerminalError:
        return TerminalError(why, kind="rejected", user_message=why, service=self.display_name)

    def publish(self, request: PublishRequest) -> PublishResult:
        verdict = check("gbp", request.text, len(request.media))
        if not verdict.ok:
            raise self._rejected(verdict.message)
        body: dict[str, Any] = {
            "languageCode": request.metadata.get("language")
            or self.settings.get("language", "en-US"),
            "summary": request.text,
            "topicType": "STANDARD",
        }
        if request.link:
            body["callToAction"] = {
                "actionType": self.settings.get("cta", "LEARN_MORE"),
                "url": request.link,
            }
        if request.media:
            if any(not m.url for m in request.media):
                raise self._rejected(
                    "Google fetches photos from a public address, and this image has none. "
                    "Re-upload the image and try again."
                )
            body["media"] = [{"mediaFormat": "PHOTO", "sourceUrl": m.url} for m in request.media]
        post = self._bearer("POST", f"{self.base}/v4/{self.parent}/localPosts", json=body).json()
        return PublishResult(external_id=str(post["name"]), url=post.get("searchUrl"))

    def edit(self, external_id: str, request: PublishRequest) -> PublishResult:
        verdict = check("gbp", request.text, 0)
        if not verdict.ok:
            raise self._rejected(verdict.message)
        post = self._bearer(
            "PATCH",
            f"{self.base}/v4/{external_id}",
            params={"updateMask": "summary"},
            json={"summary": request.text},
        ).json()
        return PublishResult(
            external_id=str(post.get("name") or external_id), url=post.get("searchUrl")
        )

    def delete(self, external_id: str) -> None:
        try:
            self._bearer("DELETE", f"{self.base}/v4/{external_id}")
        except TerminalError as exc:
            if exc.kind != "not_found":
                raise

    def validate(self) -> AccountInfo:
        self._bearer("GET", f"{self.base}/v4/{self.parent}/localPosts", params={"pageSize": 1})
        return AccountInfo(
            external_id=self.parent, name=str(self.settings.get("location_name") or self.parent)
        )

    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        data = self._bearer(
            "GET", f"{self.base}/v4/{self.parent}/localPosts", params={"pageSize": min(limit, 100)}
        ).json()
        return [
            RecentPost(
                str(p["name"]), str(p.get("summary", "")), parse_datetime(p.get("createTime"))
            )
            for p in data.get("localPosts", [])
        ]
