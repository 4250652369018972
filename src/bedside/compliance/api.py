"""POST /api/v1/scan: the `bedside scan` command over HTTP (one object or a list).

Input  {"id"?, "text", "kind"? (default "post"), "context"?} or a list of them.
Output {"id", "verdict", "findings": [{"start", "end", "category", "severity",
        "explanation", "suggestion"}]} or a list, in input order.
Without "context" the practice's own (compliance_context) is used. Nothing is stored: this
is a checking tool, like the command; texts that go out are checked by their apps through
compliance.services.text_check.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from bedside.accounts.permissions import Perm
from bedside.compliance.engine import (
    KINDS,
    MAX_TEXT_BYTES,
    Context,
    ContextError,
    TextTooLarge,
    scan,
)
from bedside.compliance.services import compliance_context
from bedside.config.api import api_require

router = Router(tags=["compliance"])


class FindingOut(Schema):
    start: int
    end: int
    category: str
    severity: str
    explanation: str
    suggestion: str


class ScanOut(Schema):
    id: Any = None
    verdict: str
    findings: list[FindingOut]


_ITEM_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "id": {"description": "echoed back; any JSON value"},
        "text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_BYTES},
        "kind": {"type": "string", "enum": sorted(KINDS), "default": "post"},
        "context": {
            "type": "object",
            "description": "practice_name, staff, practice_phone, practice_address, website, "
            "consents [{name, covers, channels}], channel; default: the practice's own",
        },
    },
}
_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"oneOf": [_ITEM_SCHEMA, {"type": "array", "items": _ITEM_SCHEMA}]}
            }
        },
    }
}


class _Unprocessable(Exception):
    def __init__(self, loc: list[Any], msg: str, type_: str = "value_error") -> None:
        super().__init__(msg)
        self.detail = [{"loc": ["body", *loc], "msg": msg, "type": type_}]


def _json(data: Any, status: int) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def _too_large(detail: str) -> HttpResponse:
    return _json({"detail": detail}, 413)


def _body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2 * 1024 * 1024)


def _scan_one(item: Any, loc: list[Any], own: dict[str, Any] | Context) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _Unprocessable(loc, "Expected an object with text, kind and context.", "type_error")
    text = item.get("text")
    if not isinstance(text, str):
        raise _Unprocessable([*loc, "text"], "text is required and must be a string.", "missing")
    if not text.strip():
        raise _Unprocessable([*loc, "text"], "text is empty.")
    kind = item.get("kind", "post")
    if not isinstance(kind, str) or kind not in KINDS:
        raise _Unprocessable(
            [*loc, "kind"], f"kind must be one of: {', '.join(sorted(KINDS))}.", "enum"
        )
    context = item.get("context")
    try:
        ctx = own if context is None else Context.from_dict(context)
    except ContextError as exc:
        where = [] if exc.field == "(root)" else exc.field.split(".")
        raise _Unprocessable([*loc, "context", *where], str(exc)) from exc
    report = scan(text, kind=kind, context=ctx)
    return {
        "id": item.get("id"),
        "verdict": report.verdict,
        "findings": [f.to_dict() for f in report.findings],
    }


@router.post(
    "/scan",
    response=ScanOut | list[ScanOut],
    summary="Scan texts for PHI and patient disclosures (like `bedside scan`)",
    openapi_extra=_OPENAPI,
)
def scan_texts(request: HttpRequest):
    api_require(request, Perm.VIEW)
    limit = _body_limit()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _too_large(
            f"The request body is {declared} bytes, over the {limit}-byte limit "
            f"(each text may be at most {MAX_TEXT_BYTES} bytes)."
        )
    try:
        body = request.body
    except RequestDataTooBig:
        return _too_large(f"The request body is over the {limit}-byte limit.")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return _json(
            {
                "detail": [
                    {"loc": ["body"], "msg": f"Malformed JSON: {exc}", "type": "json_invalid"}
                ]
            },
            422,
        )
    own = Context.from_dict(compliance_context(practice=request.practice))  # type: ignore[attr-defined]
    try:
        if isinstance(data, list):
            return [_scan_one(item, [i], own) for i, item in enumerate(data)]
        return _scan_one(data, [], own)
    except _Unprocessable as exc:
        return _json({"detail": exc.detail}, 422)
    except TextTooLarge as exc:
        return _too_large(f"The text is {exc.size} bytes, over the {exc.limit}-byte limit.")
