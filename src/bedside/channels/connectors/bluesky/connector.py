"""Bluesky (AT Protocol) connector.

Documented XRPC calls against the account's PDS (``settings["base_url"]``,
default https://bsky.social):
* com.atproto.server.createSession {identifier, password} and
  refreshSession (Bearer refreshJwt) → {accessJwt, refreshJwt, did, handle};
  an expired access token answers 400 {"error": "ExpiredToken"};
* com.atproto.repo.uploadBlob (raw bytes, Content-Type = image type) → {blob};
* com.atproto.repo.createRecord {repo, collection: app.bsky.feed.post, rkey,
  record: {$type, text, createdAt, langs?, facets?, embed?}} → {uri, cid};
* com.atproto.repo.getRecord / deleteRecord / listRecords;
  com.atproto.identity.resolveHandle; com.atproto.server.getSession;
  app.bsky.feed.getPosts (metrics, proxied by the PDS to the AppView).

Credentials: ``access_token``/``refresh_token`` are the session JWTs;
``extra["app_password"]`` (and ``settings["identifier"]``) allow a new session
when both JWTs have expired; ``extra["did"]``/``extra["handle"]`` cache identity.

Idempotency: the record key is derived from the idempotency key
(:func:`schemas.rkey_for`), so a re-send writes to the same record; if the
record already exists, its URI is returned instead of a second post.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bedside.channels.connectors._common import as_datetime, parse_datetime, text_with_link
from bedside.channels.connectors.base import (
    AccountInfo,
    Connector,
    Media,
    PublishRequest,
    PublishResult,
    RecentPost,
    preparatory,
)
from bedside.channels.connectors.bluesky.schemas import (
    IMAGE_MAX_BYTES,
    MAX_IMAGES,
    POST_COLLECTION,
    build_facets,
    iso_z,
    rkey_for,
)
from bedside.core.http import HttpClient, Response, TerminalError

_AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}


class BlueskyConnector(Connector):
    """Publisher, CredentialValidator, RecentPostsSource, MetricsSource."""

    type = "bluesky"
    display_name = "Bluesky"
    idempotent_publish = True

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.base = self._base_url("https://bsky.social")
        self.app_url = str(self.settings.get("app_url") or "https://bsky.app").rstrip("/")

    # -- session handling
    @property
    def did(self) -> str:
        did = self.credentials.extra.get("did")
        if not did:
            self._new_session()
            did = self.credentials.extra["did"]
        return str(did)

    def _session_from(self, data: dict[str, Any]) -> None:
        self._set_credentials(
            self.credentials.refreshed(
                access_token=data["accessJwt"],
                refresh_token=data.get("refreshJwt"),
                did=data.get("did", self.credentials.extra.get("did")),
                handle=data.get("handle", self.credentials.extra.get("handle")),
            )
        )

    @preparatory
    def _new_session(self) -> None:
        password = self.credentials.extra.get("app_password")
        identifier = self.settings.get("identifier") or self.credentials.extra.get("handle")
        if not password or not identifier:
            raise TerminalError(
                "Bluesky session expired and no app password is stored",
                kind="auth",
                user_message=(
                    "The connection to Bluesky has expired. "
                    "Reconnect the account in Settings → Channels."
                ),
                service=self.display_name,
            )
        response = self._raw(
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": identifier, "password": password},
            auth=None,
        )
        self._check(response, "POST")
        self._session_from(response.json())

    @preparatory
    def _refresh(self) -> None:
        if self.credentials.refresh_token:
            response = self._raw(
                "POST", "com.atproto.server.refreshSession", auth=self.credentials.refresh_token
            )
            if response.ok:
                self._session_from(response.json())
                return
            if self._error_name(response) not in _AUTH_ERRORS and response.status_code not in (
                400,
                401,
            ):
                self._check(response, "POST")
        self._new_session()

    # -- plumbing
    def _raw(self, method: str, nsid: str, *, auth: str | None, **kw: Any) -> Response:
        headers = dict(kw.pop("headers", {}))
        if auth:
            headers["Authorization"] = f"Bearer {auth}"
        return self.http.request(
            method,
            f"{self.base}/xrpc/{nsid}",
            headers=headers,
            service=self.display_name,
            secrets=self._secrets(),
            raise_for_status=False,
            **kw,
        )

    @staticmethod
    def _error_name(response: Response) -> str:
        return str(response.json_or_empty().get("error") or "")

    def _check(self, response: Response, method: str) -> None:
        if response.ok:
            return
        body = response.json_or_empty()
        reason = str(body.get("message") or body.get("error") or "")[:300]
        if self._error_name(response) in _AUTH_ERRORS and response.status_code == 400:
            response = Response(401, response.headers, response.content, response.url)
        HttpClient.raise_for(
            response,
            method=method,
            service=self.display_name,
            reason=reason,
            secrets=self._secrets(),
        )

    def _call(self, method: str, nsid: str, **kw: Any) -> Response:
        """An authenticated call; on an expired/invalid token, refresh once and retry
        (the failed call was refused, so nothing was applied)."""
        if not self.credentials.access_token:
            self._new_session()
        response = self._raw(method, nsid, auth=self.credentials.access_token, **kw)
        if not response.ok and (
            self._error_name(response) in _AUTH_ERRORS or response.status_code == 401
        ):
            self._refresh()
            response = self._raw(method, nsid, auth=self.credentials.access_token, **kw)
        self._check(response, method)
        return response

    # -- Publisher
    def publish(self, request: PublishRequest) -> PublishResult:
        if len(request.media) > MAX_IMAGES:
            raise self._rejected(f"Bluesky allows {MAX_IMAGES} images per post.")
        when = as_datetime(request.metadata.get("scheduled_at"))
        rkey = rkey_for(request.idempotency_key, when)
        text = text_with_link(request)
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": iso_z(when or datetime.now(UTC)),
        }
        language = request.metadata.get("language") or self.settings.get("language")
        if language:
            record["langs"] = [language]
        facets = build_facets(text, self._resolve_handle)
        if facets:
            record["facets"] = facets
        if request.media:
            record["embed"] = {
                "$type": "app.bsky.embed.images",
                "images": [{"alt": m.alt_text, "image": self._upload(m)} for m in request.media],
            }
        body = {"repo": self.did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
        try:
            data = self._call("POST", "com.atproto.repo.createRecord", json=body).json()
        except TerminalError as exc:
            existing = self._existing(rkey) if exc.kind == "rejected" else None
            if existing is None:
                raise
            data = existing  # an earlier attempt did create it: same record, no duplicate
        return PublishResult(external_id=str(data["uri"]), url=self._post_url(rkey))

    def _existing(self, rkey: str) -> dict[str, Any] | None:
        response = self._raw(
            "GET",
            "com.atproto.repo.getRecord",
            auth=self.credentials.access_token,
            params={"repo": self.did, "collection": POST_COLLECTION, "rkey": rkey},
        )
        return response.json() if response.ok else None

    def _post_url(self, rkey: str) -> str:
        who = self.credentials.extra.get("handle") or self.did
        return f"{self.app_url}/profile/{who}/post/{rkey}"

    def _rejected(self, why: str) -> TerminalError:
        return TerminalError(
            why,
            kind="rejected",
            user_message=f"Bluesky rejected the post: {why}",
            service=self.display_name,
        )

    @preparatory
    def _upload(self, media: Media) -> dict[str, Any]:
        if len(media.data) > IMAGE_MAX_BYTES:
            raise self._rejected("each image must be at most 1 MB.")
        response = self._call(
            "POST",
            "com.atproto.repo.uploadBlob",
            content=media.data,
            headers={"Content-Type": media.mime},
        )
        return dict(response.json()["blob"])

    def _resolve_handle(self, handle: str) -> str | None:
        response = self._raw(
            "GET", "com.atproto.identity.resolveHandle", auth=None, params={"handle": handle}
        )
        return str(response.json_or_empty().get("did") or "") or None if response.ok else None

    def delete(self, external_id: str) -> None:
        rkey = external_id.rstrip("/").rsplit("/", 1)[-1]
        self._call(
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": self.did, "collection": POST_COLLECTION, "rkey": rkey},
        )

    # -- CredentialValidator
    def validate(self) -> AccountInfo:
        data = self._call("GET", "com.atproto.server.getSession").json()
        handle = str(data.get("handle", ""))
        return AccountInfo(
            external_id=str(data["did"]),
            name=handle,
            handle="@" + handle,
            url=f"{self.app_url}/profile/{handle}",
        )

    # -- RecentPostsSource
    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        data = self._call(
            "GET",
            "com.atproto.repo.listRecords",
            params={"repo": self.did, "collection": POST_COLLECTION, "limit": min(limit, 100)},
        ).json()
        return [
            RecentPost(
                str(r["uri"]),
                str(r.get("value", {}).get("text", "")),
                parse_datetime(r.get("value", {}).get("createdAt")),
            )
            for r in data.get("records", [])
        ]

    # -- MetricsSource
    def fetch_metrics(self, external_id: str) -> dict[str, int]:
        data = self._call("GET", "app.bsky.feed.getPosts", params={"uris": external_id}).json()
        posts = data.get("posts") or [{}]
        post = posts[0]
        return {
            "likes": int(post.get("likeCount", 0)),
            "reposts": int(post.get("repostCount", 0)),
            "replies": int(post.get("replyCount", 0)),
            "quotes": int(post.get("quoteCount", 0)),
        }
