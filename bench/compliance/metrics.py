"""Accuracy figures shared by the benchmark and the tests.

A gold span counts as found when a predicted span of the same category overlaps it
(partial overlap is enough: tools and annotators draw span edges differently). A predicted
span is correct when it overlaps a gold span of its category. 'info' findings (consent on
file) are not predictions. Text-level: a gold 'block' text is recalled when the tool says
'block'; a clean text (no gold span) is falsely blocked when the tool says 'block'.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "tests/data"
HARD_CASES = DATA / "compliance_hard_cases.jsonl"
# Written blind (without reading the engine) on 2026-11-21. DEV (d) was tuned on; HELD_OUT
# (t) was measured first, then looked into and tuned on too (its first figures are in
# docs/compliance-engine.md); FINAL (u), written later, is measured only, never looked into.
DEV_CASES = DATA / "compliance_dev.jsonl"
DEV2_CASES = DATA / "compliance_dev2.jsonl"  # (e) a second blind dev set, 400 cases, tuned on
HELD_OUT_CASES = DATA / "compliance_heldout.jsonl"
FINAL_CASES = DATA / "compliance_heldout2.jsonl"
HAND_WRITTEN = (HARD_CASES, DEV_CASES, DEV2_CASES, HELD_OUT_CASES, FINAL_CASES)
SPAN_TARGET_CATEGORIES = ("name", "date", "phone", "email", "mrn", "geo", "patient_relationship")
TARGETS = {
    "text_recall": 0.99,
    "false_block": 0.05,
    "span_recall": 0.97,
    "speedup": 50.0,
    "p99_ms": 5.0,
}

Span = tuple[int, int, str]


@dataclass
class Case:
    id: str
    text: str
    kind: str
    context_ref: str
    spans: list[Span]
    verdict: str


@dataclass
class Prediction:
    verdict: str
    spans: list[Span]


@dataclass
class Scores:
    blocks: int = 0
    blocks_found: int = 0
    clean: int = 0
    clean_blocked: int = 0
    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold_found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted_ok: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[str, str]] = field(default_factory=list)  # (case id, why)

    @property
    def text_recall(self) -> float:
        return self.blocks_found / self.blocks if self.blocks else 1.0

    @property
    def false_block(self) -> float:
        return self.clean_blocked / self.clean if self.clean else 0.0

    def span_recall(self, category: str) -> float | None:
        n = self.gold.get(category, 0)
        return self.gold_found.get(category, 0) / n if n else None

    def span_precision(self, category: str) -> float | None:
        n = self.predicted.get(category, 0)
        return self.predicted_ok.get(category, 0) / n if n else None


def _overlaps(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def score(cases: list[Case], predictions: list[Prediction]) -> Scores:
    s = Scores()
    for case, pred in zip(cases, predictions, strict=True):
        if case.verdict == "block":
            s.blocks += 1
            if pred.verdict == "block":
                s.blocks_found += 1
            else:
                s.misses.append((case.id, f"missed block ({pred.verdict})"))
        if not case.spans and case.verdict == "pass":
            s.clean += 1
            if pred.verdict == "block":
                s.clean_blocked += 1
                s.misses.append((case.id, "false block"))
        for g in case.spans:
            s.gold[g[2]] += 1
            if any(_overlaps(g, p) for p in pred.spans):
                s.gold_found[g[2]] += 1
        for p in pred.spans:
            s.predicted[p[2]] += 1
            if any(_overlaps(p, g) for g in case.spans):
                s.predicted_ok[p[2]] += 1
    return s


def load_cases(path: Path = HARD_CASES) -> list[Case]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d: dict[str, Any] = json.loads(line)
            spans = [(int(a), int(b), str(c)) for a, b, c in d["spans"]]
            out.append(Case(d["id"], d["text"], d["kind"], d["context_ref"], spans, d["verdict"]))
    return out


def ours(case: Case, contexts: dict[str, Any]) -> Prediction:
    from bedside.compliance.engine import scan

    report = scan(case.text, kind=case.kind, context=contexts[case.context_ref])
    spans = [(f.start, f.end, f.category) for f in report.findings if f.severity != "info"]
    return Prediction(report.verdict, spans)
