from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.channels import selectors, services
from bedside.channels.forms import ChannelForm, ReconnectForm
from bedside.core.forms import add_service_errors


@member_required(Perm.MANAGE_CHANNELS)
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = selectors.channel_list(actor=request.membership)  # type: ignore[attr-defined]
    return TemplateResponse(request, "channels/list.html", {"channels": channels})


@member_required(Perm.MANAGE_CHANNELS)
def channel_new(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(
                actor=request.membership,  # type: ignore[attr-defined]
                type=form.cleaned_data["type"],
                name=form.cleaned_data["name"],
                settings=form.settings_dict(),
                ip=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field_for=_channel_field)
        else:
            messages.success(request, f"{channel.name} is connected.")
            return redirect("channels:detail", channel.pk)
    return TemplateResponse(request, "channels/new.html", {"form": form})


@member_required(Perm.MANAGE_CHANNELS)
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    channel = selectors.channel_get_for_actor(actor=membership, id=pk)
    form = ReconnectForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "slots":
            try:
                services.channel_slots_set(
                    actor=membership,
                    channel=channel,
                    slots=request.POST.get("slots", "").splitlines(),
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Queue slots saved.")
            return redirect("channels:detail", channel.pk)
        if request.POST.get("action") == "disable":
            services.channel_disable(actor=membership, channel=channel, ip=client_ip(request))
            messages.success(request, f"{channel.name} is disabled; nothing will be sent to it.")
            return redirect("channels:detail", channel.pk)
        if form.is_valid():
            try:
                services.channel_reconnect(
                    actor=membership,
                    channel=channel,
                    settings=form.settings_dict(channel.type),
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc, field_for=_channel_field)
            else:
                messages.success(request, f"{channel.name} is reconnected.")
                return redirect("channels:detail", channel.pk)
    return TemplateResponse(request, "channels/detail.html", {"channel": channel, "form": form})


@require_POST
@member_required(Perm.MANAGE_CHANNELS)
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    channel = selectors.channel_get_for_actor(actor=membership, id=pk)
    ok, message = services.channel_test(actor=membership, channel=channel, ip=client_ip(request))
    if request.htmx:  # type: ignore[attr-defined]
        return TemplateResponse(
            request, "channels/detail.html#test-result", {"ok": ok, "message": message}
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect("channels:detail", channel.pk)


def _channel_field(field: str) -> str:
    # a bad "settings" value is about the webhook URL on this form
    return "url" if field == "settings" else field
