"""Instagram (professional account) publishing through the Graph API.

Documented two-step flow (Content Publishing guide):
1. POST /{ig-user-id}/media {image_url, caption, alt_text} → {"id": container}
   (a carousel: one container per image with ``is_carousel_item=true``, then
   one with ``media_type=CAROUSEL`` and ``children``);
2. wait until GET /{container}?fields=status_code is FINISHED;
3. POST /{ig-user-id}/media_publish {creation_id} → {"id": media};
then GET /{media}?fields=permalink for the URL.
An image is required, and Instagram fetches it itself: each Media needs a
public ``url``. Captions: 2,200 characters, 30 hashtags, 20 mentions.
Instagram's API cannot delete posts; at most 50 API posts per 24 hours.
"""

from __future__ import annotations

import time
from typing import Any

from bedside.channels.connectors._common import parse_datetime, text_with_link
from bedside.channels.connectors._graph import GraphConnector
from bedside.channels.connectors.base import (
    AccountInfo,
    PublishRequest,
    PublishResult,
    RecentPost,
    preparatory,
)
from bedside.channels.limits import check
from bedside.core.http import HttpError, RetryableError, TerminalError


class InstagramConnector(GraphConnector):
    """Publisher, CredentialValidator, RecentPostsSource, MetricsSource."""

    type = "instagram"
    display_name = "Instagram"
    idempotent_publish = False
    required_settings = ("ig_user_id",)

    @property
    def user(self) -> str:
        return str(self.settings["ig_user_id"])

    def _rejected(self, why: str) -> TerminalError:
        return TerminalError(why, kind="rejected", user_message=why, service=self.display_name)

    def publish(self, request: PublishRequest) -> PublishResult:
        caption = text_with_link(request)
        verdict = check("instagram", caption, len(request.media))
        if not verdict.ok:
            raise self._rejected(verdict.message)
        if any(not m.url for m in request.media):
            raise self._rejected(
                "Instagram fetches images from a public address, and this image has none. "
                "Re-upload the image and try again."
            )
        if len(request.media) == 1:
            m = request.media[0]
            container = self._container(
                {"image_url": m.url, "caption": caption, "alt_text": m.alt_text}
            )
        else:
            children = [
                self._container(
                    {"image_url": m.url, "is_carousel_item": "true", "alt_text": m.alt_text}
                )
                for m in request.media
            ]
            for child in children:
                self._wait_finished(child)
            container = self._container(
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
            )
        self._wait_finished(container)
        media_id = str(
            self._graph(
                "POST", f"{self.user}/media_publish", data={"creation_id": container}
            ).json()["id"]
        )
        try:  # the post exists now: a failure here must not make anyone re-send it
            fields = self._graph("GET", media_id, params={"fields": "permalink"}).json()
            permalink = fields.get("permalink")
        except HttpError:
            permalink = None
        return PublishResult(external_id=media_id, url=permalink)

    @preparatory
    def _container(self, fields: dict[str, Any]) -> str:
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        return str(self._graph("POST", f"{self.user}/media", data=fields).json()["id"])

    @preparatory
    def _wait_finished(self, container: str) -> None:
        interval = float(self.settings.get("poll_interval", 2.0))
        for _ in range(int(self.settings.get("poll_attempts", 30))):
            status = (
                self._graph("GET", container, params={"fields": "status_code"})
                .json()
                .get("status_code")
            )
            if status in (None, "FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                raise self._rejected(
                    "Instagram could not process the image (use a JPEG under 8 MB). "
                    "Replace the image and try again."
                )
            time.sleep(interval)
        raise RetryableError("Instagram is still processing the image", service=self.display_name)

    def delete(self, external_id: str) -> None:
        raise TerminalError(
            "Instagram API cannot delete media",
            kind="config",
            user_message="Instagram does not let apps delete posts. Delete it in the Instagram app.",
            service=self.display_name,
        )

    def validate(self) -> AccountInfo:
        data = self._graph("GET", self.user, params={"fields": "id,username,name"}).json()
        username = str(data.get("username", ""))
        return AccountInfo(
            external_id=str(data["id"]),
            name=str(data.get("name") or username),
            handle="@" + username,
            url=f"https://www.instagram.com/{username}/",
        )

    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        data = self._graph(
            "GET",
            f"{self.user}/media",
            params={"fields": "id,caption,timestamp,permalink", "limit": min(limit, 100)},
        ).json()
        return [
            RecentPost(str(p["id"]), str(p.get("caption", "")), parse_datetime(p.get("timestamp")))
            for p in data.get("data", [])
        ]

    def fetch_metrics(self, external_id: str) -> dict[str, int]:
        data = self._graph(
            "GET", external_id, params={"fields": "like_count,comments_count"}
        ).json()
        return {
            "likes": int(data.get("like_count", 0)),
            "comments": int(data.get("comments_count", 0)),
        }
