"""Listening API: monitors and mentions. Paths and shapes are fixed by issue 5."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bedside.accounts.access import client_ip
from bedside.accounts.permissions import Perm
from bedside.config.api import api_require
from bedside.listening import selectors, services
from bedside.listening.models import Mention, Monitor

router = Router(tags=["listening"])


class MonitorIn(Schema):
    name: str
    phrases: list[str]
    exclude: list[str] = []
    languages: list[str] = []
    kind: str = Monitor.Kind.CUSTOM
    active: bool = True


class MonitorOut(Schema):
    id: int
    name: str
    phrases: list[str]
    exclude: list[str]
    languages: list[str]
    kind: str
    active: bool
    created_at: datetime


class MonitorPage(Schema):
    count: int
    items: list[MonitorOut]


class MentionOut(Schema):
    id: int
    monitor: int
    phrase: str
    source: str
    external_id: str
    url: str
    author: str
    text: str
    published_at: datetime
    sentiment: str
    misinformation: bool
    state: str


class MentionPage(Schema):
    count: int
    items: list[MentionOut]


class MentionFilters(Schema):
    monitor: int | None = None
    sentiment: Mention.Sentiment | None = None
    since: datetime | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


def _monitor_out(m: Monitor) -> dict:
    return {
        "id": m.pk,
        "name": m.name,
        "phrases": m.phrases,
        "exclude": m.exclude,
        "languages": m.languages,
        "kind": m.kind,
        "active": m.active,
        "created_at": m.created_at,
    }


@router.post("/monitors", response={201: MonitorOut}, summary="Create a monitor")
def monitor_create(request: HttpRequest, payload: MonitorIn):  # type: ignore[no-untyped-def]
    api_require(request, Perm.MANAGE_LISTENING)
    monitor = services.monitor_create(
        actor=request.membership,
        ip=client_ip(request),
        **payload.dict(),  # type: ignore[attr-defined]
    )
    return Status(201, _monitor_out(monitor))


@router.get("/monitors", response=MonitorPage, summary="The practice's monitors")
def monitor_list(request: HttpRequest, page: Query[Page]):  # type: ignore[no-untyped-def]
    api_require(request, Perm.VIEW)
    qs = selectors.monitor_list(practice=request.practice).order_by("name", "pk")  # type: ignore[attr-defined]
    items = qs[page.offset : page.offset + page.limit]
    return {"count": qs.count(), "items": [_monitor_out(m) for m in items]}


@router.delete("/monitors/{monitor_id}", response={204: None}, summary="Delete a monitor")
def monitor_delete(request: HttpRequest, monitor_id: int):  # type: ignore[no-untyped-def]
    api_require(request, Perm.MANAGE_LISTENING)
    monitor = selectors.monitor_get_for_actor(actor=request.membership, id=monitor_id)  # type: ignore[attr-defined]
    services.monitor_delete(actor=request.membership, monitor=monitor, ip=client_ip(request))  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/mentions", response=MentionPage, summary="Mentions found for the practice")
def mention_list(request: HttpRequest, filters: Query[MentionFilters]):  # type: ignore[no-untyped-def]
    api_require(request, Perm.VIEW)
    if filters.since is not None and filters.since.tzinfo is None:
        raise ValidationError({"since": "Give a time zone, e.g. 2026-11-21T08:00:00Z."})
    qs = selectors.mention_list(
        practice=request.practice,  # type: ignore[attr-defined]
        monitor=filters.monitor,
        sentiment=filters.sentiment,
        since=filters.since,
    )
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "items": [
            {
                "id": m.pk,
                "monitor": m.monitor_id,
                "phrase": m.phrase,
                "source": m.source.public_uri,
                "external_id": m.external_id,
                "url": m.url,
                "author": m.author,
                "text": m.text,
                "published_at": m.published_at,
                "sentiment": m.sentiment,
                "misinformation": m.misinformation,
                "state": m.state,
            }
            for m in rows
        ],
    }


class MentionStateIn(Schema):
    state: Mention.State


@router.patch(
    "/mentions/{mention_id}",
    response=MentionOut,
    summary="Mark a mention seen, answered or ignored",
)
def mention_patch(request: HttpRequest, mention_id: int, payload: MentionStateIn):  # type: ignore[no-untyped-def]
    api_require(request, Perm.MANAGE_LISTENING)
    mention = selectors.mention_get_for_actor(actor=request.membership, id=mention_id)  # type: ignore[attr-defined]
    m = services.mention_set_state(
        actor=request.membership,
        mention=mention,
        state=payload.state,
        ip=client_ip(request),  # type: ignore[attr-defined]
    )
    return {
        "id": m.pk, "monitor": m.monitor_id, "phrase": m.phrase, "source": m.source.public_uri,
        "external_id": m.external_id, "url": m.url, "author": m.author, "text": m.text,
        "published_at": m.published_at, "sentiment": m.sentiment,
        "misinformation": m.misinformation, "state": m.state,
    }  # fmt: skip
