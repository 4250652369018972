"""Outbound-call errors and their classification (re-exported by bedside.core.http).

Every message, repr and user message is redacted (see bedside.core.redact).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import orjson

from bedside.core.redact import redact

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Gateway errors: the request did not reach (or was not completed by) the
# application, per RFC 9110 and the networks' own docs; treated as not applied.
UNAPPLIED_5XX = frozenset({502, 503, 504})

TerminalKind = Literal["auth", "rejected", "not_found", "config"]


# --------------------------------------------------------------------------- errors


class HttpError(Exception):
    """Base of every outbound-call error. Message and repr are always redacted."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        service: str = "",
        secrets: Iterable[str | None] = (),
    ) -> None:
        self.message = redact(message, secrets)
        self.status = status
        self.service = service
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self._repr_fields().items())
        return f"{type(self).__name__}({self.message!r}, status={self.status!r}{extra})"

    def _repr_fields(self) -> dict[str, Any]:
        return {}


class RetryableError(HttpError):
    """Nothing was created; try again later (after ``retry_after`` seconds if known)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after

    def _repr_fields(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


class TerminalError(HttpError):
    """Will not succeed until a person acts. ``user_message`` is for a practice manager."""

    def __init__(
        self, message: str, *, kind: TerminalKind, user_message: str = "", **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.kind = kind
        self.user_message = redact(user_message or self.message, kw.get("secrets", ()))

    def _repr_fields(self) -> dict[str, Any]:
        return {"kind": self.kind, "user_message": self.user_message}


class UnsafeURLError(TerminalError):
    """The URL or the address it resolves to is refused by the SSRF guard."""

    def __init__(self, message: str, **kw: Any) -> None:
        kw.setdefault(
            "user_message",
            "This address is not allowed: Bedside only connects to public internet addresses. "
            + message,
        )
        super().__init__(message, kind="config", **kw)


class UnknownOutcomeError(HttpError):
    """The request was sent and may have been applied; never blindly re-send it."""


class ResponseTooLargeError(UnknownOutcomeError):
    """The response exceeded the size cap (the request itself may have been applied)."""


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Response:
    """A fully read, size-capped response."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return orjson.loads(self.content) if self.content else None

    def json_or_empty(self) -> dict[str, Any]:
        try:
            data = self.json()
        except orjson.JSONDecodeError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from Retry-After (delta-seconds or HTTP-date), else from the
    common rate-limit reset headers (epoch seconds or ISO 8601); None if absent."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, when.timestamp() - now)
    for name in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        reset = headers.get(name)
        if not reset:
            continue
        reset = reset.strip()
        try:
            number = float(reset)
        except ValueError:
            try:
                return max(0.0, datetime.fromisoformat(reset).timestamp() - now)
            except ValueError:
                continue
        # Large numbers are epoch seconds (X, Bluesky); small ones are deltas.
        return max(0.0, number - now) if number > 1e9 else max(0.0, number)
    return None


def user_message_for(kind: TerminalKind, service: str, reason: str = "") -> str:
    name = service or "the network"
    if kind == "auth":
        return (
            f"The connection to {name} has expired or was revoked. "
            "Reconnect the account in Settings → Channels."
        )
    if kind == "rejected":
        why = f": {reason}" if reason else "."
        return f"{name} rejected the post{why} Edit the post and try again."
    if kind == "not_found":
        return f"{name} could not find this item; it may have been deleted already."
    return f"The {name} channel is not set up correctly{': ' + reason if reason else '.'}"


def classify_status(
    response: Response,
    *,
    method: str,
    service: str = "",
    reason: str = "",
    secrets: Iterable[str | None] = (),
    unapplied_5xx: frozenset[int] = UNAPPLIED_5XX,
) -> HttpError | None:
    """The error a non-2xx response means, or None for 2xx.

    ``reason`` is the network's own explanation (parsed by the connector), shown
    to the user for rejected content.
    """
    status = response.status_code
    if 200 <= status < 300:
        return None
    secrets = list(secrets)
    detail = f"{service or 'remote'} answered HTTP {status} to {method}"
    if reason:
        detail += f": {reason}"
    common: dict[str, Any] = {"status": status, "service": service, "secrets": secrets}
    if status == 429:
        return RetryableError(detail, retry_after=parse_retry_after(response.headers), **common)
    if status in unapplied_5xx or (status >= 500 and method in SAFE_METHODS):
        return RetryableError(detail, retry_after=parse_retry_after(response.headers), **common)
    if status >= 500:
        return UnknownOutcomeError(detail, **common)
    kind: TerminalKind
    if status in (401, 403):
        kind = "auth"
    elif status in (404, 410):
        kind = "not_found"
    elif status in (400, 409, 413, 415, 422):
        kind = "rejected"
    elif 300 <= status < 400:
        kind = "config"
        reason = reason or "unexpected redirect"
    else:
        kind = "rejected"
    return TerminalError(
        detail, kind=kind, user_message=user_message_for(kind, service, reason), **common
    )
