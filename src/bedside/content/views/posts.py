"""One post: its page, the workflow actions on it, moving it, and edits to a published post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.channels import selectors as channel_selectors
from bedside.content import selectors, services
from bedside.content.forms import MoveForm, OverrideForm
from bedside.content.models import PostState
from bedside.content.views.compose import _segments
from bedside.core.timeutil import local_to_utc


@member_required(Perm.VIEW)
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    post = selectors.post_get_for_actor(actor=membership, id=pk)
    local = timezone.localtime(post.scheduled_at) if post.scheduled_at else None
    from bedside.publishing import services as publishing

    deliveries = list(post.deliveries.select_related("channel", "revision", "edit_revision"))
    for d in deliveries:  # for the "Edit" column: why a network cannot edit, if it cannot
        d.edit_refusal = publishing.delivery_edit_refusal(d) if d.state == "published" else None
    live = [d for d in deliveries if d.state == "published" and not d.remove_requested_at]
    context = {
        "post": post,
        "segments": _segments(post.text, post.findings),
        "deliveries": deliveries,
        "can_edit_published": bool(live) and any(not d.edit_refusal for d in live),
        "open_edit": selectors.post_edit_open(post=post),
        "transitions": post.transitions.select_related("actor").order_by("-pk")[:20],
        "move_form": MoveForm(initial={"when": local.replace(tzinfo=None) if local else None}),
        "override_form": OverrideForm(),
        "can": {p.value: membership.can(p) for p in Perm},
        "is_author": post.author_id == membership.user_id,
    }
    return TemplateResponse(request, "content/post_detail.html", context)


def _action(request: HttpRequest, pk: int, fn, success: str, **kw: Any) -> HttpResponse:  # type: ignore[no-untyped-def]
    membership = request.membership  # type: ignore[attr-defined]
    post = selectors.post_get_for_actor(actor=membership, id=pk)
    version = request.POST.get("version")
    extra = {"expected_version": int(version)} if version and version.isdigit() else {}
    _report(
        request,
        lambda: fn(actor=membership, post=post, ip=client_ip(request), **extra, **kw),
        success,
    )
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect(_next(request, pk))


def _next(request: HttpRequest, pk: int) -> str:
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return f"/content/posts/{pk}/"


@require_POST
@member_required(Perm.SUBMIT)
def post_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.post_submit, "Sent for approval.")


@require_POST
@member_required(Perm.APPROVE)
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.post_approve, "Approved.")


@require_POST
@member_required(Perm.APPROVE)
def post_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, services.post_reject, "Sent back to the author.",
        note=request.POST.get("note", "")[:300],
    )  # fmt: skip


@require_POST
@member_required(Perm.PUBLISH)
def post_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.post_cancel, "Cancelled.")


@require_POST
@member_required(Perm.OVERRIDE_COMPLIANCE)
def post_override(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, services.post_override, "Findings overridden; the reason is in the audit log.",
        reason=request.POST.get("reason", ""),
    )  # fmt: skip


@require_POST
@member_required(Perm.PUBLISH)
def post_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Reschedule: a full local date-time ("move to") or a day (drag and drop keeps the time)."""
    membership = request.membership  # type: ignore[attr-defined]
    zone = membership.practice.time_zone
    form = MoveForm(request.POST)
    post = selectors.post_get_for_actor(actor=membership, id=pk)
    when = None
    if form.is_valid():
        if form.cleaned_data.get("when"):
            when = local_to_utc(form.cleaned_data["when"].replace(tzinfo=None), zone)
        elif form.cleaned_data.get("date"):
            local = timezone.localtime(post.scheduled_at) if post.scheduled_at else None
            clock = local.time().replace(tzinfo=None) if local else dt.time(9)
            when = local_to_utc(dt.datetime.combine(form.cleaned_data["date"], clock), zone)
    if when is None:
        messages.error(request, "Choose a date and time to move the post to.")
        return redirect(_next(request, pk))
    return _action(request, pk, services.post_reschedule, "Moved.", scheduled_at=when)


