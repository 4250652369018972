"""Snapshot of every report the engine gives on a fixed set of texts, to prove that a
speed change changed no output.

    python bench/compliance/snapshot.py OUT.json [ENGINE_SRC]  # write the snapshot
    diff <(python -m json.tool A.json) <(python -m json.tool B.json)   # or cmp

Texts: the 5,000-text generated corpus (run.py's seed), the hand-written hard cases
(tests/data/*.jsonl), the property test's clean texts and identifiers, the string literals
of the engine tests, and the 280-character cuts run.py times. Each text is scanned with its
own kind and context, with every other kind, and with no context; a copy prefixed with a
character whose lowercase is longer ("İ") takes the IGNORECASE path; a ~100 KB text joined
from the corpus takes the many-numbers path.
"""

from __future__ import annotations

import ast
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The engine from ENGINE_SRC (e.g. an export of the commit before a change), the texts from here.
sys.path[:0] = [sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "src"), str(ROOT)]

from bench.compliance.corpus import (  # noqa: E402
    IDENTIFIER_MAKERS,
    PRACTICES,
    Maker,
    clean_texts,
    generate,
)

SEED = 20261121
KINDS = ("post", "review_reply", "comment_reply", "community_post", "message")


def texts() -> list[tuple[str, str, str]]:
    """(text, kind, context_ref)."""
    out = [(i.text, i.kind, i.context_ref) for i in generate(5000, seed=SEED)]
    for path in sorted((ROOT / "tests/data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append((d["text"], d["kind"], d["context_ref"]))
    out += clean_texts()
    maker = Maker(7)
    for _name, make in sorted(IDENTIFIER_MAKERS.items()):
        for _ in range(20):
            out.append((f"Thanks for coming in! {make(maker)} was great.", "post", "raman"))
    for path in sorted((ROOT / "tests/compliance/engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and len(node.value) >= 3
                and " " in node.value
            ):
                out.append((node.value, "post", "raman"))
    joined = " ".join(t for t, _, _ in out[:5000])
    for i in range(1000):
        start = (i * 997) % max(1, len(joined) - 280)
        out.append((joined[start : start + 280], "post", "raman"))
    return out


def main() -> int:
    from bedside.compliance.engine import Context, scan

    contexts = {ref: Context.from_dict(data) for ref, data in PRACTICES.items()}
    t = time.perf_counter()
    reports = []
    base = texts()
    for text, kind, ref in base:
        for k in KINDS:
            reports.append(scan(text, kind=k, context=contexts[ref]).to_dict())
        reports.append(scan(text, kind=kind, context=None).to_dict())
        reports.append(scan("İ " + text, kind=kind, context=contexts[ref]).to_dict())
    big = " ".join(t for t, _, _ in base[:1200])[:100_000]
    for k in KINDS:
        reports.append(scan(big, kind=k, context=contexts["raman"]).to_dict())
    reports.append(scan("İ" + big, kind="post", context=contexts["raman"]).to_dict())
    elapsed = time.perf_counter() - t
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/compliance_snapshot.json")
    out.write_text(json.dumps(reports, ensure_ascii=False, indent=0), encoding="utf-8")
    findings = sum(len(r["findings"]) for r in reports)
    print(
        f"{len(base)} texts, {len(reports)} reports, {findings} findings -> {out} ({elapsed:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
