"""The one place content talks to the compliance service.

`bedside.compliance.services` (text_check, approval_requirement,
finding_override) is built on another branch; until it is merged this module
falls back to the compliance engine directly with the same shapes, so that
switching over changes nothing here but the import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

try:  # the real service, when merged
    from bedside.compliance import services as _service  # type: ignore[attr-defined]

    HAVE_SERVICE = hasattr(_service, "text_check")
except ImportError:  # pragma: no cover - depends on the merge state
    _service = None
    HAVE_SERVICE = False


@dataclass
class LocalCheck:
    """Same attributes as compliance's TextCheck: verdict, findings, content_hash."""

    verdict: str
    findings: list[dict[str, Any]]
    content_hash: str
    kind: str = "post"
    channel_type: str | None = None
    overridden: bool = False


@dataclass
class LocalRequirement:
    blocked: bool
    needs_second_person: bool
    reasons: list[str] = field(default_factory=list)


def _context(practice: Any) -> dict[str, Any]:
    from bedside.accounts.models import Membership

    staff = [
        name
        for name in Membership.objects.filter(practice=practice).values_list(
            "user__display_name", flat=True
        )
        if name
    ]
    return {
        "practice_name": practice.name,
        "staff": staff,
        "practice_phone": practice.phone,
        "practice_address": practice.address_line,
        "website": practice.website or None,
    }


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_check(*, practice: Any, text: str, kind: str = "post", channel_type=None, actor=None):
    """Scan one outgoing text; returns a TextCheck (verdict, findings, content_hash)."""
    if HAVE_SERVICE:
        return _service.text_check(
            practice=practice, text=text, kind=kind, channel_type=channel_type, actor=actor
        )
    from bedside.compliance.engine import scan

    report = scan(text, kind=kind, context=_context(practice))
    return LocalCheck(
        verdict=report.verdict,
        findings=[f.to_dict() for f in report.findings],
        content_hash=content_hash(text),
        kind=kind,
        channel_type=channel_type,
    )


def approval_requirement(*, practice: Any, checks: list[Any], author: Any):
    """blocked / needs_second_person / reasons for a set of checks of one item."""
    if HAVE_SERVICE:
        return _service.approval_requirement(practice=practice, checks=checks, author=author)
    blocked = [c for c in checks if c.verdict == "block" and not c.overridden]
    warned = [c for c in checks if c.verdict == "warn" or (c.verdict == "block" and c.overridden)]
    reasons = []
    if blocked:
        reasons.append("A finding blocks this text: fix it, or ask a compliance officer.")
    if warned:
        reasons.append("Findings need a second person to approve.")
    return LocalRequirement(bool(blocked), bool(warned or blocked), reasons)


def finding_override(*, actor: Any, check: Any, reason: str, ip: str | None = None):
    if HAVE_SERVICE:
        return _service.finding_override(actor=actor, check=check, reason=reason, ip=ip)
    check.overridden = True
    return check


def editor_template() -> str | None:
    """The compliance editor component, when the compliance app provides it."""
    try:
        get_template("compliance/_editor.html")
    except TemplateDoesNotExist:
        return None
    return "compliance/_editor.html"
