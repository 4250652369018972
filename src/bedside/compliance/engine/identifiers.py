"""Detectors for the numeric and structured Safe Harbor identifiers.

Every pattern is bounded (no nested unbounded repetition), so each runs in linear time.
Each detector yields (start, end, category, severity, explanation, suggestion).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from . import compiled
from .context import Context, normalize
from .lexicon import STATE_ABBR, STATE_NAMES, STREET_SUFFIXES, STRONG_STREET_SUFFIXES, US_STATES

Raw = tuple[int, int, str, str, str, str]


class CI:
    """A case-insensitive pattern, run without IGNORECASE on the lowercased text when
    lowercasing kept every offset (much faster in CPython's re), else with IGNORECASE.
    Compiled on first use: a pattern whose trigger words never occur costs nothing."""

    __slots__ = ("pattern", "_plain", "_folded")
    instances: list[CI] = []  # every CI made (for compiled.build)

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._plain: re.Pattern[str] | None = None
        self._folded: re.Pattern[str] | None = None
        CI.instances.append(self)

    @property
    def plain(self) -> re.Pattern[str]:
        if self._plain is None:
            self._plain = compiled.compile(self.pattern)
        return self._plain

    @property
    def folded(self) -> re.Pattern[str]:
        if self._folded is None:
            self._folded = compiled.compile(self.pattern, re.IGNORECASE)
        return self._folded

    def finditer(self, text: str, lowered: str | None) -> Iterator[re.Match[str]]:
        if lowered is None:
            return self.folded.finditer(text)
        return self.plain.finditer(lowered)

    def search(self, text: str, lowered: str | None) -> re.Match[str] | None:
        if lowered is None:
            return self.folded.search(text)
        return self.plain.search(lowered)


def lowered(text: str) -> str | None:
    low = text.lower()
    return low if len(low) == len(text) else None


_ID = r"(?=[a-z\-]{0,24}\d)[a-z0-9][a-z0-9\-]{3,24}"  # an identifier value after a label (text lowercased)
_SEP = (
    r"(?:\s*(?:number|num|no\.?|nbr|#|id|is|:|=|,)"
    r"|\s+for\s+(?:my|your|her|his|their|the)\s+(?:[\w'’\-]+\s+){0,3}?(?=is\b|:)){0,4}\s*[:#]?\s*"
)

# Labelled identifiers: (label pattern, category, explanation), all in one regex.
LABELS: list[tuple[str, str, str]] = [
    (r"ssn|social\s+security(?:\s+card)?|ss#", "ssn", "a Social Security number"),
    (
        r"mrn|medical\s+record|med\s+rec|chart|patient\s+(?:id|number|no|#)|record",
        "mrn",
        "a medical record number",
    ),
    (
        r"member|policy|subscriber|insurance(?:\s+id)?|group|medicaid|medicare|health\s+plan|"
        r"plan\s+id|beneficiary|mbi|hicn",
        "health_plan_id",
        "a health plan or insurance number",
    ),
    (
        r"account|acct|invoice|billing|card\s+ending(?:\s+in)?|statement",
        "account_number",
        "an account number",
    ),
    (
        r"driver'?s?\s+licen[cs]e|licen[cs]e(?!\s+plate)|dl|dea|npi|certificate|passport",
        "license_number",
        "a licence or certificate number",
    ),
    (r"vin|vehicle", "vehicle_id", "a vehicle identifier"),
    (
        r"serial|s/n|sn|device|imei|udi|pacemaker|implant\s+(?:serial|id)|lot|hearing\s+aid",
        "device_id",
        "a device identifier or serial number",
    ),
    (
        r"case|claim|ticket|reference|ref|confirmation|employee|student|badge|order|"
        r"(?:prior\s+)?auth(?:orization)?",
        "other_id",
        "an identifying number",
    ),
]
# Every word that can start a label above: the label regex runs only if one occurs.
_LABEL_WORDS = frozenset(
    [
        "ssn",
        "social",
        "ss",
        "mrn",
        "medical",
        "med",
        "chart",
        "patient",
        "record",
        "member",
        "policy",
        "subscriber",
        "insurance",
        "group",
        "medicaid",
        "medicare",
        "health",
        "plan",
        "beneficiary",
        "mbi",
        "hicn",
        "account",
        "acct",
        "invoice",
        "billing",
        "card",
        "statement",
        "driver",
        "drivers",
        "license",
        "licence",
        "dl",
        "dea",
        "npi",
        "certificate",
        "passport",
        "vin",
        "vehicle",
        "serial",
        "sn",
        "device",
        "imei",
        "udi",
        "pacemaker",
        "implant",
        "lot",
        "hearing",
        "case",
        "claim",
        "ticket",
        "reference",
        "ref",
        "confirmation",
        "employee",
        "student",
        "badge",
        "order",
        "auth",
        "authorization",
    ]
)
LABELLED = CI(
    r"\b(?:"
    + "|".join(f"(?P<c{i}>{label})" for i, (label, _, _) in enumerate(LABELS))
    + rf"){_SEP}(?P<v>{_ID})\b"
)
_HAS_DIGIT = re.compile(r"\d")

SSN_SPACED = re.compile(
    r"(?<![\d\-])\d{3} \d{2} \d{4}(?![\d\-])"
)  # 3-2-4 with spaces: never a phone
SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?![\d\-])"
    r"|(?<![\w-])\d{10}(?!\d)"
    r"|(?<![\d\-.])\d{3}-\d{4}(?![\d\-])"
)
_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})
_FAX_CUE = re.compile(r"fax", re.IGNORECASE)
_PHONE_CUE = re.compile(r"call|text|cell|phone|number|reach|mobile|dial|ring", re.IGNORECASE)
EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,4}\b")
URL = CI(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]{2,300}"
    r"|\b[a-z0-9\-]{2,63}\.(?:com|org|net|me|ly|io|co|us|app|page)/[^\s<>\"')\]]{1,300}"
)
PERSONAL_HOSTS = (
    "facebook.com",
    "fb.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "tiktok.com",
    "linkedin.com",
    "gofundme.com",
    "caringbridge.org",
    "venmo.com",
    "cash.app",
    "paypal.me",
    "mealtrain.com",
    "snapchat.com",
    "threads.net",
    "pinterest.com",
    "youtube.com/@",
    "flickr.com",
    "myspace.com",
    "medium.com/@",
    "linktr.ee",
    "givesendgo.com",
    "fundly.com",
    "spotfund.com",
    "lotsahelpinghands.com",
    "carecalendar.org",
)
# Hosts where a person's own blog is a subdomain: "notes-from-aidens-mom.blogspot.com".
PERSONAL_SUBDOMAIN_HOSTS = (
    ".blogspot.com",
    ".wordpress.com",
    ".substack.com",
    ".tumblr.com",
    ".wixsite.com",
    ".weebly.com",
    ".squarespace.com",
    ".caringbridge.org",
)
IPV4 = re.compile(
    r"(?<!\d)(?<!\d\.)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)"
)
IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])"
    r"|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4}(?![\w:])"
)
VIN = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]{17}\b)(?=[A-Z0-9]*\d)(?=[0-9]*[A-Z])[A-HJ-NPR-Z0-9]{17}\b")
MBI = re.compile(
    r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}\b"
)
CARD = re.compile(r"(?<!\d)(?:\d{4}[ \-]){3}\d{4}(?!\d)")
STREET_NUMBER = re.compile(r"(?<![\w.,/:\-])\d{1,6}[A-Za-z]?(?=\s+[A-Za-z])")
_STREET_WORD = re.compile(r"\s+([A-Za-z0-9][A-Za-z0-9'’\-]{0,30})(\.?)")
_UNIT = re.compile(r",?\s+(?:apt|apartment|unit|suite|ste|#)\.?\s*[a-z0-9\-]{1,6}\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_TRAILING_DIRECTION = re.compile(r"\s+(?:N|S|E|W|NE|NW|SE|SW)\b")
_DIRECTIONS = frozenset(
    {"n", "s", "e", "w", "north", "south", "east", "west", "ne", "nw", "se", "sw"}
)
STREET_NO_NUMBER = compiled.compile(
    r"\b(?:lives|living|lived|live|home|house|resides|moved|moving|grew\s+up)\s+(?:on|at|off)\s+"
    r"(?:[A-Z][A-Za-z'’\-]{1,30}\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|"
    r"Terrace|Circle|Highway|Parkway|Trail)\b"
)
ZIP = re.compile(r"(?<![\d\-$.,])\d{5}(?:-\d{4})?(?![\d\-])")
_ZIP_CUE = re.compile(
    r"(?:\b[A-Z]{2}|\b[A-Z][a-z]+,?|\b(?:zip|zipcode|zip\s+code|postal\s+code|in|from|area|near)"
    r"|\b(?:ZIP|Zip|Zipcode|In|From|Area|Near))[\s,:]*$"
)
PLATE = CI(
    r"\b(?:licen[cs]e\s+plate|plate|tag)(?:\s*(?:number|no\.?|#|:|is))*\s*[:#]?\s*"
    r"(?P<v>(?=[a-z\- ]{0,6}\d)(?=[0-9\- ]{0,6}[a-z])[a-z0-9]{1,4}[ \-]?[a-z0-9]{1,5}|\d{1,4}[ \-]?\d{2,5})\b"
)
CITY = compiled.compile(
    r"\b(?:lives\s+in|living\s+in|lived\s+in|resident\s+of|native\s+of|moved\s+(?:here\s+)?"
    r"(?:to|from)|hometown(?:\s+of|\s+is)?|from|in|of)\s+(?:the\s+(?:town|city|village)\s+of\s+)?"
    r"(?P<v>[A-Z][a-z]{2,20}(?:[ \-][A-Z][a-z]{2,20}){0,2}(?:,\s?[A-Z]{2}\b)?)"
)
_NOT_TOWN = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "the",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "this",
        "that",
        "a",
        "an",
        "zip",
    ]
)
_STRONG_CITY = re.compile(r"^(?:lives|living|lived|resident|native|moved|hometown)", re.IGNORECASE)


_SIMPLE: list[tuple[re.Pattern[str], str, str, str]] = [
    (SSN, "ssn", "Looks like a Social Security number.", "[number removed]"),
    (SSN_SPACED, "ssn", "Looks like a Social Security number.", "[number removed]"),
    (CARD, "account_number", "Looks like a card or account number.", "[number removed]"),
    (MBI, "health_plan_id", "Looks like a Medicare beneficiary identifier.", "[number removed]"),
    (VIN, "vehicle_id", "Looks like a vehicle identification number.", "[number removed]"),
    (IPV4, "ip_address", "An IP address can identify a person.", "[IP removed]"),
]
# One alternation with a named group per pattern: one pass per window instead of six.
SIMPLE = compiled.compile("|".join(f"(?P<s{i}>{p.pattern})" for i, (p, *_) in enumerate(_SIMPLE)))


def detect_identifiers(
    text: str, ctx: Context, low: str | None, has_digit: bool, words: set[str]
) -> Iterator[Raw]:
    if has_digit:
        yield from _numeric(text, ctx, low, words)
    if "@" in text:
        for m in EMAIL.finditer(text):
            domain = m.group().rpartition("@")[2].lower()
            if domain not in ctx.domains and m.group().lower() != ctx.practice_email.lower():
                yield (
                    *m.span(),
                    "email",
                    "block",
                    "An e-mail address that is not the practice's.",
                    "[email removed]",
                )
    folded = low if low is not None else text.lower()
    if "/" in text or "www." in folded:  # every URL form has one of these
        yield from _urls(text, ctx, low)
    if text.count(":") >= 2:
        for m in IPV6.finditer(text):
            if any(c.isalpha() for c in m.group()) or "::" in m.group():
                yield (
                    *m.span(),
                    "ip_address",
                    "block",
                    "An IP address can identify a person.",
                    "[IP removed]",
                )
    if any(w in folded for w in _LIVES_WORDS):
        yield from _streets_without_number(text, ctx)


_LIVES_WORDS = ("live", "living", "home", "house", "reside", "moved", "moving", "grew")


def _label_index(m: re.Match[str]) -> int:
    return next(i for i in range(len(LABELS)) if m.group(f"c{i}") is not None)


def _labelled(text: str, low: str | None) -> Iterator[Raw]:
    """Labelled identifiers ("MRN 88231"): the label regex runs only in short windows
    before digit clusters, so its many alternatives cost little."""
    pattern = LABELLED.plain if low is not None else LABELLED.folded
    source = low if low is not None else text
    seen: set[tuple[int, int]] = set()
    for lo, hi in digit_windows(text, 48, 26):
        for m in pattern.finditer(source, lo, hi):
            span = m.span("v")
            if span in seen or _HAS_DIGIT.search(m.group("v")) is None:
                continue
            seen.add(span)
            _, category, what = LABELS[_label_index(m)]
            yield (*span, category, "block", f"Looks like {what}.", "[number removed]")


_RUNS_CACHE: list[object] = [None, ()]


def _digit_runs(text: str) -> tuple[tuple[int, int], ...]:
    if _RUNS_CACHE[0] is not text:  # several detectors ask for the same text in a row
        _RUNS_CACHE[0] = text
        _RUNS_CACHE[1] = tuple(m.span() for m in _DIGIT_RUN.finditer(text))
    return _RUNS_CACHE[1]  # type: ignore[return-value]


def digit_windows(text: str, before: int, after: int) -> list[tuple[int, int]]:
    """Merged windows around each run of digits: digit-bearing patterns only run there."""
    out: list[tuple[int, int]] = []
    for start, end in _digit_runs(text):
        lo, hi = max(0, start - before), end + after
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    if len(out) > 3:  # many numbers: one pass over their whole stretch is cheaper
        return [(out[0][0], out[-1][1])]
    return out


def in_windows(
    pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    for lo, hi in windows:
        yield from pattern.finditer(text, lo, hi)


_DIGIT_RUN = re.compile(r"\d(?:[\d().\-/: ]{0,3}\d)*")


def _numeric(text: str, ctx: Context, low: str | None, words: set[str]) -> Iterator[Raw]:
    if not _LABEL_WORDS.isdisjoint(words) or "s/n" in (low or text.lower()):
        yield from _labelled(text, low)
    near = digit_windows(text, 3, 3)
    for m in in_windows(SIMPLE, text, near):
        _, category, explanation, suggestion = _SIMPLE[int(m.lastgroup[1:])]  # type: ignore[index]
        yield (*m.span(), category, "block", explanation, suggestion)
    yield from _phones(text, ctx, near)
    if not STREET_SUFFIXES.isdisjoint(words):
        yield from _streets(text, ctx, low)
    yield from _zips(text, ctx, near)
    if "plate" in (low or text.lower()) or "tag" in (low or text.lower()):
        yield from _plates(text, low)


def _phones(text: str, ctx: Context, near: list[tuple[int, int]]) -> Iterator[Raw]:
    for m in in_windows(PHONE, text, near):
        digits = re.sub(r"\D", "", m.group())
        if (
            digits[-10:] in ctx.allowed_digits
            or digits[-7:] in ctx.allowed_digits
            and len(digits) == 7
        ):
            continue
        before = text[max(0, m.start() - 24) : m.start()]
        if len(digits) == 7 and _PHONE_CUE.search(before) is None:
            continue
        if digits[-10:-7] in _TOLL_FREE:
            continue  # public toll-free lines are nobody's personal number
        if _FAX_CUE.search(before):
            yield (
                *m.span(),
                "fax",
                "block",
                "A fax number that is not the practice's.",
                "[fax removed]",
            )
        else:
            suggestion = (
                f"our office at {ctx.practice_phone}" if ctx.practice_phone else "[phone removed]"
            )
            yield (
                *m.span(),
                "phone",
                "block",
                "A phone number that is not the practice's.",
                suggestion,
            )


def _in_address(value: str, ctx: Context) -> bool:
    norm = normalize(value)
    return bool(norm) and f" {norm} " in ctx.address_norm


def _plates(text: str, low: str | None) -> Iterator[Raw]:
    for m in PLATE.finditer(text, low):
        yield (
            *m.span("v"),
            "vehicle_id",
            "block",
            "Looks like a licence plate.",
            "[plate removed]",
        )


def _streets(text: str, ctx: Context, low: str | None) -> Iterator[Raw]:
    for lo, hi in digit_windows(text, 1, 3):
        for m in STREET_NUMBER.finditer(text, lo, hi):
            if _YEAR.fullmatch(m.group()) and not text[m.end() + 1 : m.end() + 2].isupper():
                continue  # "our 2025 toothbrush drive": a year, not a house number
            end = _street_end(text, m.end())
            if end and not _in_address(text[m.start() : end], ctx):
                yield (
                    m.start(),
                    end,
                    "geo",
                    "block",
                    "A street address that is not the practice's.",
                    "[address removed]",
                )


def _street_end(text: str, pos: int) -> int:
    """End of "<number> [dir] Name [Name] Suffix [unit]" starting after the number, or 0."""
    words: list[re.Match[str]] = []
    for _ in range(5):
        w = _STREET_WORD.match(text, pos)
        if w is None:
            break
        words.append(w)
        pos = w.end()
    names = 0
    for i, w in enumerate(words):
        word = w.group(1).lower()
        if i == 0 and word in _DIRECTIONS:
            continue
        if names >= 1 and word in STREET_SUFFIXES:
            named = [x.group(1) for x in words[:i] if x.group(1).lower() not in _DIRECTIONS]
            capital = (
                all(x[0].isupper() or x[0].isdigit() for x in named) and w.group(1)[0].isupper()
            )
            if word not in STRONG_STREET_SUFFIXES and not capital:
                return 0
            end = w.end() - (1 if w.group(2) and len(word) > 4 else 0)
            direction = _TRAILING_DIRECTION.match(text, end)
            if direction:
                end = direction.end()
            unit = _UNIT.match(text, end)
            return unit.end() if unit else end
        names += 1
        if names > 3:
            return 0
    return 0


def _streets_without_number(text: str, ctx: Context) -> Iterator[Raw]:
    for m in STREET_NO_NUMBER.finditer(text):
        start = text.index(" ", m.start()) + 1
        start = text.index(" ", start) + 1
        if not _in_address(text[start : m.end()], ctx):
            yield (
                start,
                m.end(),
                "geo",
                "block",
                "Where a person lives identifies them.",
                "[street removed]",
            )


def _zips(text: str, ctx: Context, near: list[tuple[int, int]]) -> Iterator[Raw]:
    for m in in_windows(ZIP, text, near):
        before = text[max(0, m.start() - 16) : m.start()]
        if _ZIP_CUE.search(before) is None or _in_address(m.group(), ctx):
            continue
        yield (*m.span(), "geo", "block", "A ZIP code tied to a person.", "[ZIP removed]")


def _urls(text: str, ctx: Context, low: str | None) -> Iterator[Raw]:
    for m in URL.finditer(text, low):
        url = m.group().rstrip(".,;:!?")
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())
        domain = host.split("/")[0]
        if domain in ctx.domains or any(domain.endswith("." + d) for d in ctx.domains):
            continue
        if (
            "/" in host.rstrip("/") and any(host.startswith(p) for p in PERSONAL_HOSTS)
        ) or domain.endswith(PERSONAL_SUBDOMAIN_HOSTS):
            yield (
                m.start(),
                m.start() + len(url),
                "url",
                "block",
                "A link to a personal page or profile.",
                "[link removed]",
            )


def city_findings(
    text: str,
    ctx: Context,
    person_near: re.Pattern[str],
    not_place: Callable[[str, bool], bool],
    name_spans: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> Iterator[Raw]:
    """Towns tied to a person ("lives in Dayton", "Maria from Oak Park"); states are fine."""
    for m in CITY.finditer(text):
        value = m.group("v")
        place = value.split(",")[0].lower()
        first = place.split()[0].replace("-", " ").split()[0]
        if place in STATE_NAMES or value in STATE_ABBR or _in_address(place, ctx):
            continue
        strong = _STRONG_CITY.match(m.group()) is not None
        if place in US_STATES or first not in _DIRECTIONS and not_place(first, strong):
            continue
        if first in _NOT_TOWN:
            continue
        if not strong and not any(0 <= m.start() - e <= 12 for _, e in name_spans):
            window = text[max(0, m.start() - 80) : m.end() + 40].lower()
            if person_near.search(window) is None:
                continue
        yield (*m.span("v"), "geo", "block", "A town or city tied to a person.", "[town removed]")
