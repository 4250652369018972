"""Findings and the report returned by `scan`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

SEVERITIES = ("block", "warn", "info")

CATEGORIES = (
    "name",
    "date",
    "age_over_89",
    "phone",
    "fax",
    "email",
    "ssn",
    "mrn",
    "health_plan_id",
    "account_number",
    "license_number",
    "vehicle_id",
    "device_id",
    "url",
    "ip_address",
    "biometric",
    "geo",
    "other_id",
    "patient_relationship",
)


class Finding(NamedTuple):
    """One span of the text that may identify a patient or disclose care (immutable)."""

    start: int
    end: int
    category: str
    severity: str
    explanation: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "category": self.category,
            "severity": self.severity,
            "explanation": self.explanation,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The engine's answer: findings in text order and a verdict (info never counts)."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def verdict(self) -> str:
        severities = {f.severity for f in self.findings}
        if "block" in severities:
            return "block"
        if "warn" in severities:
            return "warn"
        return "pass"

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}
