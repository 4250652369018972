"""Mastodon: statuses with Idempotency-Key, media with alt text.

Documented API (docs.joinmastodon.org):
* POST /api/v2/media (multipart ``file``, ``description`` = alt text) → 200
  MediaAttachment, or 202 while processing (poll GET /api/v1/media/:id until
  200; 206 means still processing);
* POST /api/v1/statuses (``status``, ``media_ids[]``, ``visibility``,
  ``language``) with header ``Idempotency-Key``; Mastodon remembers a key for
  one hour per account, so a re-send within the hour returns the same status;
* PUT /api/v1/statuses/:id (3.5.0+; ``status``, ``media_ids[]``,
  ``media_attributes[]``, ``spoiler_text``, ``sensitive``, ``language``,
  ``poll``; visibility cannot change) edits in place and returns the Status.
  Media not listed in ``media_ids`` are dropped, so an edit first reads the
  status (GET) and lists its current attachments again;
* DELETE /api/v1/statuses/:id; GET /api/v1/accounts/verify_credentials;
  GET /api/v1/accounts/:id/statuses; GET /api/v1/statuses/:id.
Errors are ``{"error": "..."}``; 422 = validation (content rejected).
"""

from __future__ import annotations

import time
from typing import Any

from bedside.channels.connectors._common import (
    filename_for,
    html_to_text,
    parse_datetime,
    text_with_link,
)
from bedside.channels.connectors.base import (
    AccountInfo,
    Connector,
    Media,
    PublishRequest,
    PublishResult,
    RecentPost,
    preparatory,
)
from bedside.core.http import HttpClient, Response, RetryableError, TerminalError

# Mastodon keeps idempotency keys for this long; past it a re-send may duplicate.
IDEMPOTENCY_WINDOW_SECONDS = 3600


class MastodonConnector(Connector):
    """Publisher, Editor, CredentialValidator, RecentPostsSource, MetricsSource."""

    type = "mastodon"
    display_name = "Mastodon"
    idempotent_publish = True
    idempotency_window = float(IDEMPOTENCY_WINDOW_SECONDS)
    required_settings = ("base_url",)

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.base = self._base_url("")
        self._account_id: str | None = None

    # -- plumbing
    def _call(self, method: str, path: str, **kw: Any) -> Response:
        headers = {"Authorization": f"Bearer {self.credentials.access_token}"}
        headers.update(kw.pop("headers", {}))
        response = self.http.request(
            method,
            f"{self.base}{path}",
            headers=headers,
            service=self.display_name,
            secrets=self._secrets(),
            raise_for_status=False,
            **kw,
        )
        if not response.ok:
            reason = str(response.json_or_empty().get("error") or "")[:300]
            HttpClient.raise_for(
                response,
                method=method,
                service=self.display_name,
                reason=reason,
                secrets=self._secrets(),
            )
        return response

    # -- Publisher
    def publish(self, request: PublishRequest) -> PublishResult:
        media_ids = [self._upload(m, i) for i, m in enumerate(request.media)]
        body: dict[str, Any] = {
            "status": text_with_link(request),
            "visibility": self.settings.get("visibility", "public"),
        }
        if media_ids:
            body["media_ids"] = media_ids
        language = request.metadata.get("language") or self.settings.get("language")
        if language:
            body["language"] = language
        status = self._call(
            "POST",
            "/api/v1/statuses",
            json=body,
            headers={"Idempotency-Key": request.idempotency_key},
        ).json()
        return PublishResult(external_id=str(status["id"]), url=status.get("url"))

    @preparatory
    def _upload(self, media: Media, index: int) -> str:
        response = self._call(
            "POST",
            "/api/v2/media",
            files={"file": (filename_for(media.mime, index), media.data, media.mime)},
            data={"description": media.alt_text},
        )
        attachment = response.json()
        media_id = str(attachment["id"])
        if response.status_code == 202 or attachment.get("url") is None:
            self._wait_processed(media_id)
        return media_id

    @preparatory
    def _wait_processed(self, media_id: str) -> None:
        interval = float(self.settings.get("media_poll_interval", 1.0))
        for _ in range(int(self.settings.get("media_poll_attempts", 30))):
            if self._call("GET", f"/api/v1/media/{media_id}").status_code == 200:
                return
            time.sleep(interval)
        raise RetryableError(
            f"Mastodon is still processing media {media_id}", service=self.display_name
        )

    # -- Editor
    def edit(self, external_id: str, request: PublishRequest) -> PublishResult:
        current = self._current(external_id)
        body: dict[str, Any] = {"status": text_with_link(request)}
        media_ids = [str(m["id"]) for m in current.get("media_attachments") or []]
        if media_ids:
            body["media_ids"] = media_ids
        for name in ("spoiler_text", "sensitive"):
            if current.get(name) not in (None, ""):
                body[name] = current[name]
        language = request.metadata.get("language") or current.get("language")
        if language:
            body["language"] = language
        status = self._call("PUT", f"/api/v1/statuses/{external_id}", json=body).json()
        return PublishResult(external_id=str(status["id"]), url=status.get("url"))

    @preparatory
    def _current(self, external_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/api/v1/statuses/{external_id}").json())

    def delete(self, external_id: str) -> None:
        try:
            self._call("DELETE", f"/api/v1/statuses/{external_id}")
        except TerminalError as exc:
            if exc.kind != "not_found":  # already gone is what we wanted
                raise

    # -- CredentialValidator
    def validate(self) -> AccountInfo:
        account = self._call("GET", "/api/v1/accounts/verify_credentials").json()
        self._account_id = str(account["id"])
        return AccountInfo(
            external_id=self._account_id,
            name=account.get("display_name") or account.get("username", ""),
            handle="@" + str(account.get("acct", "")),
            url=account.get("url"),
        )

    # -- RecentPostsSource
    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        if self._account_id is None:
            self.validate()
        statuses = self._call(
            "GET",
            f"/api/v1/accounts/{self._account_id}/statuses",
            params={"limit": min(limit, 40), "exclude_replies": "true", "exclude_reblogs": "true"},
        ).json()
        return [
            RecentPost(
                str(s["id"]),
                html_to_text(s.get("content", "")),
                parse_datetime(s.get("created_at")),
            )
            for s in statuses
        ]

    # -- MetricsSource
    def fetch_metrics(self, external_id: str) -> dict[str, int]:
        status = self._call("GET", f"/api/v1/statuses/{external_id}").json()
        return {
            "likes": int(status.get("favourites_count", 0)),
            "reposts": int(status.get("reblogs_count", 0)),
            "replies": int(status.get("replies_count", 0)),
        }
