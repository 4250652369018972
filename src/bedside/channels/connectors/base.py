"""Connector capability protocols, data types and the registry.

A connector is a small object for one channel account. It implements only the
capabilities its network has (``isinstance(c, Publisher)`` works: the
protocols are runtime-checkable). Every network call goes through the shared
:class:`bedside.core.http.HttpClient` and fails with its error classes:

* ``RetryableError``: nothing was created; retry with backoff (``retry_after``);
* ``TerminalError``: bad token (``kind="auth"``), content refused
  (``"rejected"``), gone (``"not_found"``) or bad settings (``"config"``);
  ``user_message`` says what to do in plain words;
* ``UnknownOutcomeError``: the post may exist. Retry only when
  :func:`publish_is_idempotent` is true for the type; otherwise check
  ``RecentPostsSource.recent_posts`` (see :func:`find_recent_match`), and if
  still unsure mark the delivery ``needs_review``.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar, NamedTuple, ParamSpec, Protocol, TypeVar, runtime_checkable

from bedside.core.http import HttpClient, RetryableError, TerminalError, UnknownOutcomeError

_P = ParamSpec("_P")
_R = TypeVar("_R")

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Media:
    """One image. ``url`` is a public URL of the same bytes, needed by networks that
    fetch media themselves (Instagram, Google Business Profile)."""

    data: bytes
    mime: str
    alt_text: str
    url: str | None = None

    def __repr__(self) -> str:
        return f"Media(mime={self.mime!r}, bytes={len(self.data)}, url={self.url!r})"


@dataclass(frozen=True)
class PublishRequest:
    """What to publish. ``idempotency_key`` is the delivery's stable key: the same
    key on a retry must never create a second post where the network allows it.

    ``metadata`` conventions: ``post_id``, ``delivery_id`` (webhook body),
    ``scheduled_at`` (aware datetime or ISO 8601; webhook body, Bluesky
    ``createdAt``/rkey), ``subject`` (e-mail), ``title`` (LinkedIn/GBP optional),
    ``language`` (BCP 47, e.g. "en").
    """

    text: str
    media: list[Media] = field(default_factory=list)
    idempotency_key: str = ""
    link: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.idempotency_key:
            raise ValueError("PublishRequest needs an idempotency_key")


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    url: str | None = None


@dataclass(frozen=True)
class AccountInfo:
    external_id: str
    name: str
    handle: str = ""
    url: str | None = None


class RecentPost(NamedTuple):
    external_id: str
    text: str
    created_at: datetime | None


@dataclass(frozen=True)
class Credentials:
    """A channel account's secrets. Never logged: repr shows only which are set."""

    access_token: str = ""
    refresh_token: str = ""
    expires_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"Credentials(access_token={'set' if self.access_token else 'unset'}, "
            f"refresh_token={'set' if self.refresh_token else 'unset'}, "
            f"expires_at={self.expires_at!r}, extra_keys={sorted(self.extra)!r})"
        )

    __str__ = __repr__

    def refreshed(
        self,
        *,
        access_token: str,
        refresh_token: str | None = None,
        expires_at: datetime | None = None,
        **extra: Any,
    ) -> Credentials:
        """New credentials after a refresh. A refresh answer without a new refresh
        token (Google, some OAuth servers) keeps the old one: never lose it."""
        return replace(
            self,
            access_token=access_token,
            refresh_token=refresh_token or self.refresh_token,
            expires_at=expires_at,
            extra={**self.extra, **extra},
        )

    def secrets(self) -> list[str]:
        """Every secret string, for redaction."""
        values = [self.access_token, self.refresh_token]
        for key, value in self.extra.items():
            if isinstance(value, str) and any(
                w in key for w in ("token", "secret", "password", "key", "jwt")
            ):
                values.append(value)
        return [v for v in values if v]


CredentialsHook = Callable[[Credentials], None]


# --------------------------------------------------------------------------- protocols


@runtime_checkable
class Publisher(Protocol):
    def publish(self, request: PublishRequest) -> PublishResult: ...

    def delete(self, external_id: str) -> None: ...


