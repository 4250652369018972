from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from bedside.accounts.access import client_ip
from bedside.accounts.permissions import Perm
from bedside.accounts.services import practice_update_profile
from bedside.config.api import api_require

router = Router(tags=["accounts"])


class PracticeOut(Schema):
    slug: str
    name: str
    time_zone: str


class MeOut(Schema):
    email: str
    role: str
    practice: PracticeOut


@router.get("/me", response=MeOut, summary="Who this token acts as")
def me(request: HttpRequest) -> dict:
    membership = request.membership  # type: ignore[attr-defined]
    practice = membership.practice
    return {
        "email": membership.user.email,
        "role": membership.role,
        "practice": {"slug": practice.slug, "name": practice.name, "time_zone": practice.time_zone},
    }


class PracticeProfileOut(Schema):
    slug: str
    name: str
    time_zone: str
    street_address: str
    city: str
    state: str
    postal_code: str
    phone: str
    website: str
    idle_timeout_minutes: int


class PracticeProfilePatch(Schema):
    name: str | None = None
    time_zone: str | None = None
    street_address: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    website: str | None = None
    idle_timeout_minutes: int | None = Field(default=None, ge=1, le=60)


@router.get("/practice", response=PracticeProfileOut, summary="The token's practice profile")
def practice_get(request: HttpRequest):
    return request.practice  # type: ignore[attr-defined]


@router.patch("/practice", response=PracticeProfileOut, summary="Update the practice profile")
def practice_patch(request: HttpRequest, payload: PracticeProfilePatch):
    api_require(request, Perm.MANAGE_SETTINGS)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    return practice_update_profile(actor=request.membership, ip=client_ip(request), **fields)  # type: ignore[attr-defined]
