"""Pages: check a text (and the editor's partial), policy and roster, consents."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.compliance import selectors, services
from bedside.compliance.editor import replacement_apply
from bedside.compliance.forms import (
    DEFAULT_AUTHORIZATION,
    CheckForm,
    ConsentForm,
    PolicyForm,
    RevokeForm,
    StaffForm,
)
from bedside.compliance.models import KINDS
from bedside.compliance.templatetags.compliance_editor import editor_context
from bedside.core.forms import add_service_errors

_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$")


def _check(request: HttpRequest, *, text: str, kind: str, channel: str):  # type: ignore[no-untyped-def]
    """(check, error): a TextCheck for a non-blank text, or an error message to show."""
    if not text.strip():
        return None, ""
    try:
        check = services.text_check(
            practice=request.practice,  # type: ignore[attr-defined]
            text=text,
            kind=kind,
            channel_type=channel or None,
            actor=request.membership,  # type: ignore[attr-defined]
        )
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return check, ""


def _apply(request: HttpRequest, *, text: str, kind: str, channel: str) -> str:
    """The text after the replacement the member clicked (unchanged if it no longer fits)."""
    chosen = request.POST.get("apply", "")
    check, _ = _check(request, text=text, kind=kind, channel=channel)
    if chosen and check is not None:
        replaced = replacement_apply(text, check.findings, chosen)
        if replaced is not None:
            return replaced
    return text


@member_required(Perm.VIEW)
def check(request: HttpRequest) -> HttpResponse:
    """Check a text: paste it, pick its kind, see the findings. Works without JavaScript."""
    form = CheckForm(request.POST or None)
    text, kind, channel = "", "post", ""
    if request.method == "POST" and form.is_valid():
        kind, channel = form.cleaned_data["kind"], form.cleaned_data["channel"]
        text = form.cleaned_data["text"]
        if request.POST.get("apply"):
            text = _apply(request, text=text, kind=kind, channel=channel)
    found, error = _check(request, text=text, kind=kind, channel=channel)
    editor = editor_context(
        name="text", label="Text to check", text=text, check=found, error=error, editor_id="check"
    )
    return TemplateResponse(request, "compliance/check.html", {"form": form, **editor})


@require_POST
@member_required(Perm.VIEW)
def check_partial(request: HttpRequest) -> HttpResponse:
    """The editor component's findings panel (or, after a replacement, the whole editor)."""
    field = request.POST.get("text_field", "text")
    field = field if _FIELD.match(field) else "text"
    editor_id = request.POST.get("editor_id", "")
    editor_id = editor_id if _FIELD.match(editor_id) else f"editor-{field}"
    text = request.POST.get(field, "")
    fixed_kind = request.POST.get("editor_kind", "")
    fixed_channel = request.POST.get("editor_channel", "")
    kind = fixed_kind or request.POST.get("kind", "post")
    channel = fixed_channel or request.POST.get("channel", "")
    error = ""
    if kind not in KINDS:
        error = f"Unknown kind of text: choose one of {', '.join(KINDS)}."
        found = None
    else:
        if request.POST.get("apply"):
            text = _apply(request, text=text, kind=kind, channel=channel)
        found, error = _check(request, text=text, kind=kind, channel=channel)
    editor = editor_context(
        name=field,
        label=request.POST.get("editor_label", "")[:200] or "Text",
        text=text,
        kind=fixed_kind,
        channel=fixed_channel,
        check=found,
        error=error,
        editor_id=editor_id,
    )
    part = "editor" if request.POST.get("apply") else "findings"
    return TemplateResponse(request, f"compliance/_editor.html#{part}", editor)


@require_POST
@member_required(Perm.OVERRIDE_COMPLIANCE)
def check_override(request: HttpRequest, check_id: int) -> HttpResponse:
    """Override a checked text's blocking findings with a written reason; back to `next`."""
    actor = request.membership  # type: ignore[attr-defined]
    found = selectors.text_check_get_for_actor(actor=actor, id=check_id)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:dashboard")
    try:
        services.finding_override(
            actor=actor, check=found, reason=request.POST.get("reason", ""), ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Override recorded. Someone other than the author must still approve the text."
        )
    return redirect(target)


