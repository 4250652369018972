"""The practice's own site: a post becomes a blog entry, and so an item of its
RSS and Atom feeds (/p/<slug>/feed.xml, atom.xml).

Unlike the other connectors this one calls into Bedside itself, through the
community app's service; it is idempotent per content post, so a re-send after
an unknown outcome updates the same entry.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from bedside.channels.connectors.base import AccountInfo, Connector, PublishRequest, PublishResult
from bedside.core.http import TerminalError

TITLE_MAX = 80


def title_for(request: PublishRequest) -> str:
    """The post's title if it has one, else its first line, cut at a word."""
    title = str(request.metadata.get("title") or "").strip()
    if title:
        return title[:200]
    first = request.text.strip().splitlines()[0] if request.text.strip() else "Update"
    if len(first) <= TITLE_MAX:
        return first
    return first[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


class SiteConnector(Connector):
    type = "site"
    display_name = "the practice site"
    idempotent_publish = True
    required_settings = ("practice_id",)

    def _practice(self):  # type: ignore[no-untyped-def]
        from bedside.core.models import Practice

        try:
            return Practice.objects.get(pk=self.settings["practice_id"])
        except Practice.DoesNotExist:
            raise TerminalError(
                "practice not found",
                kind="config",
                user_message="This site channel belongs to no practice.",
                service=self.display_name,
            ) from None

    def _url(self, practice, entry_slug: str) -> str:  # type: ignore[no-untyped-def]
        path = reverse("site:blog_entry", args=[practice.slug, entry_slug])
        return django_settings.BEDSIDE_BASE_URL.rstrip("/") + path

    def publish(self, request: PublishRequest) -> PublishResult:
        from django.core.exceptions import ValidationError

        from bedside.community.services import blog_entry_publish

        practice = self._practice()
        image, alt_text = None, ""
        if request.media:
            first = request.media[0]
            ext = "png" if first.mime == "image/png" else "jpg"
            image, alt_text = ContentFile(first.data, name=f"post.{ext}"), first.alt_text
        post_id = request.metadata.get("post_id")
        try:
            entry = blog_entry_publish(
                practice=practice,
                title=title_for(request),
                body=request.text,
                source_post_id=int(post_id) if post_id is not None else None,
                image=image,
                alt_text=alt_text,
            )
        except ValidationError as exc:
            raise TerminalError(
                f"site rejected the entry: {sorted(getattr(exc, 'message_dict', {}))}",
                kind="rejected",
                user_message="The practice site could not publish this post: "
                + " ".join(exc.messages),
                service=self.display_name,
            ) from None
        return PublishResult(external_id=str(entry.pk), url=self._url(practice, entry.slug))

    def edit(self, external_id: str, request: PublishRequest) -> PublishResult:
        """Update the blog entry in place (same address; the feeds show the new text)."""
        from django.core.exceptions import ValidationError

        from bedside.community.models import BlogEntry
        from bedside.community.services import blog_entry_edit

        try:
            entry = blog_entry_edit(
                entry_id=int(external_id), title=title_for(request), body=request.text
            )
        except (BlogEntry.DoesNotExist, ValueError):
            raise self._gone() from None
        except ValidationError as exc:
            raise TerminalError(
                "site rejected the edit",
                kind="rejected",
                user_message="The practice site could not take this edit: "
                + " ".join(exc.messages),
                service=self.display_name,
            ) from None
        return PublishResult(external_id=str(entry.pk), url=self._url(entry.practice, entry.slug))

    def _gone(self) -> TerminalError:
        return TerminalError(
            "blog entry not found",
            kind="not_found",
            user_message="That entry is no longer on the practice site.",
            service=self.display_name,
        )

    def delete(self, external_id: str) -> None:
        from bedside.community.models import BlogEntry
        from bedside.community.services import blog_entry_unpublish

        try:
            blog_entry_unpublish(entry_id=int(external_id))
        except (BlogEntry.DoesNotExist, ValueError):
            raise self._gone() from None

    def validate(self) -> AccountInfo:
        practice = self._practice()
        url = django_settings.BEDSIDE_BASE_URL.rstrip("/") + reverse(
            "site:home", args=[practice.slug]
        )
        return AccountInfo(
            external_id=practice.slug, name=practice.name, handle=practice.slug, url=url
        )
