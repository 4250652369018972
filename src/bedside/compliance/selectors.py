"""Practice-scoped reads for the guard's pages. Another practice's object is a 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.compliance.models import Consent, StaffMember, TextCheck
from bedside.core.models import Practice

CONSENT_STATUSES = ("active", "expired", "revoked", "all")


def consent_list(*, practice: Practice, status: str = "active") -> QuerySet[Consent]:
    qs = Consent.objects.filter(practice=practice).select_related("revoked_by")
    today = timezone.localdate()
    if status == "active":
        qs = qs.active(today=today)
    elif status == "expired":
        qs = qs.filter(revoked_at__isnull=True, expires_on__lt=today)
    elif status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    return qs.order_by("patient_name", "-created_at")


def consent_get_for_actor(*, actor: Membership, id: int) -> Consent:
    return get_object_or_404(
        Consent.objects.select_related("created_by", "revoked_by"),
        practice=actor.practice,
        pk=id,
    )


def staff_list(*, practice: Practice) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(practice=practice).order_by("-active", "name")


def staff_member_get_for_actor(*, actor: Membership, id: int) -> StaffMember:
    return get_object_or_404(StaffMember, practice=actor.practice, pk=id)


def text_check_get_for_actor(*, actor: Membership, id: int) -> TextCheck:
    return get_object_or_404(TextCheck, practice=actor.practice, pk=id)


def _tile_check(membership: Membership) -> dict | None:
    from django.urls import reverse

    since = timezone.now() - dt.timedelta(days=7)
    count = TextCheck.objects.filter(practice=membership.practice, created_at__gte=since).count()
    return {
        "label": "Check a text (texts checked this week)",
        "value": count,
        "url": reverse("compliance:check"),
    }


def _tile_consents(membership: Membership) -> dict | None:
    from django.urls import reverse

    from bedside.accounts.permissions import Perm

    if not membership.can(Perm.MANAGE_CONSENTS):
        return None
    count = Consent.objects.filter(practice=membership.practice).active().count()
    return {"label": "Active consents", "value": count, "url": reverse("compliance:consents")}


def dashboard_tiles() -> list:
    return [_tile_check, _tile_consents]