@member_required(Perm.MANAGE_SETTINGS)
def policy(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    current = services.policy_for(membership.practice)
    form = PolicyForm(
        request.POST or None,
        initial={
            "sensitive_categories": current.sensitive_categories,
            "require_approval_for_all": current.require_approval_for_all,
            "block_on_warn_in_replies": current.block_on_warn_in_replies,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.compliance_policy_update(
                actor=membership, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Compliance policy saved.")
            return redirect("compliance:policy")
    context = {
        "form": form,
        "staff_form": StaffForm(),
        "staff": selectors.staff_list(practice=membership.practice),
        "members": services.staff_names(practice=membership.practice),
    }
    return TemplateResponse(request, "compliance/policy.html", context)


@require_POST
@member_required(Perm.MANAGE_SETTINGS)
def staff_add(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            services.staff_member_create(
                actor=request.membership,  # type: ignore[attr-defined]
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{form.cleaned_data['name']} is on the roster.")
    else:
        messages.error(request, "Write the name as the public sees it, e.g. Dr. Priya Raman.")
    return redirect("compliance:policy")


@require_POST
@member_required(Perm.MANAGE_SETTINGS)
def staff_toggle(request: HttpRequest, staff_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    member = selectors.staff_member_get_for_actor(actor=actor, id=staff_id)
    services.staff_member_set_active(
        actor=actor, staff_member=member, active=not member.active, ip=client_ip(request)
    )
    state = "back on" if member.active else "off"
    messages.success(request, f"{member.name} is {state} the roster.")
    return redirect("compliance:policy")


@member_required(Perm.MANAGE_CONSENTS)
def consents(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    if status not in selectors.CONSENT_STATUSES:
        status = "active"
    items = selectors.consent_list(practice=request.practice, status=status)  # type: ignore[attr-defined]
    return TemplateResponse(
        request,
        "compliance/consents.html",
        {"consents": items, "status": status, "statuses": selectors.CONSENT_STATUSES},
    )


@member_required(Perm.MANAGE_CONSENTS)
def consent_new(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    initial = {
        "authorization_text": DEFAULT_AUTHORIZATION.format(practice=membership.practice.name),
        "channels": ["all"],
    }
    form = ConsentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_create(
                actor=membership, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("compliance:consent_detail", consent_id=consent.pk)
    return TemplateResponse(request, "compliance/consent_new.html", {"form": form})


@member_required(Perm.MANAGE_CONSENTS)
def consent_detail(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get_for_actor(actor=request.membership, id=consent_id)  # type: ignore[attr-defined]
    context = {
        "consent": consent,
        "usages": services.consent_usages(consent=consent),
        "revoke_form": RevokeForm(),
    }
    return TemplateResponse(request, "compliance/consent_detail.html", context)


@require_POST
@member_required(Perm.MANAGE_CONSENTS)
def consent_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    consent = selectors.consent_get_for_actor(actor=actor, id=consent_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write why the consent is revoked.")
        return redirect("compliance:consent_detail", consent_id=consent.pk)
    try:
        result = services.consent_revoke(
            actor=actor, consent=consent, reason=form.cleaned_data["reason"], ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        n = len(result.usages)
        messages.success(
            request,
            "Consent revoked."
            + (
                f" {n} published item{'s' if n != 1 else ''} used it: removal is queued."
                if n
                else ""
            ),
        )
    return redirect("compliance:consent_detail", consent_id=consent.pk)


@member_required(Perm.MANAGE_CONSENTS)
def consent_document(request: HttpRequest, consent_id: int) -> HttpResponse:
    """The signed authorization, to consent managers only; never a public media URL."""
    actor = request.membership  # type: ignore[attr-defined]
    consent = selectors.consent_get_for_actor(actor=actor, id=consent_id)
    if not consent.document:
        raise Http404("No document was uploaded for this consent.")
    handle = services.consent_document_open(actor=actor, consent=consent, ip=client_ip(request))
    response = FileResponse(handle, content_type=consent.document_type or "application/pdf")
    ext = consent.document.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="consent-{consent.pk}.{ext}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
