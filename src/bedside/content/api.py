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


__all__ = ["router", "ValidationError"]
