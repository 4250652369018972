"""The crisis-pause banner on every page."""

from __future__ import annotations

from django.http import HttpRequest


def crisis(request: HttpRequest) -> dict:
    practice = getattr(request, "practice", None)
    if practice is None:
        return {}
    from bedside.publishing.models import CrisisPause

    pause = CrisisPause.objects.filter(practice=practice, ended_at__isnull=True).first()
    return {"crisis_pause": pause} if pause else {}
