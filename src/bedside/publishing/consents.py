"""Which posts used a patient's consent, and what happens when it is revoked.

Registered with compliance's CONSENT_USAGE_PROVIDERS (see apps.py). A post "used"
a consent when one of its stored findings was turned into a note by that consent.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from bedside.compliance.services import ConsentUsage


def _posts_using(consent: Any):  # type: ignore[no-untyped-def]
    from bedside.content.models import Post

    for post in Post.objects.filter(practice_id=consent.practice_id).exclude(findings=[]):
        if any(f.get("consent_id") == consent.pk for f in post.findings):
            yield post


class PostsUsingConsent:
    def __call__(self, consent: Any) -> list[ConsentUsage]:
        return [
            ConsentUsage(
                kind="post",
                id=post.pk,
                title=post.title,
                url=reverse("content:post_detail", args=[post.pk]),
            )
            for post in _posts_using(consent)
        ]

    def on_revoke(self, consent: Any, usages: list[ConsentUsage], *, actor: Any) -> None:
        """Published copies are queued for removal; unsent ones lose their approval."""
        from bedside.content.models import PostState
        from bedside.content.services import post_consent_revoked
        from bedside.publishing.models import Delivery, DeliveryState
        from bedside.publishing.services import delivery_remove_request

        ids = [int(u.id) for u in usages if u.kind == "post"]
        for delivery in Delivery.objects.filter(
            post_id__in=ids, state=DeliveryState.PUBLISHED, remove_requested_at__isnull=True
        ):
            delivery_remove_request(actor=None, delivery=delivery, reason="consent_revoked")
        from bedside.content.models import Post

        for post in Post.objects.filter(
            pk__in=ids, state__in=[PostState.IN_REVIEW, PostState.APPROVED, PostState.SCHEDULED]
        ):
            post_consent_revoked(post=post, actor=actor)
