"""The JSON API at /api/v1: bearer tokens, one error shape, routers per app.

Errors always answer `{"detail": ...}`; validation errors name the field in
`loc`, as Django Ninja does, and malformed JSON is a 422 on `body`.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.security import HttpBearer

from bedside.accounts.permissions import MFA_REQUIRED, Perm


class OrjsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return orjson.loads(request.body)
        except orjson.JSONDecodeError as exc:
            request._bedside_parse_error = f"Malformed JSON: {exc}"  # type: ignore[attr-defined]
            raise


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token acts as its member, in its practice."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from bedside.accounts.services import api_token_authenticate

        api_token = api_token_authenticate(raw_token=token)
        if api_token is None:
            return None
        membership = api_token.membership
        request.user = membership.user
        request.membership = membership  # type: ignore[attr-defined]
        request.practice = membership.practice  # type: ignore[attr-defined]
        return api_token


def api_require(request: HttpRequest, perm: Perm) -> None:
    """Raise 403 unless the token's member holds `perm` (with MFA where required)."""
    membership = request.membership  # type: ignore[attr-defined]
    if not membership.can(perm):
        raise HttpError(403, f"Your role ({membership.role}) does not allow this.")
    if perm in MFA_REQUIRED and not membership.user.has_mfa:
        raise HttpError(403, "Two-factor authentication must be set up before using this right.")


api = NinjaAPI(
    title="Bedside API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    parser=OrjsonParser(),
    renderer=OrjsonRenderer(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    parse_error = getattr(request, "_bedside_parse_error", None)
    if exc.status_code == 400 and parse_error:
        return api.create_response(
            request,
            {"detail": [{"loc": ["body"], "msg": parse_error, "type": "json_invalid"}]},
            status=422,
        )
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {
                "loc": ["body", field],
                "msg": " ".join(m for e in errors for m in e.messages),
                "type": "value_error",
            }
            for field, errors in exc.error_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]
    return api.create_response(request, {"detail": detail}, status=422)


def _register_routers() -> None:
    from bedside.accounts.api import router as accounts_router
    from bedside.channels.api import router as channels_router
    from bedside.community.api import router as community_router
    from bedside.compliance.api import router as compliance_router
    from bedside.content.api import router as content_router
    from bedside.listening.api import router as listening_router
    from bedside.publishing.api import router as publishing_router

    for router in (
        accounts_router, compliance_router, channels_router, content_router,
        publishing_router, listening_router, community_router,
    ):  # fmt: skip
        api.add_router("/", router)


_register_routers()
