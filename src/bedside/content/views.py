from __future__ import annotations

import calendar as pycal
import contextlib
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
from bedside.content import checks, guard, selectors, services
from bedside.content.forms import ComposeForm, CredibleDomainsForm, MoveForm, OverrideForm
from bedside.content.models import Post, PostState
from bedside.content.observances import OBSERVANCES, observance_get, observances_between
from bedside.core.forms import add_service_errors
from bedside.core.timeutil import local_to_utc

FIELD_MAP = {"scheduled_at": "scheduled_local", "file": "image", "media": "image"}


def _segments(text: str, findings: list[dict[str, Any]], target: str = "text") -> list[dict]:
    """The text cut into plain and highlighted pieces for display."""
    spans = sorted(
        (f for f in findings if f.get("target", "text") == target), key=lambda f: f["start"]
    )
    out, pos = [], 0
    for f in spans:
        if f["start"] < pos:
            continue
        if f["start"] > pos:
            out.append({"text": text[pos : f["start"]]})
        out.append({"text": text[f["start"] : f["end"]], "finding": f})
        pos = f["end"]
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def _preview_context(request: HttpRequest, data: Any, channels: list) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    practice = membership.practice
    text = data.get("text", "") or ""
    chosen = {str(c) for c in data.getlist("channels")} if hasattr(data, "getlist") else set()
    media_count = 1 if data.get("has_image") or request.FILES.get("image") else 0
    previews = []
    for channel in channels:
        if str(channel.pk) in chosen:
            body = (data.get(f"variant_{channel.pk}") or "").strip() or text
            previews.append(checks.preview(channel, body, media_count))
    check = None
    if text.strip():
        check = guard.text_check(practice=practice, text=text, kind="post", actor=membership)
    variant_checks = []
    for channel in channels:
        body = (data.get(f"variant_{channel.pk}") or "").strip()
        if str(channel.pk) in chosen and body:
            found = guard.text_check(
                practice=practice, text=body, kind="post", channel_type=channel.type,
                actor=membership,
            )  # fmt: skip
            variant_checks.append(
                {"channel": channel, "check": found, "segments": _segments(body, [
                    {**f, "target": "text"} for f in found.findings])}
            )  # fmt: skip
    links = checks.link_checks(
        text,
        credible=selectors.credible_domains(practice=practice),
        own_site=practice.website,
    )
    return {
        "previews": previews,
        "readability": checks.readability(text),
        "links": links,
        "check": check,
        "text_value": text,
        "variant_checks": variant_checks,
    }


def _initial(request: HttpRequest, post: Post | None) -> dict[str, Any]:
    if post is not None:
        local = timezone.localtime(post.scheduled_at) if post.scheduled_at else None
        initial: dict[str, Any] = {
            "text": post.text,
            "channels": [str(c.pk) for c in post.channels.all()],
            "scheduled_local": local.replace(tzinfo=None) if local else None,
            "pillar": post.pillar_id,
            "campaign": post.campaign_id,
            "version": post.version,
        }
        for variant in post.variants.all():
            initial[f"variant_{variant.channel_id}"] = variant.text
        return initial
    initial = {}
    observance = observance_get(request.GET.get("observance", ""))
    if observance:
        initial["text"] = observance.suggestion
    template_id = request.GET.get("template", "")
    if template_id.isdigit():
        template = selectors.template_list(actor=request.membership).filter(pk=template_id).first()  # type: ignore[attr-defined]
        if template:
            initial["text"] = template.text
            initial["pillar"] = template.pillar_id
    day = request.GET.get("date", "")
    with contextlib.suppress(ValueError):
        clock = dt.time(9)
        with contextlib.suppress(ValueError):  # a queue slot's time ("Add a draft here")
            clock = dt.time.fromisoformat(request.GET.get("time", ""))
        initial["scheduled_local"] = dt.datetime.combine(dt.date.fromisoformat(day), clock)
    channel = request.GET.get("channel", "")
    if channel.isdigit():  # only the practice's channels are choices of the form
        initial["channels"] = [channel]
    return initial


@member_required(Perm.COMPOSE)
def compose(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    practice = membership.practice
    post = selectors.post_get_for_actor(actor=membership, id=pk) if pk else None
    services.pillars_ensure_defaults(practice=practice)
    channels = list(channel_selectors.channel_list(actor=membership, usable_only=True))
    form = ComposeForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(request, post),
        channels=channels,
        pillars=selectors.pillar_list(actor=membership),
        campaigns=selectors.campaign_list(actor=membership),
        zone=practice.time_zone,
    )
    if request.method == "POST" and request.POST.get("action") == "slot":
        form = _with_next_slot(request, form)
    elif request.method == "POST" and request.POST.get("apply"):
        form = _with_replacement(request, form)  # the editor's no-JavaScript replace button
    elif request.method == "POST" and form.is_valid():
        saved = _save(request, form, post)
        if saved is not None:
            return redirect("content:post_detail", saved.pk)
    data = form.data if request.method == "POST" else _as_querydict(form.initial)
    context = {
        "form": form,
        "post": post,
        "channels": channels,
        **_preview_context(request, data, channels),
    }
    return TemplateResponse(request, "content/compose.html", context)


def _with_next_slot(request: HttpRequest, form: ComposeForm) -> ComposeForm:
    """Fill the time with the chosen channels' next free queue slot."""
    membership = request.membership  # type: ignore[attr-defined]
    data = request.POST.copy()
    chosen = set(data.getlist("channels"))
    channels = [c for c in form.channel_objects if str(c.pk) in chosen]
    when = selectors.next_free_slot(actor=membership, channels=channels, after=timezone.now())
    if when is None:
        messages.warning(request, "These channels have no free queue slot: set slots in Settings.")
    else:
        data["scheduled_local"] = timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
    return ComposeForm(
        data,
        initial=form.initial,
        channels=form.channel_objects,
        pillars=selectors.pillar_list(actor=membership),
        campaigns=selectors.campaign_list(actor=membership),
        zone=form.zone,
    )


