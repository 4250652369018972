"""Fake LinkedIn versioned REST API (Posts, Images, OAuth refresh)."""

from __future__ import annotations

import itertools
import re
import secrets
import threading
import time
from typing import Any
from urllib.parse import unquote

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

AUTHOR_RE = re.compile(r"^urn:li:(organization|person):[A-Za-z0-9_-]+$")
# A reserved character not preceded by a backslash, outside {hashtag|\#|...} templates.
_TEMPLATE = re.compile(r"\{hashtag\|\\#\|[^{}|]+\}")
_URL = re.compile(r"https?://[^\s]+")
_UNESCAPED = re.compile(r"(?<!\\)[|{}@\[\]()<>#*_~]")


def li_error(
    status: int, message: str, code: str | None = None, service: int | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "message": message}
    if code:
        body["code"] = code
    if service:
        body["serviceErrorCode"] = service
    return body


class LinkedInFake(FakeServer):
    def __init__(self, org_id: str = "2414183") -> None:
        super().__init__()
        self.org_id = org_id
        self.author = f"urn:li:organization:{org_id}"
        self.client_id, self.client_secret = "li-client", "li-client-secret-123456"
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.images: dict[str, bytes | None] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(7100000000000000001)
        self._state = threading.Lock()
        self.route("POST", "/oauth/v2/accessToken", self.token)
        self.route("POST", "/rest/images", self.init_upload)
        self.route("PUT", "/dms-uploads/{image}", self.upload)
        self.route("POST", "/rest/posts", self.create_post)
        self.route("GET", "/rest/posts", self.find_posts)
        self.route("POST", "/rest/posts/{urn}", self.update_post)
        self.route("DELETE", "/rest/posts/{urn}", self.delete_post)
        self.route("GET", "/rest/organizations/{id}", self.organization)
        self.route("GET", "/rest/socialActions/{urn}", self.social_actions)

    def issue(self) -> tuple[str, str]:
        pair = ("AQV-li-" + secrets.token_hex(12), "AQX-li-" + secrets.token_hex(12))
        with self._state:
            self.access.add(pair[0])
            self.refresh.add(pair[1])
        return pair

    def error_body(self, status: int, message: str) -> Any:
        return li_error(status, message)

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(
            401,
            li_error(
                401,
                "The token used in the request has been revoked by the user",
                "REVOKED_ACCESS_TOKEN",
                65601,
            ),
        )

    def _check(self, req: FakeRequest, *, rest: bool = True) -> FakeResponse | None:
        if req.headers.get("authorization", "").removeprefix("Bearer ") not in self.access:
            return self.expired_token(req)
        if rest:
            if not re.fullmatch(r"\d{6}", req.headers.get("linkedin-version", "")):
                self.violation(f"{req.path}: LinkedIn-Version header (YYYYMM) missing")
                return FakeResponse(
                    426,
                    li_error(
                        426,
                        "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                    ),
                )
            if req.headers.get("x-restli-protocol-version") != "2.0.0":
                self.violation(f"{req.path}: X-Restli-Protocol-Version 2.0.0 missing")
        return None

    def _bad(self, req: FakeRequest, status: int, message: str) -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        return FakeResponse(status, li_error(status, message))

    def token(self, req: FakeRequest) -> FakeResponse:
        form = {k: v[0] for k, v in req.form().items()}
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return FakeResponse(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        with self._state:
            ok = (
                form.get("grant_type") == "refresh_token"
                and form.get("refresh_token") in self.refresh
            )
        if not ok:
            return FakeResponse(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "The provided authorization grant is invalid",
                },
            )
        access = "AQV-li-" + secrets.token_hex(12)
        with self._state:
            self.access.add(access)
        # LinkedIn returns the same refresh token with its remaining lifetime.
        return FakeResponse(
            200,
            {
                "access_token": access,
                "expires_in": 5184000,
                "refresh_token": form["refresh_token"],
                "refresh_token_expires_in": 31536000,
            },
        )

    def init_upload(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req):
            return denied
        if req.q("action") != "initializeUpload":
            return self._bad(req, 400, "action=initializeUpload is required")
        owner = (req.json() or {}).get("initializeUploadRequest", {}).get("owner")
        if owner != self.author:
            return self._bad(req, 422, "initializeUploadRequest.owner must be the author")
        image = f"urn:li:image:D4E10AQ{next(self._ids)}"
        self.images[image] = None
        return FakeResponse(
            200,
            {
                "value": {
                    "uploadUrlExpiresAt": int(time.time() * 1000) + 86400000,
                    "uploadUrl": f"{self.url}/dms-uploads/{image.rsplit(':', 1)[1]}",
                    "image": image,
                }
            },
        )

    def upload(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req, rest=False):
            return denied
        image = f"urn:li:image:{req.params['image']}"
        if image not in self.images or not req.body:
            return self._bad(req, 400, "unknown upload or empty body")
        self.images[image] = req.body
        return FakeResponse(201, b"")

    def create_post(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req):
            return denied
        if req.content_type != "application/json":
            return self._bad(req, 415, "Content-Type must be application/json")
        body = req.json()
        for field in ("author", "commentary", "visibility", "distribution", "lifecycleState"):
            if field not in body:
                return self._bad(req, 422, f"/{field} is required")
        if not AUTHOR_RE.match(body["author"]):
            return self._bad(req, 422, "author must be an organization or person URN")
        if body["distribution"].get("feedDistribution") not in ("MAIN_FEED", "NONE"):
            return self._bad(req, 422, "distribution.feedDistribution is invalid")
        if body["visibility"] not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN"):
            return self._bad(req, 422, "visibility is invalid")
        commentary = body["commentary"]
        if len(commentary) > 3000:
            return FakeResponse(422, li_error(422, "/commentary :: length must be at most 3000"))
        plain = _URL.sub("", _TEMPLATE.sub("", commentary.replace("\\\\", "")))
        if _UNESCAPED.search(plain):
            self.violation(f"commentary has unescaped reserved characters: {commentary!r}")
        content = body.get("content", {})
        image_ids = []
        if "media" in content:
            image_ids = [content["media"]["id"]]
        elif "multiImage" in content:
            image_ids = [i["id"] for i in content["multiImage"]["images"]]
            if not 2 <= len(image_ids) <= 20:
                return self._bad(req, 422, "multiImage needs 2 to 20 images")
        for image in image_ids:
            if self.images.get(image) is None:
                return self._bad(req, 422, f"{image} was not uploaded")
        if "article" in content and not content["article"].get("source", "").startswith("http"):
            return self._bad(req, 422, "article.source must be a URL")
        urn = f"urn:li:share:{next(self._ids)}"
        self.posts[urn] = {"id": urn, **body, "createdAt": int(time.time() * 1000)}
        return FakeResponse(201, b"", {"x-restli-id": urn})

    def find_posts(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req):
            return denied
        if req.headers.get("x-restli-method") != "FINDER" or req.q("q") != "author":
            return self._bad(req, 400, "finder needs q=author and X-RestLi-Method: FINDER")
        if req.q("author") != self.author:
            return self._bad(req, 400, "author must be the URL-encoded author URN")
        newest = sorted(self.posts.values(), key=lambda p: p["id"], reverse=True)[
            : int(req.q("count", "10") or 10)
        ]
        return FakeResponse(200, {"elements": newest, "paging": {"start": 0, "count": len(newest)}})

    def update_post(self, req: FakeRequest) -> FakeResponse:
        """Posts API partial update: X-RestLi-Method PARTIAL_UPDATE, body
        {"patch": {"$set": {...}}}; only commentary (and a few other fields) may change."""
        if denied := self._check(req):
            return denied
        if req.headers.get("x-restli-method") != "PARTIAL_UPDATE":
            return self._bad(req, 400, "update needs X-RestLi-Method: PARTIAL_UPDATE")
        if req.content_type != "application/json":
            return self._bad(req, 415, "Content-Type must be application/json")
        fields = ((req.json() or {}).get("patch") or {}).get("$set")
        if not isinstance(fields, dict) or not fields:
            return self._bad(req, 422, "body must be {patch: {$set: {...}}}")
        editable = {"commentary", "contentCallToActionLabel", "contentLandingPage",
                    "lifecycleState", "adContext"}  # fmt: skip
        if unknown := sorted(set(fields) - editable):
            return self._bad(req, 422, f"fields cannot be updated: {unknown}")
        post = self.posts.get(unquote(req.params["urn"]))
        if post is None:
            return FakeResponse(404, li_error(404, "Not Found"))
        commentary = fields.get("commentary", post["commentary"])
        if len(commentary) > 3000:
            return FakeResponse(422, li_error(422, "/commentary :: length must be at most 3000"))
        plain = _URL.sub("", _TEMPLATE.sub("", commentary.replace("\\\\", "")))
        if _UNESCAPED.search(plain):
            self.violation(f"commentary has unescaped reserved characters: {commentary!r}")
        post.update(fields)
        post["edits"] = post.get("edits", 0) + 1
        return FakeResponse(204, b"")

    def delete_post(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req):
            return denied
        if req.headers.get("x-restli-method") != "DELETE":
            self.violation("DELETE /rest/posts needs X-RestLi-Method: DELETE")
        if self.posts.pop(unquote(req.params["urn"]), None) is None:
            return FakeResponse(404, li_error(404, "Not Found"))
        return FakeResponse(204, b"")

    def organization(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req):
            return denied
        if req.params["id"] != self.org_id:
            return FakeResponse(
                403, li_error(403, "Not enough permissions to access: organizations.GET")
            )
        return FakeResponse(
            200,
            {
                "id": int(self.org_id),
                "localizedName": "Riverside Clinic",
                "vanityName": "riverside-clinic",
            },
        )

    def social_actions(self, req: FakeRequest) -> FakeResponse:
        if denied := self._check(req):
            return denied
        return FakeResponse(
            200,
            {"likesSummary": {"totalLikes": 9}, "commentsSummary": {"aggregatedTotalComments": 3}},
        )