@runtime_checkable
class Editor(Protocol):
    """Change the text of a post already on the network, in place. Editing is a
    PUT/PATCH of the whole text, so repeating it is harmless: after an unknown
    outcome the same edit is simply sent again. Media stay as published."""

    def edit(self, external_id: str, request: PublishRequest) -> PublishResult: ...


@runtime_checkable
class MetricsSource(Protocol):
    def fetch_metrics(self, external_id: str) -> dict[str, int]: ...


@runtime_checkable
class CredentialValidator(Protocol):
    def validate(self) -> AccountInfo: ...


@runtime_checkable
class RecentPostsSource(Protocol):
    """Read-only: the account's latest posts, newest first, to find out whether a
    delivery whose outcome was unknown was in fact created."""

    def recent_posts(self, limit: int = 20) -> list[RecentPost]: ...


@runtime_checkable
class ReplySource(Protocol):
    """Comments and replies under a published post (inbox issue)."""

    def replies(
        self, external_id: str, *, since: datetime | None = None
    ) -> list[dict[str, Any]]: ...


@runtime_checkable
class ReviewSource(Protocol):
    """Reviews of the practice (reviews issue)."""

    def reviews(self, *, since: datetime | None = None) -> list[dict[str, Any]]: ...


@runtime_checkable
class FeedSource(Protocol):
    """Public posts matching terms (listening issue)."""

    def search(
        self, terms: Sequence[str], *, since: datetime | None = None
    ) -> list[dict[str, Any]]: ...


# --------------------------------------------------------------------------- connector base


def preparatory(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Mark a step that runs before the call that creates the post (media upload,
    token refresh, session): an unknown outcome there created nothing anyone can
    see, so it is reported as retryable rather than sending the delivery to review."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return fn(*args, **kwargs)
        except UnknownOutcomeError as exc:
            raise RetryableError(
                f"{exc} (before publishing: nothing was posted)",
                status=exc.status,
                service=exc.service,
            ) from None

    return wrapper


class Connector:
    """Common base: settings, credentials, the shared client and the refresh hook."""

    type: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    # True when re-sending the same PublishRequest can never create a duplicate.
    idempotent_publish: ClassVar[bool] = False
    # How long the network remembers an idempotency key (seconds); None = forever
    # (or as long as the receiver does). Past it, use the recent-posts check.
    idempotency_window: ClassVar[float | None] = None
    # Settings keys that must be present (checked at construction: a "config" error).
    required_settings: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        settings: dict[str, Any],
        credentials: Credentials,
        http: HttpClient,
        on_credentials_refreshed: CredentialsHook | None = None,
    ) -> None:
        missing = [k for k in self.required_settings if not settings.get(k)]
        if missing:
            raise TerminalError(
                f"{self.type} channel settings miss {', '.join(missing)}",
                kind="config",
                user_message=f"The {self.display_name} channel is missing: {', '.join(missing)}.",
                service=self.display_name,
            )
        self.settings = settings
        self.credentials = credentials
        self.http = http
        self._on_refreshed = on_credentials_refreshed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.type}>"

    def _set_credentials(self, new: Credentials) -> None:
        """Adopt refreshed credentials and hand them to the owner to persist."""
        self.credentials = new
        if self._on_refreshed is not None:
            self._on_refreshed(new)

    def _secrets(self) -> list[str]:
        return self.credentials.secrets()

    def _base_url(self, default: str) -> str:
        return str(self.settings.get("base_url") or default).rstrip("/")


# --------------------------------------------------------------------------- registry

_REGISTRY: dict[str, str] = {
    "mastodon": "bedside.channels.connectors.mastodon.connector:MastodonConnector",
    "bluesky": "bedside.channels.connectors.bluesky.connector:BlueskyConnector",
    "x": "bedside.channels.connectors.x.connector:XConnector",
    "facebook": "bedside.channels.connectors.facebook.connector:FacebookConnector",
    "instagram": "bedside.channels.connectors.instagram.connector:InstagramConnector",
    "linkedin": "bedside.channels.connectors.linkedin.connector:LinkedInConnector",
    "gbp": "bedside.channels.connectors.gbp.connector:GoogleBusinessConnector",
    "webhook": "bedside.channels.connectors.webhook.connector:WebhookConnector",
    "email": "bedside.channels.connectors.email.connector:EmailConnector",
    "site": "bedside.channels.connectors.site.connector:SiteConnector",
}

