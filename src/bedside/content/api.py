"""Posts API (shapes fixed by the issue; outside tools drive it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from bedside.accounts.access import client_ip
from bedside.accounts.permissions import Perm
from bedside.config.api import api_require
from bedside.content import selectors, services
from bedside.content.models import Post

router = Router(tags=["posts"])


class PostIn(Schema):
    text: str
    channels: list[int]
    scheduled_at: datetime | None = None
    variants: dict[str, str] | None = None
    media: list[int] = []
    pillar: int | None = None
    campaign: int | None = None


class DeliveryOut(Schema):
    id: int
    channel: int
    channel_type: str
    state: str
    external_id: str
    url: str
    error: str
    fix_url: str
    attempts: int
    due_at: datetime | None


class PostOut(Schema):
    id: int
    state: str
    text: str
    scheduled_at: datetime | None
    version: int
    channels: list[int]
    variants: dict[str, str]
    media: list[int]
    verdict: str
    findings: list[dict[str, Any]]
    approved_revision: int | None
    deliveries: list[DeliveryOut]
    created_at: datetime
    updated_at: datetime


def post_out(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "state": post.state,
        "text": post.text,
        "scheduled_at": post.scheduled_at,
        "version": post.version,
        "channels": sorted(c.pk for c in post.channels.all()),
        "variants": {str(v.channel_id): v.text for v in post.variants.all()},
        "media": [m.pk for m in post.media.all()],
        "verdict": post.verdict,
        "findings": post.findings,
        "approved_revision": post.approved_revision_id,
        "deliveries": [
            {
                "id": d.pk,
                "channel": d.channel_id,
                "channel_type": d.channel.type,
                "state": d.state,
                "external_id": d.external_id,
                "url": d.url,
                "error": d.error,
                "fix_url": d.fix_url,
                "attempts": d.attempts,
                "due_at": d.due_at,
            }
            for d in post.deliveries.all()
        ],
        "created_at": post.created_at,
        "updated_at": post.updated_at,
    }


def _fresh(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return post_out(selectors.post_get_for_actor(actor=request.membership, id=post_id))  # type: ignore[attr-defined]


def _call(fn, **kw):  # type: ignore[no-untyped-def]
    try:
        return fn(**kw)
    except services.PostConflict as exc:
        raise HttpError(409, str(exc)) from None


@router.post("/posts", response={201: PostOut}, summary="Create a post (a draft)")
def post_create(request: HttpRequest, payload: PostIn):
    api_require(request, Perm.COMPOSE)
    post = services.post_create(
        actor=request.membership,  # type: ignore[attr-defined]
        text=payload.text,
        channel_ids=payload.channels,
        scheduled_at=payload.scheduled_at,
        variants=payload.variants,
        media_ids=payload.media,
        pillar_id=payload.pillar,
        campaign_id=payload.campaign,
        ip=client_ip(request),
    )
    return Status(201, _fresh(request, post.pk))


class PostPage(Schema):
    count: int
    items: list[PostOut]


@router.get("/posts", response=PostPage, summary="Posts, newest first; filter by state")
def post_list(request: HttpRequest, state: str | None = None, limit: int = 50, offset: int = 0):
    api_require(request, Perm.VIEW)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    qs = selectors.post_list(actor=request.membership, state=state or None)  # type: ignore[attr-defined]
    return {"count": qs.count(), "items": [post_out(p) for p in qs[offset : offset + limit]]}


@router.get("/posts/{post_id}", response=PostOut, summary="One post with findings and deliveries")
def post_get(request: HttpRequest, post_id: int):
    api_require(request, Perm.VIEW)
    return _fresh(request, post_id)


@router.post("/posts/{post_id}/submit", response=PostOut, summary="Send a draft for approval")
def post_submit(request: HttpRequest, post_id: int):
    api_require(request, Perm.SUBMIT)
    post = selectors.post_get_for_actor(actor=request.membership, id=post_id)  # type: ignore[attr-defined]
    _call(services.post_submit, actor=request.membership, post=post, ip=client_ip(request))  # type: ignore[attr-defined]
    return _fresh(request, post_id)


@router.post("/posts/{post_id}/approve", response=PostOut, summary="Approve and schedule")
def post_approve(request: HttpRequest, post_id: int):
    api_require(request, Perm.APPROVE)
    post = selectors.post_get_for_actor(actor=request.membership, id=post_id)  # type: ignore[attr-defined]
    _call(services.post_approve, actor=request.membership, post=post, ip=client_ip(request))  # type: ignore[attr-defined]
    return _fresh(request, post_id)


# --------------------------------------------------------------------------- editing


class PostPatchIn(Schema):
    text: str
    variants: dict[str, str] | None = None


class NotEditableOut(Schema):
    delivery: int
    channel: int
    reason: str


class PostEditOut(Schema):
    id: int
    state: str
    revision: int
    text: str
    variants: dict[str, str]
    verdict: str
    findings: list[dict[str, Any]]
    needs_second_person: bool
    not_editable: list[NotEditableOut]
    post: PostOut


def _edit_out(request: HttpRequest, edit: Any) -> dict[str, Any]:
    from bedside.publishing import services as publishing

    post = selectors.post_get_for_actor(actor=request.membership, id=edit.post_id)  # type: ignore[attr-defined]
    not_editable = []
    for d in publishing.deliveries_live_for_post(post=post):
        reason = publishing.delivery_edit_refusal(d)
        if reason:
            not_editable.append({"delivery": d.pk, "channel": d.channel_id, "reason": reason})
    return {
        "id": edit.pk, "state": edit.state, "revision": edit.revision.number,
        "text": edit.revision.text, "variants": edit.revision.variants, "verdict": edit.verdict,
        "findings": edit.findings, "needs_second_person": edit.needs_second_person,
        "not_editable": not_editable, "post": post_out(post),
    }  # fmt: skip


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, 201: PostEditOut},
    summary="Edit a post's text: in place for a draft (200), or as an edit of a published "
    "post that waits for approval (201)",
)
def post_patch(request: HttpRequest, post_id: int, payload: PostPatchIn):
    api_require(request, Perm.COMPOSE)
    membership = request.membership  # type: ignore[attr-defined]
    post = selectors.post_get_for_actor(actor=membership, id=post_id)
    from bedside.publishing import services as publishing

    if publishing.deliveries_live_for_post(post=post):
        api_require(request, Perm.SUBMIT)
        edit = _call(
            services.post_edit_propose, actor=membership, post=post, text=payload.text,
            variants=payload.variants, ip=client_ip(request),
        )  # fmt: skip
        return Status(201, _edit_out(request, edit))
    variants = payload.variants
    if variants is None:
        variants = {str(v.channel_id): v.text for v in post.variants.all()}
    _call(
        services.post_update, actor=membership, post=post, text=payload.text,
        channel_ids=[c.pk for c in post.channels.all()], scheduled_at=post.scheduled_at,
        variants=variants, media_ids=[m.pk for m in post.media.all()], pillar_id=post.pillar_id,
        campaign_id=post.campaign_id, ip=client_ip(request),
    )  # fmt: skip
    return Status(200, _fresh(request, post_id))


def _edit_call(request: HttpRequest, post_id: int, edit_id: int, fn: Any) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    post = selectors.post_get_for_actor(actor=membership, id=post_id)
    edit = selectors.post_edit_get_for_actor(actor=membership, post=post, id=edit_id)
    edit = _call(fn, actor=membership, edit=edit, ip=client_ip(request))
    return _edit_out(request, edit)


@router.post(
    "/posts/{post_id}/edits/{edit_id}/approve",
    response=PostEditOut,
    summary="Approve an edit of a published post; editable networks are updated",
)
def post_edit_approve(request: HttpRequest, post_id: int, edit_id: int):
    api_require(request, Perm.APPROVE)
    return _edit_call(request, post_id, edit_id, services.post_edit_approve)


@router.post(
    "/posts/{post_id}/edits/{edit_id}/reject",
    response=PostEditOut,
    summary="Send an edit of a published post back (the live text stays)",
)
def post_edit_reject(request: HttpRequest, post_id: int, edit_id: int):
    api_require(request, Perm.APPROVE)
    return _edit_call(request, post_id, edit_id, services.post_edit_reject)


__all__ = ["router", "ValidationError"]
