"""Size limits, empty text and linear time."""

from __future__ import annotations

import time

import pytest

from bedside.compliance.engine import MAX_TEXT_BYTES, TextTooLarge, scan


def test_empty_and_blank_text_pass_with_no_findings() -> None:
    assert scan("", kind="post").to_dict() == {"verdict": "pass", "findings": []}
    assert scan("   \n\t", kind="review_reply").to_dict() == {"verdict": "pass", "findings": []}


def test_text_over_one_megabyte_is_rejected() -> None:
    with pytest.raises(TextTooLarge) as err:
        scan("a" * (MAX_TEXT_BYTES + 1), kind="post")
    assert isinstance(err.value, ValueError)
    assert err.value.size == MAX_TEXT_BYTES + 1


def test_limit_counts_utf8_bytes_not_characters() -> None:
    # 250,001 four-byte characters are 1,000,004 bytes
    with pytest.raises(TextTooLarge):
        scan("😀" * 250_001, kind="post")


def test_text_of_exactly_one_megabyte_is_scanned() -> None:
    assert scan("a" * MAX_TEXT_BYTES, kind="post").verdict == "pass"


def test_100kb_text_scans_in_linear_time() -> None:
    # given a 100 KB text full of names, numbers, dates and care phrases
    unit = (
        "Mrs. Okafor came in for her crown yesterday, call 737-555-0188. "
        "We are closed Nov 27. Grace and Will say hi! #TeamMarisol MRN 00482913. "
    )
    text = unit * (100_000 // len(unit) + 1)
    start = time.perf_counter()
    report = scan(text, kind="post")
    elapsed = time.perf_counter() - start
    # then it completes (a generous bound: the machine is shared) with every repeat found
    assert elapsed < 5.0
    assert sum(f.category == "phone" for f in report.findings) == text.count("737-555-0188")


def test_pathological_repetition_stays_fast() -> None:
    # long runs that could make a backtracking regex explode
    for text in ("1 " * 50_000, "a-" * 50_000, "Aa " * 30_000, "@" * 100_000, "her " * 25_000):
        start = time.perf_counter()
        scan(text, kind="review_reply")
        assert time.perf_counter() - start < 5.0, text[:10]
