"""Templates and observances, credible sources and content pillars."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.content import selectors, services
from bedside.content.forms import CredibleDomainsForm
from bedside.content.observances import OBSERVANCES


@member_required(Perm.VIEW)
def library(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    rows = []
    for obs in sorted(OBSERVANCES, key=lambda o: (o.month, o.first_day)):
        month = pycal.month_name[obs.month]
        if obs.first_day == obs.last_day:
            when = f"{month} {obs.first_day}"
        elif obs.first_day == 1 and obs.last_day >= 28:
            when = f"All of {month}"
        else:
            when = f"{month} {obs.first_day}–{obs.last_day}"
        rows.append({"obs": obs, "when": when})
    context = {
        "observances": rows,
        "templates": selectors.template_list(actor=membership),
        "can_compose": membership.can(Perm.COMPOSE),
    }
    return TemplateResponse(request, "content/library.html", context)


@member_required(Perm.MANAGE_SETTINGS)
def sources(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    current = selectors.credible_domains(practice=membership.practice)
    form = CredibleDomainsForm(request.POST or None, initial={"domains": "\n".join(current)})
    if request.method == "POST" and form.is_valid():
        services.credible_domains_set(
            actor=membership,
            domains=form.cleaned_data["domains"].split(),
            ip=client_ip(request),
        )
        messages.success(request, "Credible sources saved.")
        return redirect("content:sources")
    return TemplateResponse(request, "content/sources.html", {"form": form})


@require_POST
@member_required(Perm.COMPOSE)
def template_new(request: HttpRequest) -> HttpResponse:
    try:
        services.template_create(
            actor=request.membership,  # type: ignore[attr-defined]
            name=request.POST.get("name", ""),
            text=request.POST.get("text", ""),
            ip=client_ip(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Template saved.")
    return redirect("content:library")


@member_required(Perm.MANAGE_SETTINGS)
def pillars(request: HttpRequest) -> HttpResponse:
    """The practice's content pillars and campaigns."""
    membership = request.membership  # type: ignore[attr-defined]
    services.pillars_ensure_defaults(practice=membership.practice)
    if request.method == "POST":
        ip = client_ip(request)
        try:
            action = request.POST.get("action")
            if action == "pillar":
                services.pillar_create(actor=membership, name=request.POST.get("name", ""), ip=ip)
            elif action == "delete_pillar":
                pillar = (
                    selectors.pillar_list(actor=membership)
                    .filter(pk=request.POST.get("pillar_id") or 0)
                    .first()
                )
                if pillar is not None:
                    services.pillar_delete(actor=membership, pillar=pillar, ip=ip)
            elif action == "campaign":
                starts = request.POST.get("starts_on") or None
                ends = request.POST.get("ends_on") or None
                services.campaign_create(
                    actor=membership,
                    name=request.POST.get("name", ""),
                    starts_on=dt.date.fromisoformat(starts) if starts else None,
                    ends_on=dt.date.fromisoformat(ends) if ends else None,
                    ip=ip,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ValueError:
            messages.error(request, "Dates look like 2026-10-01.")
        else:
            messages.success(request, "Saved.")
        return redirect("content:pillars")
    context = {
        "pillars": selectors.pillar_list(actor=membership),
        "campaigns": selectors.campaign_list(actor=membership),
    }
    return TemplateResponse(request, "content/pillars.html", context)