def _with_replacement(request: HttpRequest, form: ComposeForm) -> ComposeForm:
    membership = request.membership  # type: ignore[attr-defined]
    data = request.POST.copy()
    text = data.get("text", "")
    check = guard.text_check(practice=membership.practice, text=text, kind="post")
    replaced = guard.replacement_apply(text, check.findings, data.get("apply", ""))
    if replaced is not None:
        data["text"] = replaced
    return ComposeForm(
        data,
        initial=form.initial,
        channels=form.channel_objects,
        pillars=selectors.pillar_list(actor=membership),
        campaigns=selectors.campaign_list(actor=membership),
        zone=form.zone,
    )


def _as_querydict(initial: dict[str, Any]):  # type: ignore[no-untyped-def]
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for key, value in initial.items():
        if isinstance(value, list):
            qd.setlist(key, value)
        elif value is not None:
            qd[key] = str(value)
    return qd


def _save(request: HttpRequest, form: ComposeForm, post: Post | None) -> Post | None:
    membership = request.membership  # type: ignore[attr-defined]
    ip = client_ip(request)
    data = form.cleaned_data
    try:
        media_ids = [m.pk for m in post.media.all()] if post else []
        if data.get("image"):
            asset = services.media_upload(
                actor=membership, data=data["image"].read(), alt_text=data["alt_text"], ip=ip
            )
            media_ids.append(asset.pk)
        fields = {
            "actor": membership,
            "text": data["text"],
            "channel_ids": data["channels"],
            "scheduled_at": form.scheduled_at(),
            "variants": form.variants(),
            "media_ids": media_ids,
            "pillar_id": data.get("pillar"),
            "campaign_id": data.get("campaign"),
            "ip": ip,
        }
        if post is None:
            post = services.post_create(**fields)
        else:
            post = services.post_update(
                post=post, expected_version=data.get("version") or post.version, **fields
            )
        if request.POST.get("action") == "submit":
            services.post_submit(actor=membership, post=post, ip=ip)
            messages.success(request, "Sent for approval.")
        else:
            messages.success(request, "Draft saved.")
        return post
    except ValidationError as exc:
        add_service_errors(form, exc, field_for=_post_field)
        if post is not None and post.pk and request.POST.get("action") == "submit":
            messages.error(request, "Saved, but not sent for approval: fix the findings first.")
    except (services.PostConflict, PermissionDenied) as exc:
        form.add_error(None, str(exc))
    return None


@require_POST
@member_required(Perm.COMPOSE)
def preview(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    channels = list(channel_selectors.channel_list(actor=membership, usable_only=True))
    return TemplateResponse(
        request, "content/compose.html#preview", _preview_context(request, request.POST, channels)
    )


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


@member_required(Perm.VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    zone = membership.practice.time_zone
    today = timezone.localdate()
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    view = "week" if request.GET.get("view") == "week" else "month"
    if view == "week":
        first = anchor - dt.timedelta(days=anchor.weekday())
        days = [first + dt.timedelta(days=i) for i in range(7)]
        prev, nxt = first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    else:
        weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
        days = [d for week in weeks for d in week]
        prev = (anchor.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        nxt = (anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = local_to_utc(dt.datetime.combine(days[0], dt.time()), zone)
    end = local_to_utc(dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time()), zone)
    posts = selectors.post_list(actor=membership, start=start, end=end).exclude(
        state=PostState.CANCELLED
    )
    posts = list(posts)
    free = selectors.free_slot_list(
        actor=membership, start=start, end=end, now=timezone.now(), posts=posts
    )
    # One list per day, in time order: posts and free slots interleaved.
    by_day: dict[dt.date, list[dict[str, Any]]] = {d: [] for d in days}
    for slot in free:
        local = timezone.localtime(slot.when)
        by_day.setdefault(local.date(), []).append({"at": slot.when, "slot": slot, "local": local})
    for post in posts:
        channel_ids = {c.pk for c in post.channels.all()}
        by_day.setdefault(timezone.localtime(post.scheduled_at).date(), []).append({
            "at": post.scheduled_at,
            "post": post,
            "channel_ids": ",".join(str(i) for i in sorted(channel_ids)),
            "slot_choices": [s for s in free if s.channel_id in channel_ids],
        })  # fmt: skip
    for items in by_day.values():
        items.sort(key=lambda e: (e["at"], "slot" in e))
    suggestions: dict[dt.date, list] = {}
    for obs, day in observances_between(days[0], days[-1]):
        suggestions.setdefault(day, []).append(obs)
    cells = [
        {
            "date": d,
            "items": by_day.get(d, []),
            "suggestions": suggestions.get(d, []),
            "other_month": view == "month" and d.month != anchor.month,
            "today": d == today,
        }
        for d in days
    ]
    context = {
        "view": view,
        "anchor": anchor,
        "cells": cells,
        "weeks": [cells[i : i + 7] for i in range(0, len(cells), 7)],
        "prev": prev,
        "next": nxt,
        "zone": zone,
        "can_move": membership.can(Perm.PUBLISH),
        "can_compose": membership.can(Perm.COMPOSE),
    }
    return TemplateResponse(request, "content/calendar.html", context)


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


def _post_field(field: str) -> str:
    name = FIELD_MAP.get(field, field)
    return "variant_" + name.split(".", 1)[1] if name.startswith("variants.") else name


# --------------------------------------------------------------------------- published posts


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
