"""Fake Meta Graph API: Facebook Page feed/photos and Instagram content publishing.

Checks the documented rules: ``access_token`` as a parameter (never missing),
form or multipart bodies, required fields, message/caption limits, an
``image_url`` for Instagram containers, publish only FINISHED containers, and
a container can be published once. Errors use the Graph error shape.
"""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, datetime
from typing import Any

from bedside.channels.limits import check
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

VERSION = "v21.0"


def graph_error(
    message: str, code: int, subcode: int | None = None, kind: str = "OAuthException"
) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "AbCdEf123",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class MetaGraphFake(FakeServer):
    def __init__(self, token: str = "EAAG-page-token-0123456789") -> None:
        super().__init__()
        self.token = token
        self.page_id = "104000000000001"
        self.ig_user_id = "17841400000000001"
        self.posts: dict[str, dict[str, Any]] = {}  # facebook post id -> post
        self.photos: dict[str, dict[str, Any]] = {}
        self.containers: dict[str, dict[str, Any]] = {}
        self.ig_media: dict[str, dict[str, Any]] = {}
        self.container_polls_before_finished = 0
        self._ids = itertools.count(1)
        self._state = threading.Lock()
        v = f"/{VERSION}"
        self.route("POST", v + "/{node}/feed", self.page_feed)
        self.route("POST", v + "/{node}/photos", self.page_photos)
        self.route("GET", v + "/{node}/posts", self.page_posts)
        self.route("POST", v + "/{node}/media", self.ig_container)
        self.route("POST", v + "/{node}/media_publish", self.ig_publish)
        self.route("GET", v + "/{node}/media", self.ig_list)
        self.route("GET", v + "/{node}", self.get_node)
        self.route("POST", v + "/{node}", self.update_node)
        self.route("DELETE", v + "/{node}", self.delete_node)

    @property
    def graph_url(self) -> str:
        return f"{self.url}/{VERSION}"

    def error_body(self, status: int, message: str) -> Any:
        if status == 429:
            return graph_error("(#4) Application request limit reached", 4, kind="OAuthException")
        return graph_error(message, 2 if status >= 500 else 100, kind="FacebookApiException")

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        return FakeResponse(
            400,
            graph_error(
                "Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT.",
                190,
                463,
            ),
        )

    # -- helpers
    def _params(self, req: FakeRequest) -> dict[str, str]:
        params = {k: v[0] for k, v in req.query.items()}
        if req.method == "POST":
            if req.content_type == "application/x-www-form-urlencoded":
                params.update({k: v[0] for k, v in req.form().items()})
            elif req.content_type == "multipart/form-data":
                params.update(
                    {
                        k: v[0].decode("utf-8", "replace")
                        for k, v in req.multipart().items()
                        if k != "source"
                    }
                )
            elif req.content_type == "application/json":
                params.update({k: str(v) for k, v in req.json().items()})
        return params

    def _auth(self, req: FakeRequest, params: dict[str, str]) -> FakeResponse | None:
        if "access_token" not in params:
            self.violation(f"{req.method} {req.path}: no access_token parameter")
            return FakeResponse(
                400,
                graph_error(
                    "An active access token must be used to query information about the current user.",
                    2500,
                ),
            )
        if params["access_token"] != self.token:
            return self.expired_token(req)
        return None

    def _bad(self, req: FakeRequest, message: str, code: int = 100) -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        return FakeResponse(400, graph_error(f"(#{code}) {message}", code, kind="OAuthException"))

    def _id(self) -> str:
        with self._state:
            return str(900000000000000 + next(self._ids))

    # -- Facebook Page
    def page_feed(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        if req.params["node"] != self.page_id:
            return self._bad(req, "Unsupported post request: unknown page", 100)
        message = p.get("message", "")
        attached = [json.loads(v) for k, v in sorted(p.items()) if k.startswith("attached_media[")]
        if not message and not p.get("link") and not attached:
            return self._bad(req, "message, link or attached_media is required")
        if len(message) > 63206:
            return FakeResponse(400, graph_error("(#100) The message is too long", 100))
        for item in attached:
            photo = self.photos.get(item.get("media_fbid"))
            if photo is None or photo["published"]:
                return self._bad(req, "attached_media must be unpublished photos of this page")
        post_id = f"{self.page_id}_{self._id()}"
        self.posts[post_id] = {
            "id": post_id,
            "message": message,
            "link": p.get("link"),
            "attached": attached,
            "created_time": _now(),
        }
        return FakeResponse(200, {"id": post_id})

    def page_photos(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        parts = req.multipart()
        if "source" not in parts and "url" not in p:
            return self._bad(req, "source (multipart) or url is required", 324)
        if "source" in parts and not parts["source"][1].get("content-type", "").startswith(
            "image/"
        ):
            return self._bad(req, "source must be an image")
        photo_id = self._id()
        published = p.get("published", "true") != "false"
        self.photos[photo_id] = {
            "published": published,
            "message": p.get("message"),
            "alt_text_custom": p.get("alt_text_custom"),
        }
        body: dict[str, Any] = {"id": photo_id}
        if published:
            post_id = f"{self.page_id}_{self._id()}"
            self.posts[post_id] = {
                "id": post_id,
                "message": p.get("message", ""),
                "photo": photo_id,
                "created_time": _now(),
            }
            body["post_id"] = post_id
        return FakeResponse(200, body)

    def page_posts(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        limit = int(p.get("limit", "25"))
        if limit > 100:
            return self._bad(req, "limit must be at most 100")
        newest = sorted(self.posts.values(), key=lambda x: x["id"], reverse=True)[:limit]
        return FakeResponse(
            200,
            {
                "data": [
                    {
                        "id": x["id"],
                        "message": x["message"],
                        "created_time": x["created_time"],
                        "permalink_url": f"https://www.facebook.com/{x['id']}",
                    }
                    for x in newest
                ]
            },
        )

    # -- Instagram
    def ig_container(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        if req.params["node"] != self.ig_user_id:
            return self._bad(req, "unknown IG user")
        if req.content_type == "multipart/form-data":
            return self._bad(req, "Instagram takes image_url, not uploaded bytes")
        media_type = p.get("media_type", "IMAGE")
        caption = p.get("caption", "")
        if media_type == "CAROUSEL":
            children = [c for c in p.get("children", "").split(",") if c]
            if not 2 <= len(children) <= 10 or any(c not in self.containers for c in children):
                return self._bad(req, "children must list 2 to 10 carousel item containers")
        elif not p.get("image_url", "").startswith(("http://", "https://")):
            return self._bad(req, "image_url is required and must be a public URL", 9004)
        if p.get("is_carousel_item") == "true" and caption:
            return self._bad(req, "carousel items take no caption")
        verdict = check("instagram", caption, 1)
        if not verdict.ok:
            return FakeResponse(400, graph_error(f"(#100) {verdict.message}", 100, 2207028))
        container = self._id()
        self.containers[container] = {**p, "media_type": media_type, "polls": 0, "published": False}
        self.containers[container].pop("access_token", None)
        return FakeResponse(200, {"id": container})

    def ig_publish(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        container = self.containers.get(p.get("creation_id", ""))
        if container is None:
            return self._bad(req, "creation_id is not a container of this user", 100)
        if container["polls"] < self.container_polls_before_finished:
            return self._bad(req, "Media ID is not available (publish before FINISHED)", 9007)
        if container["published"]:
            return FakeResponse(
                400, graph_error("(#9007) The media has already been published", 9007, 2207027)
            )
        container["published"] = True
        media_id = self._id()
        self.ig_media[media_id] = {
            "id": media_id,
            "caption": container.get("caption", ""),
            "timestamp": _now(),
            "permalink": f"https://www.instagram.com/p/FAKE{media_id}/",
            "container": container,
        }
        return FakeResponse(200, {"id": media_id})

    def ig_list(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        newest = sorted(self.ig_media.values(), key=lambda m: m["id"], reverse=True)[
            : int(p.get("limit", "25"))
        ]
        return FakeResponse(
            200,
            {
                "data": [
                    {k: m[k] for k in ("id", "caption", "timestamp", "permalink")} for m in newest
                ]
            },
        )

    # -- nodes
    def get_node(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        node = req.params["node"]
        fields = set(p.get("fields", "").split(","))
        if node == self.page_id:
            return FakeResponse(
                200,
                {
                    "id": node,
                    "name": "Riverside Clinic",
                    "link": "https://www.facebook.com/riverside",
                },
            )
        if node == self.ig_user_id:
            return FakeResponse(
                200, {"id": node, "username": "riversideclinic", "name": "Riverside Clinic"}
            )
        if node in self.containers:
            c = self.containers[node]
            c["polls"] += 1
            done = c["polls"] > self.container_polls_before_finished
            return FakeResponse(
                200, {"id": node, "status_code": "FINISHED" if done else "IN_PROGRESS"}
            )
        if node in self.ig_media:
            m = self.ig_media[node]
            body = {"id": node, "permalink": m["permalink"]}
            if "like_count" in fields:
                body.update(like_count=7, comments_count=2)
            return FakeResponse(200, body)
        if node in self.posts:
            return FakeResponse(
                200,
                {
                    "id": node,
                    "reactions": {"data": [], "summary": {"total_count": 4}},
                    "comments": {"data": [], "summary": {"total_count": 1}},
                    "shares": {"count": 2},
                },
            )
        return FakeResponse(
            404, graph_error(f"(#803) Some of the aliases you requested do not exist: {node}", 803)
        )

    def update_node(self, req: FakeRequest) -> FakeResponse:
        """Pages API "update a post": POST /{page-post-id} with message (form body), Page
        access token. Instagram media cannot be edited this way (captions are fixed)."""
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        if req.content_type != "application/x-www-form-urlencoded":
            return self._bad(req, "update a post with a form body")
        node = req.params["node"]
        if node in self.ig_media:
            return self._bad(req, "Instagram media captions cannot be updated", 100)
        post = self.posts.get(node)
        if post is None:
            return FakeResponse(
                400,
                graph_error(f"(#803) Some of the aliases you requested do not exist: {node}", 803),
            )
        message = p.get("message")
        if not message:
            return self._bad(req, "message is required to update a post")
        if len(message) > 63206:
            return FakeResponse(400, graph_error("(#100) The message is too long", 100))
        post["message"] = message
        post["edits"] = post.get("edits", 0) + 1
        return FakeResponse(200, {"success": True})

    def delete_node(self, req: FakeRequest) -> FakeResponse:
        p = self._params(req)
        if denied := self._auth(req, p):
            return denied
        if self.posts.pop(req.params["node"], None) is None:
            return FakeResponse(
                404, graph_error("(#803) Some of the aliases you requested do not exist", 803)
            )
        return FakeResponse(200, {"success": True})


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
