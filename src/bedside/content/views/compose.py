"""The composer: writing a post, its per-network previews and checks, and saving it."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.channels import selectors as channel_selectors
from bedside.content import checks, guard, selectors, services
from bedside.content.forms import ComposeForm
from bedside.content.models import Post
from bedside.content.observances import observance_get
from bedside.core.forms import add_service_errors

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


def _post_field(field: str) -> str:
    name = FIELD_MAP.get(field, field)
    return "variant_" + name.split(".", 1)[1] if name.startswith("variants.") else name


# --------------------------------------------------------------------------- published posts
