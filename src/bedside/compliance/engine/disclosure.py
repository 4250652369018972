"""Care disclosures (patient_relationship), person-tied dates, ages over 89, biometrics.

All patterns are bounded alternations; tie checks look at a bounded window around a
match, so the work stays linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from . import compiled
from .care import care_index
from .identifiers import CI, Raw, digit_windows, in_windows


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


from .phrases import (  # noqa: E402
    ANY_KIND,
    CARE_EVENT,
    GENERAL,
    MILESTONE,
    REPLY_ONLY,
    THE_CARE_EVENT,
    THEIR_CARE,
    YOUR_CARE,
)

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
    r"|\bthe\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
)
_FULL_M = r"(?:january|february|march|april|june|july|august|september|october|november|december)"
DATE_REL = CI(
    rf"\b(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening|past\s+week|week|weekend|{_WD})|"
    rf"last\s+(?:night|week|month|year|weekend|{_WD})|earlier\s+(?:today|this\s+week)|tomorrow|"
    rf"next\s+(?:week|weekend|month|{_WD})|(?:on\s+)?{_WD})"
    r"(?:['’]s)?\b"
    # "the Monday grief circle", "Wednesday sessions": a weekly event, not a date
    r"(?!\s+(?:groups?|crew|class(?:es)?|sessions?|circle|clinic|hours|meetings?|team|night|morning|"
    r"pool|walk-?ins?|regulars?|program|appointments|visits|hours|mornings|evenings|afternoons|nights)\b)"
    # a month alone that places one person's care: "in June", "since March", "late January"
    rf"|\b(?:in|since|by|until|through|last|next|this|early|mid|mid-|late|end\s+of)\s*{_FULL_M}\b"
)
_RELATIVE = re.compile(
    rf"^(?:yesterday|today|tonight|tomorrow|this|last|next|earlier|on|{_WD}|in|since|by|until|"
    r"through|early|mid|late|end)"
)
# Every digit-bearing date form has a month word, a slash, a dash, a year or an ordinal.
_MONTH_WORDS = _words(
    """jan january feb february mar march apr april may jun june jul july aug august sep sept
    september oct october nov november dec december"""
)
_NUMERIC_DATE_HINT = re.compile(r"\d[/\-]\d|(?:19|20)\d\d|\d(?:st|nd|rd|th)\b")
_DATE_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    tomorrow morning afternoon evening night week weekend month year january february march
    april june july august september october november december"""
)
_AGE_WORD_HINTS = _words(
    """ninety-one ninety-two ninety-three ninety-four ninety-five ninety-six ninety-seven
    ninety-eight ninety-nine ninety ninetieth hundred hundredth centenarian centenarians nonagenarian nonagenarians
    supercentenarian supercentenarians"""
)
STRONG_TIE = re.compile(
    r"\b(?:born|birth|birthday|bday|b-day|dob|d\.o\.b|admitted|admission|discharged|discharge|passed\s+away|"
    r"turned|turns|turning|"
    r"passed|died|death|funeral|memorial\s+service|gave\s+birth|delivered|due\s+date)\b"
)
# Words that point at a person. In a post "you"/"your" is every reader, so some rules use
# the list without them; "your son" is the reader's son, so those rules skip a word after
# "your" too.
_THIRD = (
    "she|her|he|him|his|they|them|their|patient|mom|dad|son|daughter|grandma|grandpa|wife|"
    "husband|baby|kid|kiddo|child|mother|father|sister|brother|family|twins|guy|gal|lady|gentleman"
)
_FIRST = "my|me|i"
PERSON = re.compile(rf"\b(?:you|your|ur|{_THIRD}|{_FIRST})\b")
_THIRD_PERSON = re.compile(rf"(?<!your\s)(?<!your\sown\s)\b(?:{_THIRD})\b")
_NOT_YOU = re.compile(rf"(?<!your\s)\b(?:{_THIRD}|{_FIRST})\b")
EVENT = compiled.compile(
    rf"\b(?:{CARE_EVENT}|visited|came\s+in|seen|saw|treated|diagnosed|surgery|in\s+our\s+chair|wait|waited)\b"
)
OFFICE = compiled.compile(
    r"\b(?:closed|closing|close|open|opening|reopen|hours|holiday|office|we\s+will\s+be|we'll\s+be|event|seminar|"
    r"webinar|drive|fair|join\s+us|sign\s+up|register|rsvp|deadline|enroll|enrollment|book|booking|schedule|"
    r"benefits|expire|expires|available|openings|calendars?|clinic|free|"
    r"walk-?ins?|sale|special|"
    r"promotion|giveaway|contest|thanksgiving|christmas|new\s+year'?s?|memorial\s+day|labor\s+day|"
    r"independence\s+day|july\s+4th|awareness|month|week\s+of|national|workshops?|class|classes|meetup|"
    r"lecture|talk|market|festival|open\s+house|party|5k|race|tournament|game|vacation|conference|"
    r"back\s+from|out\s+of\s+(?:the\s+)?office|maternity\s+leave|retires?|retiring|phones?|phone\s+lines|"
    r"website|portal|parking|elevator|construction|outage|snow|storm|weather)\b"
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
    rf"\b(?:turned|turning|turns|aged?|age\s+of|at\s+age|celebrat(?:ed|ing|es)|reached|reaching|hit|hits|hitting)\s+(?:{_AGE_N}|{_AGE_W})\b"
    rf"|(?:^|(?<=[.!?]\s))(?:{_AGE_N}|{_AGE_W})\s+and\s+(?:still|not|never|already|yet)\b"
    rf"|(?<=\()\s*{_AGE_N}\s*!?(?=\))"
    rf"|\b(?:{_AGE_N}|{_AGE_W})[\s\-]?(?:years?|yrs?)[\s\-]?(?:old|young|of\s+age)\b"
    rf"|\b(?:{_AGE_N}|{_AGE_W})[\s\-]year[\s\-]old\b"
    rf"|\b{_AGE_N}\s?(?:yo|y/o|y\.o\.)(?!\w)"
    rf"|\b(?:{_AGE_N}(?:st|nd|rd|th)|{_AGE_WTH})\s+(?:birthday|bday|b-day)\b"
    rf"|\b(?:she|he|who|grandma|grandpa|mom|dad|patient)(?:'s|\s+is|\s+was|\s+just\s+turned)\s+{_AGE_N}\b"
    rf"|\b(?:is|was)\s+{_AGE_N}(?=\s+(?:and|years)\b|[,.!])"
    rf"|\b(?:is|was|at|turns|age)\s+{_AGE_W}\b"
    r"|\b(?:centenarian|nonagenarian|supercentenarian)\b"
    rf"|(?:^|(?<=[.!?]\s))at\s+{_AGE_N}(?=,)"
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


_MILESTONE_WORDS = _words("off out")
# Before a date, these make it a deadline or a start ("book by Dec 31", "starting Monday")
# when the sentence is not about one person's care.
_VISIT = re.compile(r"\b(?:wait|waited|visit|visited|appointment|appt|came\s+in|checked\s+in)\b")
_OFFICE_PREP = re.compile(
    r"\b(?:through|until|by|before|start|starting|starts|begin|begins|from)\s+$"
)
# "have a great Friday", "happy Monday": a greeting, not a visit
_GREETING = re.compile(r"\b(?:have\s+an?\s+\w+|happy|enjoy\s+(?:your|the))\s+(?:\w+\s+)?$")
_RELATIONSHIP = "Confirms that a person is a patient or reveals their care."
_NAMED_CARE = "Addressed to a named person, this reveals their care."
_REPLY_NOTE = "In a public reply this confirms the author is a patient."


def detect_disclosures(
    text: str, low: str | None, words: set[str], reply: bool, name_spans: list[tuple[int, int]]
) -> Iterator[Raw]:
    for m in ANY_KIND.finditer(text, low, words):
        yield (*m.span(), "patient_relationship", "block", _RELATIONSHIP, "")
    if ("your" in words or "ur" in words) and (reply or name_spans):
        folded = low if low is not None else text.lower()
        for m in YOUR_CARE.finditer(text, low):
            # "your crown" is marketing in a post ("book your cleaning") unless someone is named
            if any(s < m.start() and m.start() - e < 120 for s, e in name_spans):
                yield (*m.span(), "patient_relationship", "block", _NAMED_CARE, "")
            elif reply:
                # "skip them if your teeth are sensitive": a body part in general advice
                if m.group().lower().endswith(_BODY) and _general(folded, *m.span()):
                    continue
                yield (*m.span(), "patient_relationship", "block", _NAMED_CARE, "")
    if "their" in words and name_spans:
        for m in THEIR_CARE.finditer(text, low):
            if any(s < m.start() and m.start() - e < 120 for s, e in name_spans):
                yield (*m.span(), "patient_relationship", "block", _NAMED_CARE, "")
    if (reply or name_spans) and not _MILESTONE_WORDS.isdisjoint(words):
        for m in MILESTONE.finditer(text, low):
            if reply or any(
                abs(m.start() - e) < 120 or abs(s - m.end()) < 120 for s, e in name_spans
            ):
                yield (*m.span(), "patient_relationship", "block", _NAMED_CARE, "")
    if reply:
        yield from reply_care(text, low)
        for m in REPLY_ONLY.finditer(text, low, words):
            yield (*m.span(), "patient_relationship", "block", _REPLY_NOTE, "")
        if "the" in words:
            folded = low if low is not None else text.lower()
            for m in THE_CARE_EVENT.finditer(text, low):
                if not _general(folded, *m.span()):
                    yield (*m.span(), "patient_relationship", "block", _REPLY_NOTE, "")


def named_care(text: str, name_spans: list[tuple[int, int]]) -> Iterator[Raw]:
    """A care term in the same sentence as a named person: that person's care."""
    seen: set[tuple[int, int]] = set()
    for start, end in name_spans:
        bounds = _sentence_bounds(text, start, end)
        if bounds in seen:
            continue
        seen.add(bounds)
        for _, s, e in care_index(text).within(*bounds):
            if not any(a < e and s < b for a, b in name_spans):
                yield (s, e, "patient_relationship", "block", _NAMED_CARE, "")


# In a reply "the"/"that" point at the author's own care, unless the sentence speaks in
# general or describes the practice ("the group meets Tuesdays", "we offer the scan").
_ANCHORS = frozenset(
    """your ur the those that these his her their switching changing starting stopping finishing
    missing skipping cancelling canceling rescheduling moving graduating stepping trying""".split()
)
_OWN = frozenset("your ur".split())
_OWN_ONLY = frozenset("care".split())
_THINGS = frozenset(
    """machine machines room rooms chair chairs equipment team department desk staff hours
    schedule policy policies office area center centre suite unit kit app system software
    technology process line lines page website video videos class classes crew squad folks
    gang people""".split()
)
_PHRASE_ENDS = frozenset(
    """at with for to of in on from by and or but is are was were be been we you i it they
    our my us about as than says say said has have had will would should can could get got
    gets make made do did does went go goes came come comes""".split()
)
_INFO = CI(
    r"\b(?:we\s+offer|we\s+have|we\s+accept|we\s+take|we\s+do|offers?|meets?|opens?|available|"
    r"covers?|costs?|is\s+held|runs?\s+(?:on|every)|new\s+patients?|this\s+year|went\s+digital|"
    r"recommends?|recommended|recommendations?|guidelines?|cdc|aap|ada|fda|studies|research|runs|leads|"
    r"hosts|facilitates)\b"
)


def reply_care(text: str, low: str | None) -> Iterator[Raw]:
    """In a public reply, "your partial", "the croup", "the EMDR": the author's care."""
    folded = low if low is not None else text.lower()
    index = care_index(text)
    if not index.terms:
        return
    toks = index.toks
    for lo, hi in _sentences(text):
        terms = index.within(lo, hi)
        if not terms:
            continue
        first = index.first_token(lo)
        general = None
        for i, _, e in terms:
            if i + 1 < len(toks) and toks[i + 1][0] < hi and toks[i + 1][2] in _THINGS:
                continue  # "the X-ray machine", "the therapy room": the practice's things
            own_only = toks[i][2] in _OWN_ONLY
            for j in range(i - 1, max(first - 1, i - 5), -1):
                word = toks[j][2]
                if word in _PHRASE_ENDS:
                    break  # "the team at ... Counseling": the noun phrase ended before
                if word in _ANCHORS:
                    if own_only and word not in _OWN:
                        break  # "the best care" is the practice's; "your care" is the author's
                    if word not in _OWN:
                        if general is None:
                            general = _general_text(folded[lo:hi], info=True)
                        if general:
                            break
                    yield (toks[j][0], e, "patient_relationship", "block", _REPLY_NOTE, "")
                    break


_BODY = ("tooth", "teeth", "gums", "knee", "hip", "shoulder", "back", "pain")


def _general(folded: str, start: int, end: int) -> bool:
    """Does the sentence around start..end speak in general ("if", "usually", "most")?"""
    return _general_text(_sentence(folded, start, end))


def _general_text(sentence: str, info: bool = False) -> bool:
    """`info`: also a sentence describing the practice ("the group meets Tuesdays")."""
    return GENERAL.search(sentence, sentence) is not None or (
        info and _INFO.search(sentence, sentence) is not None
    )


_STOPS = re.compile(r"[.!?;\n]+")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    lo = 0
    for m in _STOPS.finditer(text):
        if m.start() > lo:
            yield lo, m.start()
        lo = m.end()
    if lo < len(text):
        yield lo, len(text)


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


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around start..end, at most 160 characters either side."""
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
    return lo + cut + 1, end + (min(stops) if stops else len(right))


def _sentence(text: str, start: int, end: int) -> str:
    lo, hi = _sentence_bounds(text, start, end)
    return text[lo:hi]


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
        before = folded[max(0, m.start() - 24) : m.start()]
        relative = _RELATIVE.match(m.group().lower()) is not None
        if m.group()[:3] == "may" and text[m.start()] == "m":
            continue  # "may" the verb
        if STRONG_TIE.search(sentence):
            tied = True
        elif _GREETING.search(before) or (
            _OFFICE_PREP.search(before) and not (reply and _care_near(text, *m.span()))
        ):
            tied = False
        elif (
            OFFICE.search(sentence)
            or (reply and OFFICE.search(folded, max(0, m.start() - 120), m.start()))
        ) and not _care_closer(folded, text, m.start(), reply):
            # "... our free community workshops. The next one is on May 14." An office word
            # decides unless care sits closer to the date ("in our chair first thing Monday").
            tied = False
        elif reply:
            # in a public reply a date is the author's visit or care, when the sentence is
            # about them ("you", "your", their child) or names care
            tied = not relative or (
                PERSON.search(sentence) is not None
                or _VISIT.search(sentence) is not None  # "last Friday was a long wait"
                or _care_near(text, *m.span())
            )
        elif relative:
            near = folded[max(0, m.start() - 40) : m.end() + 40]
            possessive = m.group().endswith(("'s", "’s"))
            person = (
                possessive
                # in a post "you" is every reader ("schedule your child's flu shot this week")
                or _NOT_YOU.search(sentence) is not None
                or _name_near(name_spans, *m.span())
            )
            tied = person and (
                EVENT.search(near) is not None or _care_near(text, *m.span(), reach=40)
            )
        else:
            person = PERSON.search(sentence) is not None or _name_near(name_spans, *m.span())
            tied = person and (EVENT.search(sentence) is not None or _care_near(text, *m.span()))
        if tied:
            yield (
                *m.span(),
                "date",
                "block",
                "A date tied to a person (birth, visit, care, death).",
                "[date removed]",
            )


def _care_closer(folded: str, text: str, start: int, reply: bool) -> bool:
    """Is care (and a person) nearer the date than any office word in its sentence?"""
    lo, hi = _sentence_bounds(folded, start, start)
    # in a post "you"/"your" is everyone ("mark your calendars"); in a reply, the author
    person = PERSON if reply else _THIRD_PERSON
    if person.search(folded, lo, hi) is None:
        return False
    office = [abs(m.start() - start) for m in OFFICE.finditer(folded, lo, hi)]
    care = [abs(m.start() - start) for m in EVENT.finditer(folded, lo, hi)]
    care += [abs(s - start) for _, s, _ in care_index(text).within(lo, hi)]
    return bool(care) and (not office or min(care) < min(office))


def _care_near(text: str, start: int, end: int, reach: int | None = None) -> bool:
    """A care term in the date's sentence (or within `reach` characters)."""
    if reach is None:
        lo, hi = _sentence_bounds(text, start, end)
    else:
        lo, hi = max(0, start - reach), min(len(text), end + reach)
    return bool(care_index(text).within(lo, hi))


def _name_near(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Is a name within 160 characters? `spans` is sorted by start (binary search)."""
    i = bisect_left(spans, (start - 400, 0))
    while i < len(spans) and spans[i][0] < end + 160:
        if spans[i][1] > start - 160:
            return True
        i += 1
    return False
