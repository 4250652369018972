"""Care disclosures (patient_relationship), person-tied dates, ages over 89, biometrics.

All patterns are bounded alternations; tie checks look at a bounded window around a
match, so the work stays linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from . import compiled
from .identifiers import CI, Raw, digit_windows, in_windows


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


from .phrases import ANY_KIND, CARE, CARE_EVENT, REPLY_ONLY, THEIR_CARE, YOUR_CARE  # noqa: E402

_M = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DATE = CI(
    rf"\b{_M}\s+{_D}(?:,?\s+(?:19|20)\d\d)?\b"
    rf"|\b{_D}\s+(?:of\s+)?{_M}(?:,?\s+(?:19|20)\d\d)?\b"
    rf"|\b{_M}\s+(?:19|20)\d\d\b"
    r"|(?<![\d/])(?:0?[1-9]|1[0-2])[/\-](?:0?[1-9]|[12]\d|3[01])[/\-](?:19|20)?\d\d(?![\d/])"
    r"|(?<![\d/])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\d/%])"
    r"|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b"
    r"|\b(?:in|since|born|back\s+in)\s+(?:19|20)\d\d\b"
    r"|\bthe\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
)
DATE_REL = CI(
    rf"\b(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening|past\s+week)|last\s+(?:night|week|month|year|"
    rf"weekend|{_WD})|earlier\s+(?:today|this\s+week)|tomorrow|next\s+(?:week|month|{_WD})|(?:on\s+)?{_WD})"
    r"(?:['’]s)?\b"
)
_RELATIVE = re.compile(rf"^(?:yesterday|today|tonight|tomorrow|this|last|next|earlier|on|{_WD})")
# Every digit-bearing date form has a month word, a slash, a dash, a year or an ordinal.
_MONTH_WORDS = _words(
    """jan january feb february mar march apr april may jun june jul july aug august sep sept
    september oct october nov november dec december"""
)
_NUMERIC_DATE_HINT = re.compile(r"\d[/\-]\d|(?:19|20)\d\d|\d(?:st|nd|rd|th)\b")
_DATE_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    tomorrow morning afternoon evening night week weekend month year"""
)
_AGE_WORD_HINTS = _words(
    """ninety ninetieth hundred hundredth centenarian centenarians nonagenarian nonagenarians
    supercentenarian supercentenarians"""
)
STRONG_TIE = re.compile(
    r"\b(?:born|birth|birthday|bday|b-day|dob|d\.o\.b|admitted|admission|discharged|discharge|passed\s+away|"
    r"turned|turns|turning|"
    r"passed|died|death|funeral|memorial\s+service|gave\s+birth|delivered|due\s+date)\b"
)
PERSON = re.compile(
    r"\b(?:you|your|she|her|he|him|his|they|them|their|patient|mom|dad|son|daughter|grandma|grandpa|wife|"
    r"husband|baby|kid|child|mother|father|sister|brother|family|twins)\b"
)
EVENT = compiled.compile(
    rf"\b(?:{CARE}|visited|came\s+in|seen|saw|treated|diagnosed|surgery|in\s+our\s+chair|wait|waited)\b"
)
OFFICE = compiled.compile(
    r"\b(?:closed|closing|close|open|opening|reopen|hours|holiday|office|we\s+will\s+be|we'll\s+be|event|seminar|"
    r"webinar|drive|fair|join\s+us|sign\s+up|register|rsvp|deadline|enroll|enrollment|book|booking|schedule|"
    r"benefits|expire|expires|available|openings|start|starting|starts|begin|begins|calendars?|clinic|free|"
    r"walk-?ins?|through|until|by|before|sale|special|"
    r"promotion|giveaway|contest|thanksgiving|christmas|new\s+year'?s?|memorial\s+day|labor\s+day|"
    r"independence\s+day|july\s+4th|awareness|month|week\s+of|national)\b"
)

