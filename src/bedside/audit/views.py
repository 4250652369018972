from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from bedside.accounts.access import member_required
from bedside.accounts.permissions import Perm
from bedside.audit.selectors import audit_action_choices, audit_event_list


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@member_required(Perm.VIEW_AUDIT)
def log(request: HttpRequest) -> HttpResponse:
    practice = request.practice  # type: ignore[attr-defined]
    filters = {
        "action": request.GET.get("action", ""),
        "actor_email": request.GET.get("actor", "").strip(),
        "since": _date(request.GET.get("since", "")),
        "until": _date(request.GET.get("until", "")),
    }
    events = audit_event_list(practice=practice, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "actions": audit_action_choices(practice=practice),
        "query": _without_page(request),
    }
    return TemplateResponse(request, "audit/log.html", context)