@member_required(Perm.VIEW)
def approvals(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    queue = selectors.approval_queue(actor=membership)
    return TemplateResponse(request, "content/approvals.html", {"posts": queue})


@member_required(Perm.VIEW)
def post_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    g = request.GET

    def _int(name: str) -> int | None:
        return int(g[name]) if g.get(name, "").isdigit() else None

    posts = selectors.post_list(
        actor=membership,
        state=g.get("state") if g.get("state") in PostState.values else None,
        channel_id=_int("channel"),
        pillar_id=_int("pillar"),
        campaign_id=_int("campaign"),
    )[:200]
    context = {
        "posts": posts,
        "states": PostState.choices,
        "channels": channel_selectors.channel_list(actor=membership),
        "pillars": selectors.pillar_list(actor=membership),
        "campaigns": selectors.campaign_list(actor=membership),
        "filters": g,
    }
    return TemplateResponse(request, "content/post_list.html", context)


@member_required(Perm.SUBMIT)
def post_edit_published(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose new text for a post that is live; it goes out once approved."""
    membership = request.membership  # type: ignore[attr-defined]
    post = selectors.post_get_for_actor(actor=membership, id=pk)
    channels = list(post.channels.order_by("pk"))
    open_edit = selectors.post_edit_open(post=post)
    source = open_edit.revision if open_edit else post
    text = source.text
    variants = {c.pk: (source.variants.get(str(c.pk), "") if open_edit else "") for c in channels}
    if not open_edit:
        variants.update({v.channel_id: v.text for v in post.variants.all()})
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        text = request.POST.get("text", "")
        variants = {c.pk: request.POST.get(f"variant_{c.pk}", "") for c in channels}
        try:
            services.post_edit_propose(
                actor=membership, post=post, text=text, variants=variants, ip=client_ip(request)
            )
        except ValidationError as exc:
            errors = getattr(exc, "message_dict", {"text": exc.messages})
        except (PermissionDenied, services.PostConflict) as exc:
            errors = {"text": [str(exc)]}
        else:
            messages.success(request, "Edit saved. It goes out once it is approved.")
            return redirect("content:post_detail", pk=post.pk)
    from bedside.publishing import services as publishing

    live = [
        (d, publishing.delivery_edit_refusal(d))
        for d in publishing.deliveries_live_for_post(post=post)
    ]
    context = {
        "post": post,
        "live": live,
        "text": text,
        "variant_fields": [(c, variants.get(c.pk, "")) for c in channels],
        "errors": errors,
        "text_errors": errors.get("text", []),
    }
    return TemplateResponse(request, "content/post_edit_published.html", context)


def _edit_action(
    request: HttpRequest, pk: int, edit_pk: int, fn, success: str, **kw: Any
) -> HttpResponse:  # type: ignore[no-untyped-def]
    membership = request.membership  # type: ignore[attr-defined]
    post = selectors.post_get_for_actor(actor=membership, id=pk)
    edit = selectors.post_edit_get_for_actor(actor=membership, post=post, id=edit_pk)
    _report(request, lambda: fn(actor=membership, edit=edit, ip=client_ip(request), **kw), success)
    return redirect("content:post_detail", pk=post.pk)


@require_POST
@member_required(Perm.APPROVE)
def post_edit_approve(request: HttpRequest, pk: int, edit_pk: int) -> HttpResponse:
    return _edit_action(
        request, pk, edit_pk, services.post_edit_approve,
        "Edit approved. The networks that allow editing are being updated.",
    )  # fmt: skip


@require_POST
@member_required(Perm.APPROVE)
def post_edit_reject(request: HttpRequest, pk: int, edit_pk: int) -> HttpResponse:
    return _edit_action(
        request, pk, edit_pk, services.post_edit_reject,
        "Edit sent back; the published text stays as it is.",
        note=request.POST.get("note", "")[:300],
    )  # fmt: skip


def _report(request: HttpRequest, call: Callable[[], object], success: str) -> None:
    """Run a post action and tell the user how it went, in words."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (PermissionDenied, services.PostConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
