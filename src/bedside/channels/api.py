"""Channels API: connect a channel, list them. Secrets go in, never come out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from bedside.accounts.access import client_ip
from bedside.accounts.permissions import Perm
from bedside.channels import selectors, services
from bedside.config.api import api_require

router = Router(tags=["channels"])


class ChannelIn(Schema):
    type: str
    name: str
    settings: dict[str, Any] = {}


class ChannelOut(Schema):
    id: int
    type: str
    name: str
    status: str
    settings: dict[str, Any]
    has_credentials: bool
    token_expires_at: datetime | None
    last_error: str
    created_at: datetime


@router.post("/channels", response={201: ChannelOut}, summary="Connect a channel")
def channel_create(request: HttpRequest, payload: ChannelIn):
    api_require(request, Perm.MANAGE_CHANNELS)
    channel = services.channel_create(
        actor=request.membership,  # type: ignore[attr-defined]
        type=payload.type,
        name=payload.name,
        settings=payload.settings,
        ip=client_ip(request),
    )
    return Status(201, channel)


@router.get("/channels", response=list[ChannelOut], summary="The practice's channels")
@paginate(LimitOffsetPagination)
def channel_list(request: HttpRequest):
    api_require(request, Perm.VIEW)
    return selectors.channel_list(actor=request.membership)  # type: ignore[attr-defined]
