"""The one place content talks to the compliance service.

Every text a post can send (base text, each network's variant, each image's alt
text) goes through `bedside.compliance.services.text_check`; the approval rules
come from its `approval_requirement`; overrides from `finding_override`.
"""

from __future__ import annotations

from typing import Any

from bedside.compliance import services as _service
from bedside.compliance.editor import replacement_apply

__all__ = ["approval_requirement", "finding_override", "replacement_apply", "text_check"]


def text_check(*, practice: Any, text: str, kind: str = "post", channel_type=None, actor=None):
    """Scan one outgoing text; returns a TextCheck (verdict, findings, content_hash)."""
    return _service.text_check(
        practice=practice, text=text, kind=kind, channel_type=channel_type, actor=actor
    )


def approval_requirement(*, practice: Any, checks: list[Any], author: Any):
    """blocked / needs_second_person / reasons for the checks of one post."""
    return _service.approval_requirement(practice=practice, checks=checks, author=author)


def finding_override(*, actor: Any, check: Any, reason: str, ip: str | None = None):
    return _service.finding_override(actor=actor, check=check, reason=reason, ip=ip)
