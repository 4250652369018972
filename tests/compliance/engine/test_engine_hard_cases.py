"""The hand-written hard cases reach the targets, so regressions fail CI."""

from __future__ import annotations

from bedside.compliance.engine import Context
from bench.compliance.corpus import PRACTICES, generate
from bench.compliance.metrics import TARGETS, Case, load_cases, ours, score

CONTEXTS = {ref: Context.from_dict(data) for ref, data in PRACTICES.items()}


def test_hard_cases_file_has_at_least_300_cases_of_every_kind() -> None:
    cases = load_cases()
    assert len(cases) >= 300
    assert {c.kind for c in cases} >= {"post", "review_reply", "comment_reply", "community_post"}


def test_hard_cases_reach_text_recall_and_false_block_targets() -> None:
    cases = load_cases()
    s = score(cases, [ours(c, CONTEXTS) for c in cases])
    assert s.text_recall >= TARGETS["text_recall"], s.misses
    assert s.false_block <= TARGETS["false_block"], s.misses


def test_generated_corpus_is_deterministic_and_labelled() -> None:
    a, b = generate(300, seed=3), generate(300, seed=3)
    assert [i.to_json() for i in a] == [i.to_json() for i in b]
    clean = sum(1 for i in a if not i.spans)
    assert 0.2 < clean / len(a) < 0.4
    assert {i.kind for i in a} == {"post", "review_reply", "comment_reply", "community_post"}
    for item in a:
        for start, end, _ in item.spans:
            assert 0 <= start < end <= len(item.text)


def test_generated_corpus_reaches_targets() -> None:
    items = generate(1500, seed=99)
    cases = [Case(i.id, i.text, i.kind, i.context_ref, i.spans, i.verdict) for i in items]
    s = score(cases, [ours(c, CONTEXTS) for c in cases])
    assert s.text_recall >= TARGETS["text_recall"]
    assert s.false_block <= TARGETS["false_block"]


def test_blind_sets_tuned_on_do_not_regress() -> None:
    # The blind dev sets (d, e) and the second set (t) were written without reading the
    # engine and then tuned on; their figures (docs/compliance-engine.md) are below the
    # 0.99 target, so this guards against regressions rather than claiming the target.
    from bench.compliance.metrics import DEV2_CASES, DEV_CASES, HELD_OUT_CASES

    cases = [c for path in (DEV_CASES, DEV2_CASES, HELD_OUT_CASES) for c in load_cases(path)]
    s = score(cases, [ours(c, CONTEXTS) for c in cases])
    assert s.text_recall >= 0.96, s.misses
    assert s.false_block <= TARGETS["false_block"], s.misses
