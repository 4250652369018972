"""Fake Mastodon instance checking requests against the documented REST API."""

from __future__ import annotations

import html
import itertools
import threading
from datetime import UTC, datetime
from typing import Any

from bedside.channels.limits import mastodon_length
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, require_bearer

VISIBILITIES = {"public", "unlisted", "private", "direct"}
MAX_CHARS = 500
MAX_DESCRIPTION = 1500
MAX_MEDIA = 4


class MastodonFake(FakeServer):
    def __init__(self, token: str = "masto-token-0123456789", username: str = "clinic"):
        super().__init__()
        self.token = token
        self.username = username
        self.account_id = "109000000000000001"
        self.statuses: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, str] = {}
        self.process_media_async = False
        self._ids = itertools.count(110000000000000001)
        self._state = threading.Lock()
        self.route("POST", "/api/v2/media", self.create_media)
        self.route("GET", "/api/v1/media/{id}", self.get_media)
        self.route("POST", "/api/v1/statuses", self.create_status)
        self.route("GET", "/api/v1/statuses/{id}", self.get_status)
        self.route("PUT", "/api/v1/statuses/{id}", self.edit_status)
        self.route("DELETE", "/api/v1/statuses/{id}", self.delete_status)
        self.route("GET", "/api/v1/accounts/verify_credentials", self.verify_credentials)
        self.route("GET", "/api/v1/accounts/{id}/statuses", self.account_statuses)

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(401, {"error": "The access token is invalid"})

    def error_body(self, status: int, message: str) -> Any:
        return {"error": message}

    def _auth(self, req: FakeRequest) -> FakeResponse | None:
        return require_bearer(self, req, self.token)

    def _bad(self, req: FakeRequest, status: int, message: str) -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        return FakeResponse(status, {"error": message})

    def _new_id(self) -> str:
        with self._state:
            return str(next(self._ids))

    # -- media
    def create_media(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        parts = req.multipart()
        if "file" not in parts:
            return self._bad(req, 422, "Validation failed: File can't be blank")
        data, headers = parts["file"]
        if not headers.get("content-type", "").startswith("image/"):
            return self._bad(req, 422, "Validation failed: File content type is invalid")
        description = parts.get("description", (b"", {}))[0].decode()
        if len(description) > MAX_DESCRIPTION:
            return self._bad(req, 422, "Validation failed: Description is too long")
        media_id = self._new_id()
        attachment = {
            "id": media_id,
            "type": "image",
            "url": None if self.process_media_async else f"{self.url}/media/{media_id}.png",
            "preview_url": f"{self.url}/media/{media_id}_small.png",
            "description": description,
            "size": len(data),
            "_polls": 0,
        }
        self.media[media_id] = attachment
        public = {k: v for k, v in attachment.items() if not k.startswith("_")}
        return FakeResponse(202 if self.process_media_async else 200, public)

    def get_media(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        attachment = self.media.get(req.params["id"])
        if attachment is None:
            return FakeResponse(404, {"error": "Record not found"})
        attachment["_polls"] += 1
        if attachment["url"] is None and attachment["_polls"] < 2:
            return FakeResponse(206, {k: v for k, v in attachment.items() if k[0] != "_"})
        attachment["url"] = f"{self.url}/media/{attachment['id']}.png"
        return FakeResponse(200, {k: v for k, v in attachment.items() if k[0] != "_"})

    # -- statuses
    def create_status(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        if req.content_type == "application/json":
            body = req.json()
        elif req.content_type == "application/x-www-form-urlencoded":
            form = req.form()
            body = {
                k.removesuffix("[]"): (v if k.endswith("[]") else v[0]) for k, v in form.items()
            }
        else:
            return self._bad(req, 415, "unsupported content type")
        key = req.headers.get("idempotency-key")
        with self._state:
            if key and key in self.idempotency:
                return FakeResponse(200, self.statuses[self.idempotency[key]])
        text = body.get("status") or ""
        media_ids = [str(m) for m in body.get("media_ids") or []]
        if not text and not media_ids:
            return self._bad(req, 422, "Validation failed: Text can't be blank")
        if mastodon_length(text) > MAX_CHARS:
            return FakeResponse(
                422, {"error": f"Validation failed: Text character limit of {MAX_CHARS} exceeded"}
            )
        if len(media_ids) > MAX_MEDIA:
            return self._bad(req, 422, "Validation failed: Too many media attachments")
        for media_id in media_ids:
            if media_id not in self.media:
                return self._bad(req, 422, f"Validation failed: unknown media {media_id}")
            if self.media[media_id]["url"] is None:
                return self._bad(req, 422, "Cannot attach files that have not finished processing")
        visibility = body.get("visibility", "public")
        if visibility not in VISIBILITIES:
            return self._bad(req, 422, f"Validation failed: Visibility {visibility} invalid")
        status_id = self._new_id()
        status = {
            "id": status_id,
            "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "uri": f"{self.url}/users/{self.username}/statuses/{status_id}",
            "url": f"{self.url}/@{self.username}/{status_id}",
            "visibility": visibility,
            "language": body.get("language"),
            "content": "<p>" + html.escape(text).replace("\n", "<br />") + "</p>",
            "media_attachments": [
                {k: v for k, v in self.media[m].items() if k[0] != "_"} for m in media_ids
            ],
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
            "account": {"id": self.account_id, "username": self.username},
        }
        with self._state:
            self.statuses[status_id] = status
            if key:
                self.idempotency[key] = status_id
        return FakeResponse(200, status)

    def _body(self, req: FakeRequest) -> dict[str, Any] | None:
        if req.content_type == "application/json":
            return dict(req.json() or {})
        if req.content_type == "application/x-www-form-urlencoded":
            form = req.form()
            return {
                k.removesuffix("[]"): (v if k.endswith("[]") else v[0]) for k, v in form.items()
            }
        return None

    def edit_status(self, req: FakeRequest) -> FakeResponse:
        """PUT /api/v1/statuses/:id (3.5.0): status, media_ids[], media_attributes[],
        spoiler_text, sensitive, language, poll. Media not listed are dropped, as on a
        real server; visibility cannot be changed by an edit."""
        if denied := self._auth(req):
            return denied
        body = self._body(req)
        if body is None:
            return self._bad(req, 415, "unsupported content type")
        allowed = {"status", "media_ids", "media_attributes", "spoiler_text", "sensitive",
                   "language", "poll"}  # fmt: skip
        if unknown := sorted(set(body) - allowed):
            self.violation(f"PUT {req.path}: not an edit parameter: {unknown}")
        status = self.statuses.get(req.params["id"])
        if status is None:
            return FakeResponse(404, {"error": "Record not found"})
        text = body.get("status") or ""
        media_ids = [str(m) for m in body.get("media_ids") or []]
        if not text and not media_ids:
            return self._bad(req, 422, "Validation failed: Text can't be blank")
        if mastodon_length(text) > MAX_CHARS:
            return FakeResponse(
                422, {"error": f"Validation failed: Text character limit of {MAX_CHARS} exceeded"}
            )
        for media_id in media_ids:
            if media_id not in self.media:
                return self._bad(req, 422, f"Validation failed: unknown media {media_id}")
        with self._state:
            status["content"] = "<p>" + html.escape(text).replace("\n", "<br />") + "</p>"
            status["media_attachments"] = [
                {k: v for k, v in self.media[m].items() if k[0] != "_"} for m in media_ids
            ]
            for name in ("spoiler_text", "sensitive", "language"):
                if name in body:
                    status[name] = body[name]
            status["edited_at"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            status["_edits"] = status.get("_edits", 0) + 1
        return FakeResponse(200, {k: v for k, v in status.items() if not k.startswith("_")})

    def get_status(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        status = self.statuses.get(req.params["id"])
        if status is None:
            return FakeResponse(404, {"error": "Record not found"})
        return FakeResponse(200, status)

    def delete_status(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        status = self.statuses.pop(req.params["id"], None)
        if status is None:
            return FakeResponse(404, {"error": "Record not found"})
        return FakeResponse(200, status)

    def verify_credentials(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        return FakeResponse(
            200,
            {
                "id": self.account_id,
                "username": self.username,
                "acct": self.username,
                "display_name": "Riverside Clinic",
                "url": f"{self.url}/@{self.username}",
            },
        )

    def account_statuses(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        limit = int(req.q("limit", "20") or 20)
        if limit > 40:
            return self._bad(req, 422, "limit must be at most 40")
        newest = sorted(self.statuses.values(), key=lambda s: int(s["id"]), reverse=True)
        return FakeResponse(200, newest[:limit])
