"""Who may reach a page: membership, role and the MFA rule, in one decorator."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from bedside.accounts.permissions import MFA_REQUIRED, Perm


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def user_has_mfa(request: HttpRequest) -> bool:
    cached = getattr(request, "_bedside_has_mfa", None)
    if cached is None:
        cached = request._bedside_has_mfa = request.user.has_mfa  # type: ignore[attr-defined,union-attr]
    return bool(cached)


def member_required(perm: Perm = Perm.VIEW):
    """Require a signed-in member of the current practice holding `perm`.

    Rights in MFA_REQUIRED also need a TOTP authenticator: without one the
    member is sent to a page that explains why and links to the set-up.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                raise PermissionDenied("You are not a member of any practice yet.")
            if not membership.can(perm):
                raise PermissionDenied(f"Your role ({membership.role}) does not allow this.")
            if perm in MFA_REQUIRED and not user_has_mfa(request):
                return redirect(
                    reverse("accounts:mfa_required")
                    + "?"
                    + urlencode({"next": request.get_full_path()})
                )
            return view(request, *args, **kwargs)

        wrapper.bedside_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator
