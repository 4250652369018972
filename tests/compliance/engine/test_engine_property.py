"""Property: inserting any identifier from the corpus generator into any clean text yields
a finding that covers it."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bedside.compliance.engine import Context, scan
from bedside.compliance.engine.lexicon import PUBLIC_FIGURES
from bench.compliance.corpus import IDENTIFIER_MAKERS, PRACTICES, Maker, clean_texts

CLEAN = clean_texts(seed=11, n=120)
CONTEXTS = {ref: Context.from_dict(data) for ref, data in PRACTICES.items()}
# Labels stay in the text ("MRN 123"); the value is what must be covered.
_LABEL = re.compile(
    r"^(?:MRN|member ID|account number|driver's license|VIN|serial number|claim number|she) "
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clean=st.sampled_from(CLEAN),
    category=st.sampled_from(sorted(IDENTIFIER_MAKERS)),
    seed=st.integers(min_value=0, max_value=10_000),
    where=st.integers(min_value=0, max_value=1_000),
)
def test_inserted_identifier_is_found(
    clean: tuple[str, str, str], category: str, seed: int, where: int
) -> None:
    text, kind, ref = clean
    # given a clean text, which passes on its own
    assert scan(text, kind=kind, context=CONTEXTS[ref]).verdict == "pass"
    # when an identifier is inserted as its own sentence at a sentence boundary
    value = IDENTIFIER_MAKERS[category](Maker(seed))
    if category == "name":
        # a generated name that shares a word with the practice's staff is the staff's
        assume(not set(re.findall(r"[a-z]+", value.lower())) & CONTEXTS[ref].allowed_name_tokens)
        # Faker now and then names a public figure ("Michael Jordan"): not a patient
        assume(value.lower().replace(".", "") not in PUBLIC_FIGURES)
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?] ", text)] + [len(text)]
    at = bounds[where % len(bounds)]
    sentence = f"{value}. " if at < len(text) else f" {value}."
    new = text[:at] + sentence + text[at:]
    start = new.index(value, at) + (len(m.group()) if (m := _LABEL.match(value)) else 0)
    end = new.index(value, at) + len(value)
    # then some finding covers the identifier (beyond any label) and the text no longer passes
    report = scan(new, kind=kind, context=CONTEXTS[ref])
    covering = [
        f for f in report.findings if f.start < end and f.end > start and f.severity != "info"
    ]
    assert covering, (category, new, report.to_dict())
