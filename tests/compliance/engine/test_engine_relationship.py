"""Care disclosures (patient_relationship) in their general forms, each beside the
general advice or marketing that uses the same words and must stay quiet."""

from __future__ import annotations

import pytest
from compliance_engine_helpers import spans

from bedside.compliance.engine import Context

DISCLOSURES = [
    # (text, kind, context ref, a span the finding must cover)
    ("Big day for Lila: cast off and back to soccer!", "post", "osei", "cast off"),
    ("Owen's braces came off this morning and wow.", "post", "raman", "braces came off"),
    ("Stitches out and smiling, Mateo!", "post", "lakeside", "Stitches out"),
    ("Ms. Tran thanked everyone in her Tuesday group.", "post", "brightpath", "her Tuesday group"),
    ("See you at your evening support group!", "comment_reply", "brightpath", "your evening support group"),
    ("Sorry to the family whose appointment we moved.", "post", "osei", "family whose appointment"),
    ("Officer Diaz brought his twins in for their shots.", "post", "osei", "Officer Diaz"),
]  # fmt: skip

QUIET = [
    # (text, kind, context ref): advice, events and staff; no care disclosure
    ("When the cast comes off, the skin may be dry for a week.", "post", "lakeside"),
    ("Braces off? Ask us about a retainer that fits your routine.", "post", "raman"),
    ("Our Tuesday group meets at 6 pm; new members welcome.", "post", "brightpath"),
    ("Parents whose kids need flu shots can walk in on Fridays.", "post", "osei"),
    ("Office Manager Hope Diaz will answer billing questions.", "post", "osei"),
    ("Ms. Diaz at the front desk can help with forms.", "post", "osei"),
]


@pytest.mark.parametrize(("text", "kind", "ref", "expected"), DISCLOSURES)
def test_care_disclosure_is_found(
    text: str, kind: str, ref: str, expected: str, contexts: dict[str, Context]
) -> None:
    found = spans(text, kind=kind, context=contexts[ref])
    start = text.index(expected)
    assert any(
        text.find(s) <= start < text.find(s) + len(s)
        or start <= text.find(s) < start + len(expected)
        for s, _, _ in found
    ), found


@pytest.mark.parametrize(("text", "kind", "ref"), QUIET)
def test_advice_and_staff_stay_quiet(
    text: str, kind: str, ref: str, contexts: dict[str, Context]
) -> None:
    assert spans(text, kind=kind, context=contexts[ref]) == []
