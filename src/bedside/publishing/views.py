from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.core.timeutil import local_to_utc
from bedside.publishing import services
from bedside.publishing.models import CrisisPause, Delivery, DeliveryState


def _delivery(request: HttpRequest, pk: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.select_related("post", "channel"),
        practice=request.practice,  # type: ignore[attr-defined]
        pk=pk,
    )


def _back(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = f"/content/posts/{delivery.post_id}/"
    return redirect(nxt)


@member_required(Perm.PUBLISH)
def pause(request: HttpRequest) -> HttpResponse:
    """The crisis switch: pause everything, or resume and see what was missed."""
    membership = request.membership  # type: ignore[attr-defined]
    if request.method == "POST":
        ip = client_ip(request)
        if request.POST.get("action") == "resume":
            try:
                missed = services.crisis_pause_end(actor=membership, ip=ip)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    f"Publishing resumed. {len(missed)} post(s) fell due during the pause and "
                    "were not sent: reschedule or drop each below.",
                )
        else:
            services.crisis_pause_start(
                actor=membership, reason=request.POST.get("reason", ""), ip=ip
            )
            messages.warning(
                request, "Publishing is paused. Nothing will be sent until you resume."
            )
        return redirect("publishing:pause")
    current = CrisisPause.objects.filter(
        practice=membership.practice, ended_at__isnull=True
    ).first()
    expired = (
        Delivery.objects.filter(practice=membership.practice, state=DeliveryState.EXPIRED)
        .select_related("post", "channel")
        .order_by("due_at")
    )
    return TemplateResponse(
        request, "publishing/pause.html", {"pause": current, "expired": expired}
    )


def _act(request: HttpRequest, pk: int, success: str, call) -> HttpResponse:  # type: ignore[no-untyped-def]
    """One delivery action: call its service, say how it went, go back where we came from."""
    delivery = _delivery(request, pk)
    try:
        call(actor=request.membership, delivery=delivery, ip=client_ip(request))  # type: ignore[attr-defined]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return _back(request, delivery)


@require_POST
@member_required(Perm.PUBLISH)
def delivery_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    zone = request.practice.time_zone  # type: ignore[attr-defined]
    try:
        # a wall-clock time in the practice zone, made aware by local_to_utc
        local = dt.datetime.strptime(request.POST.get("when", ""), "%Y-%m-%dT%H:%M")  # noqa: DTZ007
    except ValueError:
        messages.error(request, "Choose a date and time.")
        return _back(request, _delivery(request, pk))
    due = local_to_utc(local, zone)
    return _act(
        request, pk, "Rescheduled.", lambda **kw: services.delivery_reschedule(due_at=due, **kw)
    )


@require_POST
@member_required(Perm.PUBLISH)
def delivery_drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "Dropped; it will not be sent.", services.delivery_drop)


@require_POST
@member_required(Perm.PUBLISH)
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "Sending again now.", services.delivery_retry)


@require_POST
@member_required(Perm.PUBLISH)
def delivery_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    outcome, url = request.POST.get("outcome", ""), request.POST.get("url", "")
    return _act(
        request,
        pk,
        "Thank you; recorded.",
        lambda **kw: services.delivery_resolve(outcome=outcome, url=url, **kw),
    )


@require_POST
@member_required(Perm.PUBLISH)
def delivery_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "Removal requested; Bedside deletes it from the network now.",
        services.delivery_remove_request,
    )


@require_POST
@member_required(Perm.PUBLISH)
def delivery_edit_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "Trying the edit again now.", services.delivery_edit_retry)
