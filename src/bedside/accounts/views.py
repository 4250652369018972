from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bedside.accounts import selectors, services
from bedside.accounts.access import client_ip, member_required, user_has_mfa
from bedside.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InviteForm,
    PracticeProfileForm,
    RoleForm,
)
from bedside.accounts.permissions import Perm
from bedside.core.forms import add_service_errors

# Settings sections by URL name; apps not installed yet are left out.
SETTINGS_SECTIONS = [
    (
        "Practice profile",
        "accounts:practice_settings",
        Perm.MANAGE_SETTINGS,
        "Name, time zone, contact details, idle sign-out.",
    ),
    ("Team", "accounts:team", Perm.VIEW, "Members, roles and invitations."),
    (
        "Security",
        "accounts:security",
        Perm.VIEW,
        "Two-factor authentication, sessions, API tokens.",
    ),
    ("Audit log", "audit:log", Perm.VIEW_AUDIT, "Who did what, when: append-only and verifiable."),
    ("Channels", "channels:list", Perm.MANAGE_CHANNELS, "Connected networks, webhooks and e-mail."),
    ("Consents", "compliance:consents", Perm.MANAGE_CONSENTS, "Patients' written authorizations."),
    (
        "Compliance policy",
        "compliance:policy",
        Perm.MANAGE_SETTINGS,
        "Approval rules and sensitive categories.",
    ),
]


@member_required()
def settings_home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    sections = []
    for label, name, perm, blurb in SETTINGS_SECTIONS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if membership.can(perm):
            sections.append({"label": label, "url": url, "blurb": blurb})
    return TemplateResponse(request, "accounts/settings.html", {"sections": sections})


@member_required(Perm.MANAGE_SETTINGS)
def practice_settings(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    form = PracticeProfileForm(request.POST or None, instance=membership.practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update_profile(
                actor=membership, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Practice profile saved.")
            return redirect("accounts:practice_settings")
    return TemplateResponse(request, "accounts/practice_settings.html", {"form": form})


@member_required()
def team(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    can_manage = membership.can(Perm.MANAGE_TEAM)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if not user_has_mfa(request):
            return redirect("accounts:mfa_required")
        if form.is_valid():
            try:
                services.invitation_create(
                    actor=membership, ip=client_ip(request), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("accounts:team")
    context = {
        "members": selectors.membership_list(practice=membership.practice),
        "invitations": selectors.invitation_list_open(practice=membership.practice)
        if can_manage
        else [],
        "form": form,
        "can_manage": can_manage,
        "role_form": RoleForm(),
    }
    return TemplateResponse(request, "accounts/team.html", context)


@require_POST
@member_required(Perm.MANAGE_TEAM)
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    target = selectors.membership_get_for_actor(actor=actor, id=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid role.")
        return redirect("accounts:team")
    try:
        services.membership_change_role(
            actor=actor,
            membership_id=target.pk,
            role=form.cleaned_data["role"],
            ip=client_ip(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{target.user.email} is now {form.cleaned_data['role'].replace('_', ' ')}."
        )
    return redirect("accounts:team")


@require_POST
@member_required(Perm.MANAGE_TEAM)
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    target = selectors.membership_get_for_actor(actor=actor, id=membership_id)
    try:
        services.membership_remove(actor=actor, membership_id=target.pk, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{target.user.email} was removed from the practice.")
    return redirect("accounts:team")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get_open(raw_token=token)
    except ValidationError as exc:
        return TemplateResponse(
            request, "accounts/invitation_invalid.html", {"reason": exc.messages[0]}, status=404
        )
    user = request.user if request.user.is_authenticated else None
    form = AcceptInvitationForm(request.POST or None) if user is None else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                raw_token=token,
                user=user,
                password=form.cleaned_data["password1"] if form else "",
                ip=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session["bedside.practice_id"] = membership.practice_id
            messages.success(request, f"Welcome to {membership.practice.name}.")
            return redirect("core:dashboard")
    return TemplateResponse(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@member_required()
def security(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    context = {
        "has_mfa": user_has_mfa(request),
        "tokens": selectors.api_token_list(actor=membership),
        "token_form": ApiTokenForm(),
        "new_token": request.session.pop("bedside.new_token", None),
    }
    return TemplateResponse(request, "accounts/security.html", context)


@require_POST
@member_required()
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _, raw = services.api_token_create(
            membership=request.membership, name=form.cleaned_data["name"], ip=client_ip(request)
        )  # type: ignore[attr-defined]
        # Shown once, on the next page, then gone from the session.
        request.session["bedside.new_token"] = raw
    else:
        messages.error(request, "Give the token a name.")
    return redirect("accounts:security")


@require_POST
@member_required()
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    from bedside.accounts.models import ApiToken

    try:
        services.api_token_revoke(
            actor=request.membership, token_id=token_id, ip=client_ip(request)
        )  # type: ignore[attr-defined]
    except ApiToken.DoesNotExist:
        from django.http import Http404

        raise Http404("No such token") from None
    messages.success(request, "Token revoked.")
    return redirect("accounts:security")


@require_POST
@member_required()
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_sign_out_everywhere(
        user=request.user, practice=request.practice, ip=client_ip(request)
    )  # type: ignore[arg-type,attr-defined]
    update_session_auth_hash(request, request.user)  # keep this session
    messages.success(request, "All your other sessions were signed out.")
    return redirect("accounts:security")


def mfa_required(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return TemplateResponse(request, "accounts/mfa_required.html", {"next": next_url}, status=403)
