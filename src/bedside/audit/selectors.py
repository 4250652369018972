from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from bedside.audit.models import AuditEvent


def audit_event_list(
    *,
    practice,
    action: str = "",
    actor_email: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(practice_id=practice.pk)
    if action:
        qs = qs.filter(action=action)
    if actor_email:
        qs = qs.filter(actor_email__iexact=actor_email)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs


def audit_action_choices(*, practice) -> list[str]:
    return list(
        AuditEvent.objects.filter(practice_id=practice.pk)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
