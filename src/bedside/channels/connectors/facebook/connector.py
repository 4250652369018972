"""Facebook Page publishing through the Graph API with a Page access token.

* text (and link): POST /{page-id}/feed {message, link?} → {"id": "<page>_<post>"};
* one image: POST /{page-id}/photos (multipart ``source``, ``message``,
  ``alt_text_custom``) → {"id": photo, "post_id"};
* several images: each POST /{page-id}/photos with ``published=false``, then
  POST /{page-id}/feed with ``attached_media[i]={"media_fbid": id}``;
* edit: POST /{page-post-id} {message} with the Page access token (Pages API,
  "update a post") → {"success": true};
* DELETE /{post-id}; GET /{page-id}?fields=id,name,link;
  GET /{page-id}/posts?fields=id,message,created_time,permalink_url;
  GET /{post-id}?fields=reactions.summary(total_count),comments.summary(total_count),shares.
No idempotency key: after an unknown outcome, check ``recent_posts``.
"""

from __future__ import annotations

import json
from typing import Any

from bedside.channels.connectors._common import filename_for, parse_datetime, text_with_link
from bedside.channels.connectors._graph import GraphConnector
from bedside.channels.connectors.base import (
    AccountInfo,
    Media,
    PublishRequest,
    PublishResult,
    RecentPost,
    preparatory,
)
from bedside.core.http import TerminalError


class FacebookConnector(GraphConnector):
    """Publisher, Editor, CredentialValidator, RecentPostsSource, MetricsSource."""

    type = "facebook"
    display_name = "Facebook"
    idempotent_publish = False
    required_settings = ("page_id",)

    @property
    def page(self) -> str:
        return str(self.settings["page_id"])

    def publish(self, request: PublishRequest) -> PublishResult:
        if len(request.media) == 1:
            data = self._photo(request.media[0], text_with_link(request), published=True)
            post_id = str(data.get("post_id") or data["id"])
        else:
            form: dict[str, Any] = {"message": request.text}
            if request.link:
                form["link"] = request.link
            if request.media:
                form["message"] = text_with_link(request)
                form.pop("link", None)
                for i, m in enumerate(request.media):
                    photo = self._unpublished_photo(m)
                    form[f"attached_media[{i}]"] = json.dumps({"media_fbid": str(photo["id"])})
            post_id = str(self._graph("POST", f"{self.page}/feed", data=form).json()["id"])
        return PublishResult(external_id=post_id, url=f"https://www.facebook.com/{post_id}")

    @preparatory
    def _unpublished_photo(self, media: Media) -> dict[str, Any]:
        return self._photo(media, "", published=False)

    def _photo(self, media: Media, message: str, *, published: bool) -> dict[str, Any]:
        data: dict[str, Any] = {"published": "true" if published else "false"}
        if message:
            data["message"] = message
        if media.alt_text:
            data["alt_text_custom"] = media.alt_text
        return dict(
            self._graph(
                "POST",
                f"{self.page}/photos",
                data=data,
                files={"source": (filename_for(media.mime, 0), media.data, media.mime)},
            ).json()
        )

    def edit(self, external_id: str, request: PublishRequest) -> PublishResult:
        self._graph("POST", external_id, data={"message": text_with_link(request)})
        return PublishResult(external_id=external_id, url=f"https://www.facebook.com/{external_id}")

    def delete(self, external_id: str) -> None:
        try:
            self._graph("DELETE", external_id)
        except TerminalError as exc:
            if exc.kind != "not_found":
                raise

    def validate(self) -> AccountInfo:
        page = self._graph("GET", self.page, params={"fields": "id,name,link"}).json()
        return AccountInfo(
            external_id=str(page["id"]), name=str(page.get("name", "")), url=page.get("link")
        )

    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        data = self._graph(
            "GET",
            f"{self.page}/posts",
            params={"fields": "id,message,created_time,permalink_url", "limit": min(limit, 100)},
        ).json()
        return [
            RecentPost(
                str(p["id"]), str(p.get("message", "")), parse_datetime(p.get("created_time"))
            )
            for p in data.get("data", [])
        ]

    def fetch_metrics(self, external_id: str) -> dict[str, int]:
        data = self._graph(
            "GET",
            external_id,
            params={
                "fields": "reactions.summary(total_count),comments.summary(total_count),shares"
            },
        ).json()
        return {
            "reactions": int(data.get("reactions", {}).get("summary", {}).get("total_count", 0)),
            "comments": int(data.get("comments", {}).get("summary", {}).get("total_count", 0)),
            "shares": int(data.get("shares", {}).get("count", 0)),
        }
