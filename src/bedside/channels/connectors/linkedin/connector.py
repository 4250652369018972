"""LinkedIn Posts API (versioned REST) for an organization page or a member.

Documented calls (learn.microsoft.com/linkedin, "Posts API", "Images API"):
every request carries ``LinkedIn-Version: YYYYMM`` and
``X-Restli-Protocol-Version: 2.0.0``;
* POST /rest/posts {author, commentary, visibility, distribution,
  lifecycleState, isReshareDisabledByAuthor, content?} → 201, post URN in the
  ``x-restli-id`` header;
* images: POST /rest/images?action=initializeUpload {initializeUploadRequest:
  {owner}} → {value: {uploadUrl, image}}, then PUT the bytes to uploadUrl;
  content {"media": {"id", "altText"}} or {"multiImage": {"images": [...]}};
* edit: POST /rest/posts/{urn} with ``X-RestLi-Method: PARTIAL_UPDATE`` and
  {"patch": {"$set": {"commentary": ...}}} → 204 (only the commentary, and a
  few other fields, can change after publishing);
* DELETE /rest/posts/{urn} (X-RestLi-Method: DELETE);
  GET /rest/posts?q=author&author={urn} (X-RestLi-Method: FINDER);
  GET /rest/organizations/{id}; GET /v2/userinfo; GET /rest/socialActions/{urn}.
``commentary`` is "little text": reserved characters are backslash-escaped and
hashtags use the ``{hashtag|\\#|tag}`` template.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from bedside.channels.connectors._common import parse_datetime
from bedside.channels.connectors._oauth import OAuth2Connector
from bedside.channels.connectors.base import (
    AccountInfo,
    Media,
    PublishRequest,
    PublishResult,
    RecentPost,
    preparatory,
)
from bedside.channels.limits import find_urls
from bedside.core.http import TerminalError

DEFAULT_VERSION = "202510"
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")


def _escape_plain(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _HASHTAG.finditer(text):
        out.append(_RESERVED.sub(r"\\\1", text[pos : m.start()]))
        out.append("{hashtag|\\#|" + m.group(1) + "}")
        pos = m.end()
    out.append(_RESERVED.sub(r"\\\1", text[pos:]))
    return "".join(out)


def escape_little_text(text: str) -> str:
    """Escape LinkedIn "little text" reserved characters (unescaped, LinkedIn
    silently cuts the post at the first one); hashtags become hashtag templates
    and links are left intact so they still become links."""
    out: list[str] = []
    pos = 0
    for start, end in find_urls(text, bare=False):
        out.append(_escape_plain(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


class LinkedInConnector(OAuth2Connector):
    """Publisher, Editor, CredentialValidator, RecentPostsSource, MetricsSource."""

    type = "linkedin"
    display_name = "LinkedIn"
    idempotent_publish = False
    required_settings = ("author",)
    token_url_default = "https://www.linkedin.com/oauth/v2/accessToken"

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.base = self._base_url("https://api.linkedin.com")
        self.author = str(self.settings["author"])

    def _extra_headers(self) -> dict[str, str]:
        return {
            "LinkedIn-Version": str(self.settings.get("api_version") or DEFAULT_VERSION),
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def publish(self, request: PublishRequest) -> PublishResult:
        body: dict[str, Any] = {
            "author": self.author,
            "commentary": escape_little_text(request.text),
            "visibility": self.settings.get("visibility", "PUBLIC"),
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(request.media) == 1:
            m = request.media[0]
            body["content"] = {"media": {"id": self._upload(m), "altText": m.alt_text}}
        elif request.media:
            images = [{"id": self._upload(m), "altText": m.alt_text} for m in request.media]
            body["content"] = {"multiImage": {"images": images}}
        elif request.link:
            title = str(request.metadata.get("title") or request.link)[:400]
            body["content"] = {"article": {"source": request.link, "title": title}}
        response = self._bearer("POST", f"{self.base}/rest/posts", json=body)
        urn = response.headers.get("x-restli-id") or response.json_or_empty().get("id")
        if not urn:
            raise TerminalError(
                "LinkedIn answered without a post id",
                kind="rejected",
                user_message="LinkedIn did not confirm the post. Check the page before retrying.",
                service=self.display_name,
            )
        return PublishResult(external_id=urn, url=f"https://www.linkedin.com/feed/update/{urn}/")

    @preparatory
    def _upload(self, media: Media) -> str:
        init = self._bearer(
            "POST",
            f"{self.base}/rest/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self.author}},
        ).json()["value"]
        self._bearer(
            "PUT", init["uploadUrl"], content=media.data, headers={"Content-Type": media.mime}
        )
        return str(init["image"])

    def edit(self, external_id: str, request: PublishRequest) -> PublishResult:
        self._bearer(
            "POST",
            f"{self.base}/rest/posts/{quote(external_id, safe='')}",
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
            json={"patch": {"$set": {"commentary": escape_little_text(request.text)}}},
        )
        return PublishResult(
            external_id=external_id, url=f"https://www.linkedin.com/feed/update/{external_id}/"
        )

    def delete(self, external_id: str) -> None:
        try:
            self._bearer(
                "DELETE",
                f"{self.base}/rest/posts/{quote(external_id, safe='')}",
                headers={"X-RestLi-Method": "DELETE"},
            )
        except TerminalError as exc:
            if exc.kind != "not_found":
                raise

    def validate(self) -> AccountInfo:
        if self.author.startswith("urn:li:organization:"):
            org_id = self.author.rsplit(":", 1)[1]
            org = self._bearer("GET", f"{self.base}/rest/organizations/{org_id}").json()
            vanity = org.get("vanityName", "")
            return AccountInfo(
                external_id=self.author,
                name=str(org.get("localizedName", "")),
                handle=str(vanity),
                url=f"https://www.linkedin.com/company/{vanity}/" if vanity else None,
            )
        info = self._bearer("GET", f"{self.base}/v2/userinfo").json()
        return AccountInfo(
            external_id=f"urn:li:person:{info['sub']}", name=str(info.get("name", ""))
        )

    def recent_posts(self, limit: int = 20) -> list[RecentPost]:
        query = f"q=author&author={quote(self.author, safe='')}&count={min(limit, 100)}&sortBy=LAST_MODIFIED"
        data = self._bearer(
            "GET", f"{self.base}/rest/posts?{query}", headers={"X-RestLi-Method": "FINDER"}
        ).json()
        return [
            RecentPost(
                str(p["id"]),
                _unescape(str(p.get("commentary", ""))),
                parse_datetime(p["createdAt"] / 1000) if p.get("createdAt") else None,
            )
            for p in data.get("elements", [])
        ]

    def fetch_metrics(self, external_id: str) -> dict[str, int]:
        data = self._bearer(
            "GET", f"{self.base}/rest/socialActions/{quote(external_id, safe='')}"
        ).json()
        return {
            "likes": int(data.get("likesSummary", {}).get("totalLikes", 0)),
            "comments": int(data.get("commentsSummary", {}).get("aggregatedTotalComments", 0)),
        }


def _unescape(text: str) -> str:
    text = re.sub(r"\{hashtag\|\\#\|([^}]*)\}", r"#\1", text)
    return re.sub(r"\\(.)", r"\1", text)
