"""Findings and the report returned by `scan`."""

from __future__ import annotations

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


class Report:
    """The engine's answer: findings in text order and a verdict (info never counts)."""

    __slots__ = ("findings",)

    def __init__(self, findings: tuple[Finding, ...] = ()) -> None:
        self.findings = tuple(findings)

    def __repr__(self) -> str:
        return f"Report(verdict={self.verdict!r}, findings={list(self.findings)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Report) and self.findings == other.findings

    def __hash__(self) -> int:
        return hash(self.findings)

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
