"""Helpers for the compliance engine tests (imported by name: the test folders are not packages)."""

from __future__ import annotations

from typing import Any

from bedside.compliance.engine import scan


def spans(text: str, *, kind: str = "post", context: Any = None) -> list[tuple[str, str, str]]:
    """(span text, category, severity) for each finding, in text order."""
    report = scan(text, kind=kind, context=context)
    return [(text[f.start : f.end], f.category, f.severity) for f in report.findings]


def verdict(text: str, *, kind: str = "post", context: Any = None) -> str:
    return scan(text, kind=kind, context=context).verdict
