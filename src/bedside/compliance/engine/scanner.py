"""scan(): run the detectors, resolve overlaps, apply the practice's context and the
reply rule, and build the report."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from typing import Any

from .context import _WORD, Context, coerce
from .disclosure import (
    PERSON,
    detect_ages,
    detect_biometrics,
    detect_dates,
    detect_disclosures,
    named_care,
    possessive_care,
)
from .errors import TextTooLarge
from .identifiers import Raw, city_findings, detect_identifiers, lowered
from .lexicon import HOLIDAYS, MONTHS, NOT_PERSON, WEEKDAYS, name_data
from .names import detect_names
from .report import Finding, Report

_DIGIT = re.compile(r"\d")
KINDS = frozenset({"post", "review_reply", "comment_reply", "community_post", "message"})
REPLY_KINDS = frozenset({"review_reply", "comment_reply", "message"})
MAX_TEXT_BYTES = 1_000_000

# When spans of different categories overlap, the more specific one wins.
PRIORITY = {
    c: i
    for i, c in enumerate(
        (
            "email",
            "url",
            "ip_address",
            "ssn",
            "health_plan_id",
            "mrn",
            "account_number",
            "license_number",
            "vehicle_id",
            "device_id",
            "other_id",
            "fax",
            "phone",
            "geo",
            "age_over_89",
            "date",
            "biometric",
            "name",
        )
    )
}
SAFE_REPLY = "We can't discuss anyone's care online; please contact our office directly"


def scan(text: str, *, kind: str, context: Context | dict[str, Any] | None = None) -> Report:
    """Scan one outgoing text. Raises ValueError for a bad kind, TextTooLarge, ContextError."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(sorted(KINDS))}, not {kind!r}")
    if len(text) * 4 > MAX_TEXT_BYTES or len(text) > MAX_TEXT_BYTES // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_TEXT_BYTES:
            raise TextTooLarge(size, MAX_TEXT_BYTES)
    ctx = coerce(context)
    if not text.strip():
        return Report(())
    raws = _without_own_name(text, ctx, _detect(text, ctx, kind))
    return Report(tuple(_finalise(text, ctx, kind, raws)))


def _without_own_name(text: str, ctx: Context, raws: list[Raw]) -> list[Raw]:
    """Drop name and place findings that lie inside the practice's own name."""
    pattern = ctx.own_name_pattern
    if pattern is None or not any(r[2] == "name" or r[2] == "geo" for r in raws):
        return raws
    own = [m.span() for m in pattern.finditer(text)]
    if not own:
        return raws
    return [
        r
        for r in raws
        if not (r[2] in ("name", "geo") and any(a <= r[0] and r[1] <= b for a, b in own))
    ]


def _detect(text: str, ctx: Context, kind: str) -> list[Raw]:
    low = lowered(text)
    has_digit = _DIGIT.search(text) is not None
    words = _word_set(low if low is not None else text.lower())
    names = list(detect_names(text, ctx, kind))
    raws = list(detect_identifiers(text, ctx, low, has_digit, words))
    raws += names
    name_spans = sorted((r[0], r[1]) for r in names)
    raws += detect_dates(text, low, has_digit, words, name_spans, kind in REPLY_KINDS)
    raws += detect_ages(text, low, has_digit, words)
    raws += detect_biometrics(text, low)
    raws += city_findings(text, ctx, PERSON, _not_place, name_spans)
    exclusive = _resolve(raws) if len(raws) > 1 else raws
    disclosures = list(detect_disclosures(text, low, words, kind in REPLY_KINDS, name_spans))
    disclosures += possessive_care(text, name_spans)
    blocking_names = [(r[0], r[1]) for r in names if r[3] == "block"]
    if blocking_names:
        disclosures += named_care(text, blocking_names)
    exclusive += _dedupe(disclosures)
    return exclusive


# Every byte that is not a-z becomes a space (non-ASCII characters are first encoded as "?").
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def _word_set(folded: str) -> set[str]:
    """The set of [a-z]+ runs of the lowercased text (as re.findall("[a-z]+"), in half the time)."""
    return set(folded.encode("ascii", "replace").translate(_LETTERS_ONLY).decode("ascii").split())


def _not_place(word: str, strong: bool) -> bool:
    """After 'from'/'in' a first name is more likely a person; after 'lives in' it is a town."""
    nd = name_data()
    return (
        word in MONTHS
        or word in WEEKDAYS
        or word in HOLIDAYS
        or word in NOT_PERSON
        or (word in nd.words and word not in nd.last)
        or (not strong and word in nd.first)
    )


def _resolve(raws: list[Raw]) -> list[Raw]:
    """Keep non-overlapping spans, preferring specific categories, then longer spans."""
    order = sorted(raws, key=lambda r: (PRIORITY[r[2]], r[0] - r[1], r[0]))
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping
    kept: list[Raw] = []
    for r in order:
        i = bisect_left(taken, (r[0], r[1]))
        if i > 0 and taken[i - 1][1] > r[0] or i < len(taken) and taken[i][0] < r[1]:
            continue
        insort(taken, (r[0], r[1]))
        kept.append(r)
    return kept


def _dedupe(raws: list[Raw]) -> list[Raw]:
    raws.sort(key=lambda r: (r[0], r[0] - r[1]))
    out: list[Raw] = []
    for r in raws:
        if out and r[0] < out[-1][1]:
            if r[1] > out[-1][1]:
                out[-1] = (out[-1][0], r[1], *out[-1][2:])
            continue
        out.append(r)
    return out


def _finalise(text: str, ctx: Context, kind: str, raws: list[Raw]) -> list[Finding]:
    raws.sort(key=lambda r: (r[0], r[1]))
    identifying = any(r[3] == "block" and r[2] != "patient_relationship" for r in raws)
    consent_story = None
    out: list[Finding] = []
    for start, end, category, severity, explanation, suggestion in raws:
        if category == "name" and ctx.consents:
            consent = _consent_for(text[start:end], ctx, "name")
            if consent is not None:
                severity = "info"
                explanation = f"Consent on file for {consent.name} covers the name on this channel."
                if "story" in consent.covers:
                    consent_story = consent
        if category == "patient_relationship":
            suggestion = _reply_suggestion(ctx)
            if kind not in REPLY_KINDS and not identifying:
                severity = "warn"
                explanation = "Describes a person's care; with any identifier it would be PHI."
        out.append(Finding(start, end, category, severity, explanation, suggestion))
    if consent_story is not None:
        out = [_story_info(f, consent_story.name) for f in out]
    return out


def _story_info(f: Finding, name: str) -> Finding:
    if f.category != "patient_relationship":
        return f
    return Finding(
        f.start,
        f.end,
        f.category,
        "info",
        f"Consent on file for {name} covers their story.",
        f.suggestion,
    )


def _reply_suggestion(ctx: Context) -> str:
    if ctx.practice_phone:
        return f"{SAFE_REPLY} at {ctx.practice_phone}."
    return SAFE_REPLY + "."


def _consent_for(span: str, ctx: Context, what: str) -> Any:
    tokens = {t.lower() for t in _WORD.findall(span)} - {"mr", "mrs", "ms", "miss", "mx", "dr"}
    tokens = {t[:-2] if t.endswith(("'s", "’s")) else t for t in tokens}
    if not tokens:
        return None
    for consent in ctx.consents:
        if what not in consent.covers:
            continue
        if consent.channels and (ctx.channel is None or ctx.channel not in consent.channels):
            continue
        if tokens <= consent.tokens():
            return consent
    return None
