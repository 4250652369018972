"""Fake Bluesky PDS checking XRPC calls against the documented lexicons."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
from datetime import datetime
from typing import Any

import regex

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

TID_RE = regex.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
RKEY_RE = regex.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
FACET_TYPES = {
    "app.bsky.richtext.facet#link",
    "app.bsky.richtext.facet#mention",
    "app.bsky.richtext.facet#tag",
}


class BlueskyFake(FakeServer):
    def __init__(
        self, handle: str = "clinic.bsky.social", password: str = "app-pass-abcd-efgh"
    ) -> None:
        super().__init__()
        self.handle = handle
        self.password = password
        self.did = "did:plc:clinic0000000000000000000"
        self.handles = {handle: self.did, "drjones.bsky.social": "did:plc:drjones00000000000000000"}
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.blobs: dict[str, dict[str, Any]] = {}
        self.records: dict[str, dict[str, Any]] = {}  # rkey -> {"uri","cid","value"}
        self.sessions_created = 0
        self._state = threading.Lock()
        self._n = itertools.count(1)
        for nsid, method, fn in (
            ("com.atproto.server.createSession", "POST", self.create_session),
            ("com.atproto.server.refreshSession", "POST", self.refresh_session),
            ("com.atproto.server.getSession", "GET", self.get_session),
            ("com.atproto.repo.uploadBlob", "POST", self.upload_blob),
            ("com.atproto.repo.createRecord", "POST", self.create_record),
            ("com.atproto.repo.getRecord", "GET", self.get_record),
            ("com.atproto.repo.deleteRecord", "POST", self.delete_record),
            ("com.atproto.repo.listRecords", "GET", self.list_records),
            ("com.atproto.identity.resolveHandle", "GET", self.resolve_handle),
            ("app.bsky.feed.getPosts", "GET", self.get_posts),
        ):
            self.route(method, f"/xrpc/{nsid}", fn)

    # -- helpers
    def error_body(self, status: int, message: str) -> Any:
        name = {429: "RateLimitExceeded", 500: "InternalServerError"}.get(status, "InvalidRequest")
        return {"error": name, "message": message}

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(400, {"error": "ExpiredToken", "message": "Token has expired"})

    def issue_session(self) -> tuple[str, str]:
        access = "eyJ0eXAiOiJhdCtqd3Qi." + secrets.token_urlsafe(16) + ".sig" + secrets.token_hex(8)
        refresh = (
            "eyJ0eXAiOiJyZWZyZXNoIn0." + secrets.token_urlsafe(16) + ".sig" + secrets.token_hex(8)
        )
        with self._state:
            self.access.add(access)
            self.refresh.add(refresh)
        return access, refresh

    def expire_access_tokens(self) -> None:
        with self._state:
            self.access.clear()

    def _bad(self, req: FakeRequest, message: str, error: str = "InvalidRequest") -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        return FakeResponse(400, {"error": error, "message": message})

    def _auth(self, req: FakeRequest) -> FakeResponse | None:
        auth = req.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            self.violation(f"{req.path}: missing bearer token")
            return FakeResponse(401, {"error": "AuthMissing", "message": "Authentication Required"})
        if auth[7:] not in self.access:
            return self.expired_token(req)
        return None

    def _session_body(self, access: str, refresh: str) -> dict[str, Any]:
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": self.handle,
            "did": self.did,
            "active": True,
        }

    def _json(self, req: FakeRequest) -> dict[str, Any] | None:
        if req.content_type != "application/json":
            return None
        body = req.json()
        return body if isinstance(body, dict) else None

    # -- server
    def create_session(self, req: FakeRequest) -> FakeResponse:
        body = self._json(req)
        if body is None or "identifier" not in body or "password" not in body:
            return self._bad(req, "identifier and password are required (JSON)")
        if body["identifier"] not in (self.handle, self.did) or body["password"] != self.password:
            return FakeResponse(
                401,
                {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            )
        self.sessions_created += 1
        return FakeResponse(200, self._session_body(*self.issue_session()))

    def refresh_session(self, req: FakeRequest) -> FakeResponse:
        token = req.headers.get("authorization", "").removeprefix("Bearer ")
        with self._state:
            valid = token in self.refresh
            self.refresh.discard(token)  # refresh tokens are single use
        if not valid:
            return FakeResponse(400, {"error": "ExpiredToken", "message": "Token has been revoked"})
        return FakeResponse(200, self._session_body(*self.issue_session()))

    def get_session(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        return FakeResponse(200, {"handle": self.handle, "did": self.did, "active": True})

    # -- repo
    def upload_blob(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        if not req.content_type.startswith("image/"):
            return self._bad(req, f"unexpected blob content type {req.content_type!r}")
        cid = "bafkrei" + hashlib.sha256(req.body).hexdigest()[:52]
        blob = {
            "$type": "blob",
            "ref": {"$link": cid},
            "mimeType": req.content_type,
            "size": len(req.body),
        }
        self.blobs[cid] = blob
        return FakeResponse(200, {"blob": blob})

    def create_record(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        body = self._json(req)
        if body is None:
            return self._bad(req, "body must be JSON")
        if body.get("repo") not in (self.did, self.handle):
            return self._bad(req, "repo must be the session's DID or handle")
        if body.get("collection") != "app.bsky.feed.post":
            return self._bad(req, "unexpected collection")
        rkey = body.get("rkey") or self._tid()
        if not RKEY_RE.match(rkey) or rkey in (".", ".."):
            return self._bad(req, "Invalid record key syntax")
        if not TID_RE.match(rkey):  # app.bsky.feed.post uses key type "tid"
            return self._bad(req, "Invalid record key: must be a TID for app.bsky.feed.post")
        problem = self._check_post(body.get("record"))
        if problem:
            return self._bad(req, problem)
        uri = f"at://{self.did}/app.bsky.feed.post/{rkey}"
        with self._state:
            if rkey in self.records:
                return FakeResponse(
                    400, {"error": "InvalidRequest", "message": f"Record already exists at {uri}"}
                )
            cid = "bafyrei" + hashlib.sha256(repr(body["record"]).encode()).hexdigest()[:52]
            self.records[rkey] = {"uri": uri, "cid": cid, "value": body["record"]}
        return FakeResponse(200, {"uri": uri, "cid": cid, "validationStatus": "valid"})

    def _tid(self) -> str:
        return "3l" + f"{next(self._n):011d}".translate(str.maketrans("0123456789", "234567abcd"))

    def _check_post(self, record: Any) -> str | None:
        if not isinstance(record, dict) or record.get("$type") != "app.bsky.feed.post":
            return "record.$type must be app.bsky.feed.post"
        text = record.get("text")
        if not isinstance(text, str):
            return "record.text is required"
        if len(regex.findall(r"\X", text)) > 300 or len(text.encode()) > 3000:
            return "Record/text must not be longer than 300 graphemes"
        try:
            datetime.fromisoformat(str(record.get("createdAt")).replace("Z", "+00:00"))
        except ValueError:
            return "record.createdAt must be a datetime"
        raw = text.encode("utf-8")
        for facet in record.get("facets", []):
            problem = self._check_facet(raw, facet)
            if problem:
                return problem
        embed = record.get("embed")
        if embed is not None:
            if embed.get("$type") != "app.bsky.embed.images":
                return "unsupported embed"
            images = embed.get("images", [])
            if not 1 <= len(images) <= 4:
                return "embed.images must have 1 to 4 images"
            for image in images:
                if not isinstance(image.get("alt"), str):
                    return "embed.images[].alt is required"
                blob = image.get("image", {})
                known = self.blobs.get(blob.get("ref", {}).get("$link"))
                if known is None or known != blob:
                    return "embed.images[].image must be an uploaded blob"
                if blob["size"] > 1_000_000:
                    return "image is too large (max 1000000 bytes)"
        return None

    def _check_facet(self, raw: bytes, facet: dict[str, Any]) -> str | None:
        index = facet.get("index", {})
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(raw)):
            return f"facet index out of range: {index}"
        try:
            covered = raw[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return f"facet {index} splits a UTF-8 character"
        for feature in facet.get("features", []):
            kind = feature.get("$type")
            if kind not in FACET_TYPES:
                return f"unknown facet feature {kind}"
            if kind.endswith("#tag"):
                if covered != "#" + feature.get("tag", "") or feature["tag"].startswith("#"):
                    return f"tag facet covers {covered!r} but tag is {feature.get('tag')!r}"
            elif kind.endswith("#mention"):
                if self.handles.get(covered.removeprefix("@")) != feature.get("did"):
                    return f"mention facet {covered!r} has the wrong did"
            elif not feature.get("uri", "").startswith(("http://", "https://")) or (
                covered.rstrip("/") not in feature["uri"]
            ):
                return f"link facet covers {covered!r} but uri is {feature.get('uri')!r}"
        return None

    def get_record(self, req: FakeRequest) -> FakeResponse:
        record = self.records.get(req.q("rkey") or "")
        if record is None or req.q("repo") not in (self.did, self.handle):
            return FakeResponse(
                400, {"error": "RecordNotFound", "message": "Could not locate record"}
            )
        return FakeResponse(200, record)

    def delete_record(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        body = self._json(req) or {}
        if body.get("collection") != "app.bsky.feed.post" or body.get("repo") != self.did:
            return self._bad(req, "deleteRecord needs repo and collection")
        self.records.pop(body.get("rkey", ""), None)  # deleting a missing record succeeds
        return FakeResponse(200, {})

    def list_records(self, req: FakeRequest) -> FakeResponse:
        if req.q("repo") not in (self.did, self.handle) or not req.q("collection"):
            return self._bad(req, "listRecords needs repo and collection")
        limit = int(req.q("limit", "50") or 50)
        if not 1 <= limit <= 100:
            return self._bad(req, "limit must be 1..100")
        newest = sorted(self.records.items(), key=lambda kv: kv[0], reverse=True)
        return FakeResponse(200, {"records": [r for _, r in newest[:limit]]})

    def resolve_handle(self, req: FakeRequest) -> FakeResponse:
        did = self.handles.get(req.q("handle") or "")
        if did is None:
            return FakeResponse(
                400, {"error": "InvalidRequest", "message": "Unable to resolve handle"}
            )
        return FakeResponse(200, {"did": did})

    def get_posts(self, req: FakeRequest) -> FakeResponse:
        if denied := self._auth(req):
            return denied
        uris = req.query.get("uris", [])
        posts = [
            {
                "uri": r["uri"],
                "cid": r["cid"],
                "likeCount": 3,
                "repostCount": 1,
                "replyCount": 2,
                "quoteCount": 0,
            }
            for r in self.records.values()
            if r["uri"] in uris
        ]
        return FakeResponse(200, {"posts": posts})
