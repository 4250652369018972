"""Request-scoped tenant and the HIPAA idle logoff."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

SESSION_PRACTICE_KEY = "bedside.practice_id"
SESSION_ACTIVITY_KEY = "bedside.last_activity"


class CurrentMembershipMiddleware:
    """Sets request.memberships, request.membership and request.practice.

    The current practice is the one chosen in the header switcher (kept in the
    session), else the first. Every selector scopes by request.practice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.memberships = []  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        request.practice = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            from bedside.accounts.models import Membership

            memberships = list(
                Membership.objects.filter(user=request.user)
                .select_related("practice")
                .order_by("practice__name")
            )
            chosen = request.session.get(SESSION_PRACTICE_KEY)
            current = next(
                (m for m in memberships if m.practice_id == chosen),
                memberships[0] if memberships else None,
            )
            request.memberships = memberships  # type: ignore[attr-defined]
            request.membership = current  # type: ignore[attr-defined]
            request.practice = current.practice if current else None  # type: ignore[attr-defined]
            if current is not None:
                timezone.activate(current.practice.zone)  # pages show the practice's local time
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class IdleTimeoutMiddleware:
    """Signs a user out after the strictest idle limit among their practices."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            limits = [m.practice.idle_timeout_minutes for m in getattr(request, "memberships", [])]
            minutes = min(limits) if limits else settings.BEDSIDE_IDLE_TIMEOUT_MINUTES
            now = time.time()
            last = request.session.get(SESSION_ACTIVITY_KEY)
            if last is not None and now - float(last) > minutes * 60:
                logout(request)
                messages.info(
                    request, f"You were signed out after {minutes} minutes without activity."
                )
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = settings.LOGIN_URL_PATH
                    return response
                if request.headers.get("Accept", "").startswith("application/json"):
                    return JsonResponse({"detail": "Session expired"}, status=401)
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            if last is None or now - float(last) > 30:  # spare a session write per request
                request.session[SESSION_ACTIVITY_KEY] = now
        return self.get_response(request)
