"""Fake Google Business Profile (My Business v4 localPosts) and Google OAuth token endpoint."""

from __future__ import annotations

import itertools
import secrets
import threading
from datetime import UTC, datetime
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

CTA_TYPES = {"BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL"}
TOPIC_TYPES = {"STANDARD", "EVENT", "OFFER", "ALERT"}


def g_error(code: int, message: str, status: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


class GoogleBusinessFake(FakeServer):
    def __init__(self, account: str = "1122334455", location: str = "99887766") -> None:
        super().__init__()
        self.account, self.location = account, location
        self.client_id, self.client_secret = (
            "g-client.apps.googleusercontent.com",
            "g-client-secret-123456",
        )
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.posts: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        parent = f"/v4/accounts/{account}/locations/{location}/localPosts"
        self.route("POST", "/token", self.token)
        self.route("POST", parent, self.create)
        self.route("GET", parent, self.list)
        self.route("PATCH", parent + "/{id}", self.patch)
        self.route("DELETE", parent + "/{id}", self.delete)

    def issue(self) -> tuple[str, str]:
        pair = ("ya29.g-" + secrets.token_hex(12), "1//g-refresh-" + secrets.token_hex(12))
        self.access.add(pair[0])
        self.refresh.add(pair[1])
        return pair

    def error_body(self, status: int, message: str) -> Any:
        return g_error(
            status, message, {429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"}.get(status, "INTERNAL")
        )

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(
            401,
            g_error(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                "UNAUTHENTICATED",
            ),
        )

    def _auth(self, req: FakeRequest) -> FakeResponse | None:
        if req.headers.get("authorization", "").removeprefix("Bearer ") not in self.access:
            return self.expired_token(req)
        return None

    def _bad(self, req: FakeRequest, message: str) -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        return FakeResponse(400, g_error(400, message, "INVALID_ARGUMENT"))

    def token(self, req: FakeRequest) -> FakeResponse:
        form = {k: v[0] for k, v in req.form().items()}
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return FakeResponse(
                401, {"error": "invalid_client", "error_description": "Unauthorized"}
            )
        if (
            form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") not in self.refresh
        ):
            return FakeResponse(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        access = "ya29.g-" + secrets.token_hex(12)
        self.access.add(access)
        # Google does not send a new refresh token on refresh.
        return FakeResponse(
            200,
            {
                "access_token": access,
                "expires_in": 3599,
                "scope": "https://www.googleapis.com/auth/business.manage",
                "token_type": "Bearer",
            },
        )

    def create(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        if req.content_type != "application/json":
            return self._bad(req, "body must be JSON")
        body = req.json()
        if not body.get("languageCode"):
            return self._bad(req, "languageCode is required")
        summary = body.get("summary", "")
        if len(summary) > 1500:
            return FakeResponse(
                400,
                g_error(
                    400,
                    "Request contains an invalid argument. summary: exceeds 1500 characters",
                    "INVALID_ARGUMENT",
                ),
            )
        if body.get("topicType") not in TOPIC_TYPES:
            return self._bad(req, "topicType is invalid")
        cta = body.get("callToAction")
        if cta is not None and (
            cta.get("actionType") not in CTA_TYPES or not cta.get("url", "").startswith("http")
        ):
            return self._bad(req, "callToAction needs a valid actionType and url")
        for media in body.get("media", []):
            if media.get("mediaFormat") != "PHOTO" or not media.get("sourceUrl", "").startswith(
                "http"
            ):
                return self._bad(req, "media items need mediaFormat PHOTO and a public sourceUrl")
        with self._lock:
            post_id = str(next(self._ids)).zfill(19)
        name = f"accounts/{self.account}/locations/{self.location}/localPosts/{post_id}"
        post = {
            "name": name,
            **body,
            "state": "LIVE",
            "createTime": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "searchUrl": f"https://local.google.com/place?id=123&use=posts&lpsid={post_id}",
        }
        self.posts[post_id] = post
        return FakeResponse(200, post)

    def list(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        size = int(req.q("pageSize", "10") or 10)
        if not 1 <= size <= 100:
            return self._bad(req, "pageSize must be 1..100")
        newest = sorted(self.posts.values(), key=lambda p: p["name"], reverse=True)[:size]
        return FakeResponse(200, {"localPosts": newest})

    def patch(self, req: FakeRequest) -> FakeResponse:
        """localPosts.patch: ?updateMask (required, each changed field named), a LocalPost
        body; answers with the updated LocalPost."""
        if denied := self._auth(req):
            return denied
        if req.content_type != "application/json":
            return self._bad(req, "body must be JSON")
        mask = [m for m in (req.q("updateMask") or "").split(",") if m]
        if not mask:
            return self._bad(req, "updateMask is required")
        body = req.json() or {}
        if unmasked := sorted(set(body) - set(mask)):
            self.violation(f"PATCH {req.path}: fields outside updateMask: {unmasked}")
        post = self.posts.get(req.params["id"])
        if post is None:
            return FakeResponse(404, g_error(404, "Requested entity was not found.", "NOT_FOUND"))
        if "summary" in mask and len(body.get("summary", "")) > 1500:
            return FakeResponse(
                400,
                g_error(
                    400,
                    "Request contains an invalid argument. summary: exceeds 1500 characters",
                    "INVALID_ARGUMENT",
                ),
            )
        for field in mask:
            if field in body:
                post[field] = body[field]
        post["updateTime"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        return FakeResponse(200, post)

    def delete(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        if self.posts.pop(req.params["id"], None) is None:
            return FakeResponse(404, g_error(404, "Requested entity was not found.", "NOT_FOUND"))
        return FakeResponse(200, {})
