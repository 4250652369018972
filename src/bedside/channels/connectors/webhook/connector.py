"""Signed webhook: POST a JSON body to the practice's own endpoint.

Wire format (fixed; outside tools depend on it):

    POST <url>
    Content-Type: application/json
    Idempotency-Key: <delivery key>
    X-Bedside-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed by the secret>

    {"post_id": ..., "delivery_id": ..., "text": ..., "media": [...], "scheduled_at": ...}

``media`` items are ``{"url", "mime", "alt_text"}`` (``data_base64`` instead of a
null ``url`` when no public URL exists). A 2xx answer means published; an
optional JSON answer ``{"id", "url"}`` gives the external id and link.
Receivers deduplicate on Idempotency-Key, so a re-send is safe.

Edits (only when the channel setting ``edit_events`` is true: a receiver that
predates them could take the text for a new post) are a second event with the
header ``X-Bedside-Event: post.updated``, their own Idempotency-Key (one per
delivery and revision) and the body
``{"event": "post.updated", "post_id", "delivery_id", "external_id", "revision", "text"}``,
signed the same way. Publications carry no X-Bedside-Event header (unchanged).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import orjson

from bedside.channels.connectors.base import (
    AccountInfo,
    Connector,
    PublishRequest,
    PublishResult,
)
from bedside.core.http import TerminalError, check_url

SIGNATURE_HEADER = "X-Bedside-Signature"
EVENT_HEADER = "X-Bedside-Event"
EDIT_EVENT = "post.updated"


def sign(secret: str, body: bytes) -> str:
    """The X-Bedside-Signature header value for ``body``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of a received signature header (for receivers and tests)."""
    return hmac.compare_digest(sign(secret, body), header or "")


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def build_body(request: PublishRequest) -> bytes:
    """The exact body bytes that are signed and sent."""
    media = []
    for m in request.media:
        item: dict[str, Any] = {"url": m.url, "mime": m.mime, "alt_text": m.alt_text}
        if m.url is None:
            item["data_base64"] = base64.b64encode(m.data).decode("ascii")
        media.append(item)
    meta = request.metadata
    payload = {
        "post_id": meta.get("post_id"),
        "delivery_id": meta.get("delivery_id"),
        "text": request.text,
        "media": media,
        "scheduled_at": _iso(meta.get("scheduled_at")),
    }
    return orjson.dumps(payload)


def build_edit_body(external_id: str, request: PublishRequest) -> bytes:
    """The exact bytes of a ``post.updated`` event."""
    meta = request.metadata
    return orjson.dumps(
        {
            "event": EDIT_EVENT,
            "post_id": meta.get("post_id"),
            "delivery_id": meta.get("delivery_id"),
            "external_id": external_id,
            "revision": meta.get("revision"),
            "text": request.text,
        }
    )


class WebhookConnector(Connector):
    """Publisher and CredentialValidator for a signed webhook."""

    type = "webhook"
    display_name = "the webhook"
    idempotent_publish = True
    required_settings = ("url",)

    @property
    def _secret(self) -> str:
        secret = (
            self.credentials.extra.get("secret")
            or self.credentials.access_token
            or self.settings.get("secret")
        )
        if not secret:
            raise TerminalError(
                "webhook secret is not set",
                kind="config",
                user_message="The webhook channel has no secret. Set one in Settings → Channels.",
                service=self.display_name,
            )
        return str(secret)

    def _secrets(self) -> list[str]:
        return [*super()._secrets(), str(self.settings.get("secret") or "")]

    def publish(self, request: PublishRequest) -> PublishResult:
        body = build_body(request)
        response = self.http.post(
            self.settings["url"],
            content=body,
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": request.idempotency_key,
                SIGNATURE_HEADER: sign(self._secret, body),
            },
            service=self.display_name,
            secrets=self._secrets(),
        )
        data = response.json_or_empty()
        external_id = data.get("id")
        url = data.get("url")
        return PublishResult(
            external_id=str(external_id) if external_id else request.idempotency_key,
            url=str(url) if url else None,
        )

    def edit(self, external_id: str, request: PublishRequest) -> PublishResult:
        if not self.settings.get("edit_events"):
            raise TerminalError(
                "webhook edit events are off",
                kind="config",
                user_message="This webhook does not receive edits. Turn on edit events for the "
                "channel, or remove the post where the webhook delivered it.",
                service=self.display_name,
            )
        body = build_edit_body(external_id, request)
        self.http.post(
            self.settings["url"],
            content=body,
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": request.idempotency_key,
                EVENT_HEADER: EDIT_EVENT,
                SIGNATURE_HEADER: sign(self._secret, body),
            },
            service=self.display_name,
            secrets=self._secrets(),
        )
        return PublishResult(external_id=external_id)

    def delete(self, external_id: str) -> None:
        raise TerminalError(
            "webhook channels cannot delete",
            kind="config",
            user_message="A webhook cannot remove a post; remove it where the webhook delivered it.",
            service=self.display_name,
        )

    def validate(self) -> AccountInfo:
        """Check the URL and secret without sending anything (a test POST could publish)."""
        url = self.settings["url"]
        check_url(url, allowed_networks=[str(n) for n in self.http.allowed])
        _ = self._secret
        host = urlsplit(url).hostname or url
        return AccountInfo(external_id=url, name=host, handle=host, url=None)
