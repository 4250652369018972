"""The one door to the compliance guard for community texts.

Calls `bedside.compliance.services.text_check` (the practice's profile, roster and
active consents as context; findings stored by content hash). Callers see
`check(...) -> GuardResult` only, so the guard can change behind this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# What each community text is, for the engine's rules.
KIND_COMMUNITY_POST = "community_post"  # a member's own post: self-disclosure warnings
KIND_ANSWER = "comment_reply"  # a clinician's public answer: the asker is public
KIND_PEER = "post"  # a clinician's case or question to peers
KIND_STORY = "post"  # a patient's success story published by the practice
CHANNEL = "community"  # consents name the practice site and community as "community"


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


def check(*, practice: Any, text: str, kind: str, actor: Any = None) -> GuardResult:
    """Scan one community text. Findings carry start, end, category, severity, explanation,
    suggestion; `info` findings (e.g. a name covered by a consent) never count."""
    from bedside.compliance.services import text_check

    result = text_check(practice=practice, text=text, kind=kind, channel_type=CHANNEL, actor=actor)
    findings = [f for f in result.findings if f.get("severity") != "info"]
    return GuardResult(verdict=result.verdict, findings=findings)
