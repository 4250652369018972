from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bedside.accounts.access import member_required
from bedside.accounts.middleware import SESSION_PRACTICE_KEY
from bedside.core.selectors import dashboard_summary


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    summary = dashboard_summary(membership=request.membership)  # type: ignore[attr-defined]
    return TemplateResponse(request, "core/dashboard.html", {"summary": summary})


@require_POST
@member_required()
def practice_switch(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("practice_id", "")
    ids = {str(m.practice_id): m.practice_id for m in request.memberships}  # type: ignore[attr-defined]
    if wanted in ids:
        request.session[SESSION_PRACTICE_KEY] = ids[wanted]
    return redirect("core:dashboard")


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Files the practice published on its public site (MEDIA_ROOT/site/ only).

    Everything else under MEDIA_ROOT — consent documents, unpublished post
    images — is private and reachable only through its app's access-checked view.
    """
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT / "site")