_AGE_N = r"(?:9\d|1[01]\d)"
_AGE_W = (
    r"(?:ninety(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"(?:one\s+|a\s+)?hundred(?:\s+and\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_AGE_WTH = (
    r"(?:ninetieth|ninety[\s\-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    r"(?:one\s+)?hundredth|hundred\s+and\s+(?:first|second|third|fourth|fifth))"
)
AGE = CI(
    rf"\b(?:turned|turning|turns|aged?|age\s+of|at\s+age|celebrat(?:ed|ing|es)|reached|reaching)\s+(?:{_AGE_N}|{_AGE_W})\b"
    rf"|\b(?:{_AGE_N}|{_AGE_W})[\s\-]?(?:years?|yrs?)[\s\-]?(?:old|young|of\s+age)\b"
    rf"|\b(?:{_AGE_N}|{_AGE_W})[\s\-]year[\s\-]old\b"
    rf"|\b{_AGE_N}\s?(?:yo|y/o|y\.o\.)(?!\w)"
    rf"|\b(?:{_AGE_N}(?:st|nd|rd|th)|{_AGE_WTH})\s+(?:birthday|bday|b-day)\b"
    rf"|\b(?:she|he|who|grandma|grandpa|mom|dad|patient)(?:'s|\s+is|\s+was|\s+just\s+turned)\s+{_AGE_N}\b"
    rf"|\b(?:is|was)\s+{_AGE_N}(?=\s+(?:and|years)\b|[,.!])"
    rf"|\b(?:is|was|at|turns|age)\s+{_AGE_W}\b"
    r"|\b(?:centenarian|nonagenarian|supercentenarian)s?\b"
)
BIOMETRIC = CI(
    r"\b(?:her|his|their|your|patient'?s?|[a-z]+['’]s)\s+(?:fingerprints?|retinal?\s+scans?|iris\s+scans?|"
    r"voice\s?prints?|dna(?:\s+(?:profile|sample|results?|test))?|genetic\s+(?:test\s+)?results|"
    r"face\s+scan|facial\s+scan|palm\s?prints?|dental\s+impressions?|bite\s+impressions?)\b"
    r"|\b(?:photos?|pictures?|pics?|images?|video)\s+of\s+(?:her|his|their|your)\s+(?:face|smile|x-?rays?)\b"
)
_BIO_WORDS = (
    "finger",
    "scan",
    "print",
    "dna",
    "genetic",
    "impression",
    "photo",
    "pic",
    "image",
    "video",
)


_RELATIONSHIP = "Confirms that a person is a patient or reveals their care."
_NAMED_CARE = "Addressed to a named person, this reveals their care."
_REPLY_NOTE = "In a public reply this confirms the author is a patient."


def detect_disclosures(
    text: str, low: str | None, words: set[str], reply: bool, name_spans: list[tuple[int, int]]
) -> Iterator[Raw]:
    for m in ANY_KIND.finditer(text, low, words):
        yield (*m.span(), "patient_relationship", "block", _RELATIONSHIP, "")
    if "your" in words and (reply or name_spans):
        for m in YOUR_CARE.finditer(text, low):
            # "your crown" is marketing in a post ("book your cleaning") unless someone is named
            if reply or any(s < m.start() and m.start() - e < 120 for s, e in name_spans):
                yield (*m.span(), "patient_relationship", "block", _NAMED_CARE, "")
    if "their" in words and name_spans:
        for m in THEIR_CARE.finditer(text, low):
            if any(s < m.start() and m.start() - e < 120 for s, e in name_spans):
                yield (*m.span(), "patient_relationship", "block", _NAMED_CARE, "")
    if reply:
        for m in REPLY_ONLY.finditer(text, low, words):
            yield (*m.span(), "patient_relationship", "block", _REPLY_NOTE, "")


NAME_POSSESSIVE_CARE = compiled.compile(rf"['’]s?\s+(?:[\w\-]+\s+)?{CARE_EVENT}\b", re.IGNORECASE)


def possessive_care(text: str, name_spans: list[tuple[int, int]]) -> Iterator[Raw]:
    """ "Ms. Yee's root canal", "Ingrid's physical therapy": a named person's care."""
    for start, end in name_spans:
        m = NAME_POSSESSIVE_CARE.match(
            text, end - 2 if text[end - 2 : end] in ("'s", "’s") else end
        )
        if m is not None:
            yield (
                start,
                m.end(),
                "patient_relationship",
                "block",
                "Reveals a named person's care.",
                "",
            )


_AGE_NUMBER = re.compile(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)")
_AGE_SUBJECT = re.compile(
    r"(?:she|he|who|grandma|grandpa|mom|dad|patient)(?:'s|\s+is|\s+was|\s+just)?\s+(?=turned|\d)",
    re.IGNORECASE,
)


def _near_digits(pattern: re.Pattern[str], text: str) -> bool:
    """pattern.search(text) for a pattern whose every match starts at a digit and, with its
    lookahead, spans at most 6 characters: only the windows after runs of digits are
    searched (a lookbehind still sees the text before a window)."""
    return any(pattern.search(text, lo, hi) is not None for lo, hi in digit_windows(text, 0, 6))


def detect_ages(text: str, low: str | None, has_digit: bool, words: set[str]) -> Iterator[Raw]:
    if not _AGE_WORD_HINTS.isdisjoint(words):
        windows = [(0, len(text))]
    elif has_digit and _near_digits(_AGE_NUMBER, text):
        windows = digit_windows(text, 28, 22)
    else:
        return
    pattern, source = (AGE.plain, low) if low is not None else (AGE.folded, text)
    for m in in_windows(pattern, source, windows):
        start = m.start()
        subject = _AGE_SUBJECT.match(source, start)
        if subject is not None:  # "patient just turned 94": the age is "turned 94"
            start = subject.end()
        yield (
            start,
            m.end(),
            "age_over_89",
            "block",
            "An age over 89 is an identifier.",
            "90 or older",
        )


def detect_biometrics(text: str, low: str | None) -> Iterator[Raw]:
    folded = low if low is not None else text.lower()
    if not any(w in folded for w in _BIO_WORDS):
        return
    for m in BIOMETRIC.finditer(text, low):
        yield (
            *m.span(),
            "biometric",
            "block",
            "A biometric identifier or full-face image of a person.",
            "[removed]",
        )


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(0, start - 160)
    hi = min(len(text), end + 160)
    left = text[lo:start]
    cut = max(left.rfind(". "), left.rfind("! "), left.rfind("? "), left.rfind("\n"))
    right = text[end:hi]
    stops = [
        i
        for i in (right.find(". "), right.find("! "), right.find("? "), right.find("\n"))
        if i >= 0
    ]
    return left[cut + 1 :] + text[start:end] + right[: min(stops) if stops else len(right)]


def detect_dates(
    text: str,
    low: str | None,
    has_digit: bool,
    words: set[str],
    name_spans: list[tuple[int, int]],
    reply: bool = False,
) -> Iterator[Raw]:
    matches: list[re.Match[str]] = []
    source = low if low is not None else text
    if has_digit and (not _MONTH_WORDS.isdisjoint(words) or _near_digits(_NUMERIC_DATE_HINT, text)):
        pattern = DATE.plain if low is not None else DATE.folded
        matches += in_windows(pattern, source, digit_windows(text, 16, 16))
    if not _DATE_WORDS.isdisjoint(words):
        matches += DATE_REL.finditer(text, low)
    folded = low if low is not None else text.lower()
    for m in matches:
        sentence = (
            _sentence(folded, *m.span()) if low is not None else _sentence(text, *m.span()).lower()
        )
        if STRONG_TIE.search(sentence):
            tied = True
        elif OFFICE.search(sentence):
            tied = False
        elif reply and not _RELATIVE.match(m.group().lower()):
            tied = True  # in a public reply, a date is the author's visit
        elif _RELATIVE.match(m.group().lower()):
            near = folded[max(0, m.start() - 40) : m.end() + 40]
            possessive = m.group().endswith(("'s", "’s"))
            person = (
                possessive
                or reply
                or PERSON.search(sentence) is not None
                or _name_near(name_spans, *m.span())
            )
            tied = person and EVENT.search(near) is not None
        else:
            person = PERSON.search(sentence) is not None or _name_near(name_spans, *m.span())
            tied = person and EVENT.search(sentence) is not None
        if tied:
            yield (
                *m.span(),
                "date",
                "block",
                "A date tied to a person (birth, visit, care, death).",
                "[date removed]",
            )


def _name_near(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Is a name within 160 characters? `spans` is sorted by start (binary search)."""
    i = bisect_left(spans, (start - 400, 0))
    while i < len(spans) and spans[i][0] < end + 160:
        if spans[i][1] > start - 160:
            return True
        i += 1
    return False
