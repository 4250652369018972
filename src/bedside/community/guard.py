"""The one door to the compliance guard for community texts.

Until `bedside.compliance.services.text_check` lands, this calls the pure engine
with the practice's public facts as context. Switching to the service changes
this module only: callers see `check(...) -> GuardResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bedside.compliance.engine import Context, scan

# What each community text is, for the engine's rules.
KIND_COMMUNITY_POST = "community_post"  # a member's own post: self-disclosure warnings
KIND_ANSWER = "comment_reply"  # a clinician's public answer: the asker is public
KIND_PEER = "post"  # a clinician's case or question to peers


@dataclass(frozen=True)
class GuardResult:
    verdict: str  # "block" | "warn" | "pass"
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.verdict != "pass"

    @property
    def discloses_care(self) -> bool:
        """True when the text describes someone's (the writer's own) health or care."""
        return any(f["category"] == "patient_relationship" for f in self.findings)


def practice_context(practice: Any) -> Context:
    from bedside.community.models import ClinicianProfile

    staff = [
        m.user.display_name
        for m in practice.memberships.select_related("user")
        if m.user.display_name
    ]
    staff += list(ClinicianProfile.objects.filter(practice=practice).values_list("name", flat=True))
    return Context(
        practice_name=practice.name,
        staff=tuple(staff),
        practice_phone=practice.phone,
        practice_address=practice.address_line,
        website=practice.website,
        practice_email=practice.email,
        practice_fax=practice.fax,
    )


def check(*, practice: Any, text: str, kind: str, actor: Any = None) -> GuardResult:
    """Scan one community text. Findings carry start, end, category, severity, explanation,
    suggestion; `info` findings never change the verdict."""
    report = scan(text, kind=kind, context=practice_context(practice))
    findings = [f.to_dict() for f in report.findings if f.severity != "info"]
    return GuardResult(verdict=report.verdict, findings=findings)