# Safe to re-send after an unknown outcome: Mastodon and the webhook take an
# Idempotency-Key; Bluesky writes to a deterministic record key; e-mail carries a
# deterministic Message-ID but SMTP servers do not deduplicate, so it is not.
IDEMPOTENT_PUBLISH: dict[str, bool] = {
    "mastodon": True,
    "webhook": True,
    "bluesky": True,
    "x": False,
    "facebook": False,
    "instagram": False,
    "linkedin": False,
    "gbp": False,
    "email": False,
    "site": True,  # one blog entry per content post: a re-send updates it
}


# Why a network's published posts cannot be edited (plain words, shown to people).
# Types absent here support Editor; the webhook does only when its receiver opted in.
EDIT_REFUSALS: dict[str, str] = {
    "bluesky": "Bluesky apps do not support edited posts",
    "x": "X's API has no way to edit a post",
    "instagram": "Instagram's API cannot change a caption after publishing",
    "email": "an e-mail cannot be changed once it has been sent",
}
WEBHOOK_EDIT_REFUSAL = (
    "this webhook's receiver has not opted into post.updated events (channel setting edit_events)"
)


def edit_refusal(type: str, settings: dict[str, Any] | None = None) -> str | None:
    """None when a published post of this channel can be edited in place; otherwise
    the reason it cannot, in plain words ("remove it or leave it" is the choice)."""
    if type == "webhook":
        return None if (settings or {}).get("edit_events") else WEBHOOK_EDIT_REFUSAL
    return EDIT_REFUSALS.get(type)


def connector_types() -> list[str]:
    return list(_REGISTRY)


def publish_is_idempotent(type: str) -> bool:
    """True: after UnknownOutcomeError, publish again with the same request.
    False: check recent posts first (RecentPostsSource), else needs_review."""
    return IDEMPOTENT_PUBLISH[type]


def connector_class(type: str) -> type[Connector]:
    try:
        target = _REGISTRY[type]
    except KeyError:
        raise TerminalError(
            f"Unknown channel type {type!r}",
            kind="config",
            user_message=f"Unknown channel type {type!r}.",
        ) from None
    module, _, name = target.partition(":")
    cls = getattr(importlib.import_module(module), name)
    return cls  # type: ignore[no-any-return]


def get_connector(
    type: str,
    *,
    settings: dict[str, Any],
    credentials: Credentials,
    http: HttpClient,
    on_credentials_refreshed: CredentialsHook | None = None,
) -> Connector:
    """Build the connector for a channel. Raises TerminalError(kind="config") for an
    unknown type or missing settings."""
    return connector_class(type)(
        settings=settings,
        credentials=credentials,
        http=http,
        on_credentials_refreshed=on_credentials_refreshed,
    )


# --------------------------------------------------------------------------- helpers


_URL = re.compile(r"(?i)\bhttps?://\S+")


def normalize_for_match(text: str) -> str:
    """Text as networks echo it back, made comparable: NFC, every link replaced by
    one placeholder (X rewrites links to t.co), whitespace collapsed, case folded."""
    text = _URL.sub("<url>", unicodedata.normalize("NFC", text))
    return " ".join(text.split()).casefold()


def find_recent_match(
    posts: Sequence[RecentPost], text: str, *, not_before: datetime | None = None
) -> RecentPost | None:
    """The recent post that is this delivery, if any: the same normalized text,
    created no earlier than ``not_before`` (posts without a time are considered).

    Used after an UnknownOutcomeError on a network without idempotency: a match
    means the delivery was published (record its id); no match among enough
    recent posts means it was not; when unsure, mark the delivery needs_review.
    """
    want = normalize_for_match(text)
    for post in posts:
        if not_before and post.created_at and post.created_at < not_before:
            continue
        if normalize_for_match(post.text) == want:
            return post
    return None
