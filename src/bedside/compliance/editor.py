"""The editor component's logic: highlighted segments and one-click replacements.

Pure functions over a text and its stored findings (offsets into that exact text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bedside.compliance.models import KIND_CHOICES


@dataclass(frozen=True)
class Segment:
    text: str
    finding: dict[str, Any] | None = None
    number: int = 0


def token(finding: dict[str, Any]) -> str:
    """What a replacement button sends: the span and category it was shown for."""
    return f"{finding['start']}:{finding['end']}:{finding['category']}"


def shown_findings(text: str, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings in text order with their span, number and replacement token (for the page)."""
    out = []
    for number, f in enumerate(sorted(findings, key=lambda f: (f["start"], f["end"])), start=1):
        out.append(
            {
                **f,
                "number": number,
                "quote": text[f["start"] : f["end"]],
                "category_label": f["category"].replace("_", " "),
                "token": token(f),
                "replaceable": bool(f.get("suggestion")) and f["severity"] != "info",
            }
        )
    return out


def segments(text: str, shown: list[dict[str, Any]]) -> list[Segment]:
    """The text cut into plain and marked pieces; a finding overlapping an earlier one is
    marked only from where the earlier one ends."""
    out: list[Segment] = []
    pos = 0
    for f in shown:
        start, end = max(f["start"], pos), f["end"]
        if end <= start:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], f, f["number"]))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def replacement_apply(text: str, findings: list[dict[str, Any]], chosen: str) -> str | None:
    """The text with the chosen finding's suggestion in place of its span; None when the
    token matches no finding of this text (it was edited since the findings were shown)."""
    for f in findings:
        if token(f) == chosen and f.get("suggestion"):
            return text[: f["start"]] + f["suggestion"] + text[f["end"] :]
    return None


def editor_vals(
    *, editor_id: str, name: str, label: str = "", kind: str = "", channel: str = ""
) -> str:
    """hx-vals for the editor: which field holds the text, and a fixed kind/channel (which win
    over the host form's own "kind" and "channel" fields)."""
    vals = {"editor_id": editor_id, "text_field": name, "editor_label": label}
    if kind:
        vals["editor_kind"] = kind
    if channel:
        vals["editor_channel"] = channel
    return json.dumps(vals)


KIND_LABELS = dict(KIND_CHOICES)
