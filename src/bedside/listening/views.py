"""Listening pages: the mention stream (with its chart), monitors, sources, alerts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.core.forms import add_service_errors
from bedside.listening import selectors, services
from bedside.listening.charts import volume_chart
from bedside.listening.forms import AlertSettingsForm, MentionFilterForm, MonitorForm, SourceForm
from bedside.listening.models import Mention


@member_required()
def stream(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    practice = membership.practice
    monitors = list(selectors.monitor_list(practice=practice))
    sources = list(selectors.source_list(practice=practice))
    form = MentionFilterForm(request.GET or None, monitors=monitors, sources=sources)
    filters: dict = {}
    misinformation = False
    if form.is_valid():
        data = form.cleaned_data
        filters = {k: data[k] or None for k in ("monitor", "sentiment", "state", "source")}
        if data["since"]:
            filters["since"] = datetime.combine(data["since"], time.min, tzinfo=practice.zone)
        if data["until"]:
            filters["until"] = datetime.combine(
                data["until"] + timedelta(days=1), time.min, tzinfo=practice.zone
            )
        misinformation = data["misinformation"]
    qs = selectors.mention_list(practice=practice, **filters)
    if misinformation:
        qs = qs.filter(misinformation=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    volume = selectors.mention_volume(practice=practice, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "volume": volume,
        "chart": volume_chart(volume),
        "states": Mention.State.choices,
        "can_manage": membership.can(Perm.MANAGE_LISTENING),
        "has_monitors": bool(monitors),
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "listening/stream.html", context)


@require_POST
@member_required(Perm.MANAGE_LISTENING)
def mention_state(request: HttpRequest, mention_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    mention = selectors.mention_get_for_actor(actor=actor, id=mention_id)
    try:
        services.mention_set_state(
            actor=actor, mention=mention, state=request.POST.get("state", ""), ip=client_ip(request)
        )
    except ValidationError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:  # type: ignore[attr-defined]
        return TemplateResponse(
            request,
            "listening/stream.html#mention",
            {"m": mention, "states": Mention.State.choices, "can_manage": True},
        )
    return redirect("listening:stream")


@member_required()
def monitors(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    context = {
        "monitors": selectors.monitor_list(practice=membership.practice),
        "can_manage": membership.can(Perm.MANAGE_LISTENING),
    }
    return TemplateResponse(request, "listening/monitors.html", context)


@member_required(Perm.MANAGE_LISTENING)
def monitor_new(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    form = MonitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            monitor = services.monitor_create(
                actor=actor, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Monitor “{monitor.name}” is listening.")
            return redirect("listening:monitors")
    return TemplateResponse(request, "listening/monitor_form.html", {"form": form, "monitor": None})


@member_required(Perm.MANAGE_LISTENING)
def monitor_edit(request: HttpRequest, monitor_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    monitor = selectors.monitor_get_for_actor(actor=actor, id=monitor_id)
    form = MonitorForm.for_monitor(monitor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitor_update(
                actor=actor, monitor=monitor, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Monitor “{monitor.name}” saved.")
            return redirect("listening:monitors")
    return TemplateResponse(
        request, "listening/monitor_form.html", {"form": form, "monitor": monitor}
    )


@require_POST
@member_required(Perm.MANAGE_LISTENING)
def monitor_delete(request: HttpRequest, monitor_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    monitor = selectors.monitor_get_for_actor(actor=actor, id=monitor_id)
    name = monitor.name
    services.monitor_delete(actor=actor, monitor=monitor, ip=client_ip(request))
    messages.success(request, f"Monitor “{name}” and its mentions were deleted.")
    return redirect("listening:monitors")


@require_POST
@member_required(Perm.MANAGE_LISTENING)
def monitor_defaults(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    created = services.monitor_defaults_create(practice=actor.practice)
    messages.success(request, f"{len(created)} default monitor(s) created.")
    return redirect("listening:monitors")


@member_required()
def sources(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    context = {
        "sources": selectors.source_list(practice=membership.practice),
        "can_manage": membership.can(Perm.MANAGE_LISTENING),
    }
    return TemplateResponse(request, "listening/sources.html", context)


@member_required(Perm.MANAGE_LISTENING)
def source_new(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_create(actor=actor, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Source added; it is fetched within a minute.")
            return redirect("listening:source_detail", source.pk)
    return TemplateResponse(request, "listening/source_form.html", {"form": form, "source": None})


@member_required()
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    source = selectors.source_get_for_actor(actor=membership, id=source_id)
    context = {
        "source": source,
        "mentions": selectors.source_mention_count(practice=membership.practice, source=source),
        "can_manage": membership.can(Perm.MANAGE_LISTENING)
        and source.practice_id == membership.practice_id,
    }
    return TemplateResponse(request, "listening/source_detail.html", context)


@member_required(Perm.MANAGE_LISTENING)
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    source = selectors.source_get_for_actor(actor=actor, id=source_id, own=True)
    initial = {
        "uri": source.uri,
        "name": source.name,
        "poll_interval_seconds": source.poll_interval_seconds,
        "active": source.active,
    }
    form = SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_update(
                actor=actor, source=source, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Source saved.")
            return redirect("listening:source_detail", source.pk)
    return TemplateResponse(request, "listening/source_form.html", {"form": form, "source": source})


@require_POST
@member_required(Perm.MANAGE_LISTENING)
def source_retry(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    source = selectors.source_get_for_actor(actor=actor, id=source_id, own=True)
    services.source_retry(actor=actor, source=source, ip=client_ip(request))
    messages.success(request, "The source will be fetched again within a minute.")
    return redirect("listening:source_detail", source.pk)


@require_POST
@member_required(Perm.MANAGE_LISTENING)
def source_delete(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    source = selectors.source_get_for_actor(actor=actor, id=source_id, own=True)
    services.source_delete(actor=actor, source=source, ip=client_ip(request))
    messages.success(request, "Source deleted with its mentions.")
    return redirect("listening:sources")


@member_required()
def alert_settings(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    practice = membership.practice
    can_manage = membership.can(Perm.MANAGE_LISTENING)
    current = selectors.alert_settings_get(practice=practice)
    form = AlertSettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(f"Your role ({membership.role}) does not allow this.")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.ALERT_FIELDS}
            try:
                services.alert_settings_update(actor=membership, ip=client_ip(request), **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Alert settings saved.")
                return redirect("listening:alerts")
    context = {
        "form": form,
        "can_manage": can_manage,
        "log": selectors.alert_log_list(practice=practice),
    }
    return TemplateResponse(request, "listening/alerts.html", context)
