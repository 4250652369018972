from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bedside.accounts.models import ApiToken, Invitation, Membership


def membership_list(*, practice) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(practice=practice).select_related("user").order_by("user__email")
    )


def membership_get_for_actor(*, actor: Membership, id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), practice=actor.practice, pk=id
    )


def invitation_list_open(*, practice) -> QuerySet[Invitation]:
    from django.utils import timezone

    return Invitation.objects.filter(
        practice=practice,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def api_token_list(*, actor: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=actor).order_by("-created_at")
