"""The community's consent usage provider: which published stories rely on a consent,
and unpublishing them when it is revoked (registered in apps.CommunityConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


class StoriesUsingConsent:
    """Lists the published stories under a consent; on revocation, unpublishes them all."""

    def __call__(self, consent: Any) -> list:
        from bedside.community.models import Story
        from bedside.compliance.services import ConsentUsage

        stories = Story.objects.filter(consent=consent, status=Story.Status.PUBLISHED)
        return [
            ConsentUsage(
                kind="community.story",
                id=s.pk,
                title=s.title,
                url=reverse("site:story", args=[s.practice.slug, s.pk]),
            )
            for s in stories.select_related("practice")
        ]

    def on_revoke(self, consent: Any, usages: list, *, actor: Any) -> None:
        """Runs inside the revoking transaction: the stories go down with the consent."""
        from bedside.community.models import Story
        from bedside.community.services.stories import story_unpublish

        for story in Story.objects.filter(consent=consent, status=Story.Status.PUBLISHED):
            story_unpublish(
                story=story, actor=getattr(actor, "user", actor), reason="consent_revoked"
            )


PROVIDER = StoriesUsingConsent()


def register() -> None:
    from bedside.compliance.services import CONSENT_USAGE_PROVIDERS

    if not any(isinstance(p, StoriesUsingConsent) for p in CONSENT_USAGE_PROVIDERS):
        CONSENT_USAGE_PROVIDERS.append(PROVIDER)
