"""Care disclosures (patient_relationship), person-tied dates, ages over 89, biometrics.

All patterns are bounded alternations; tie checks look at a bounded window around a
match, so the work stays linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from .identifiers import CI, Raw, digit_windows, in_windows


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


CARE = (
    r"(?:visits?|appointments?|appts?|procedures?|treatments?|surgery|surgeries|operation|"
    r"cleanings?|exams?|check-?ups?|crowns?|fillings?|root\s+canals?|extractions?|implants?|braces|"
    r"aligners|invisalign|dentures?|bridge|veneers?|whitening|x-?rays?|scans?|mri|ct\s+scan|"
    r"biops(?:y|ies)|lab\s+results|test\s+results|results|labs|lab\s+work|bloodwork|blood\s+work|"
    r"prescriptions?|medications?|meds|dose|dosage|diagnosis|therapy|sessions?|chemo(?:therapy)?|"
    r"radiation|recovery|stitches|sutures|injections?|shots?|vaccines?|infusions?|consult(?:ation)?s?|"
    r"follow-?ups?|referrals?|treatment\s+plan|claims?|bill|balance|copay|deductible|records|chart|"
    r"condition|wound|cavit(?:y|ies)|colonoscopy|mammogram|ultrasound|pregnancy|delivery|c-section|"
    r"physical|screening|tests?|infection|allergy|allergies|symptoms|wisdom\s+teeth|cast|splint|"
    r"insulin|inhaler|hearing\s+aids?|glasses|contacts|rehab|dialysis|transplant|pacemaker|"
    r"sedation|anesthesia|numbing|insurance|coverage|fever|cough|rash|flu|ear\s+infection|asthma|anxiety|"
    r"depression|panic\s+attacks?|seizures?|migraines?|diabetes|cancer|concussion|fracture|sprain|injury|"
    r"tonsils|acl|baby|program|journey|rehab|restoration|(?:knee|hip|shoulder|joint)\s+replacement|replacement|"
    r"physical\s+therapy|tooth|teeth|gums|knee|hip|shoulder|back|pain)"
)
# Care words that are not body parts or symptoms: "her teeth" alone is not a disclosure.
CARE_EVENT = CARE.replace(r"|tooth|teeth|gums|knee|hip|shoulder|back|pain)", ")")

_ANY_KIND = [
    r"\b(?:as\s+(?:we\s+)?discussed|when\s+we\s+(?:spoke|talked)|as\s+mentioned)\s+(?:at|during|in|on)\s+your\b",
    r"\byour\s+(?:records?|chart|file|x-?rays?|results?|labs?|lab\s+results|test\s+results|scans?|tests?|bloodwork|biopsy)\s+"
    r"(?:show|shows|showed|indicate[sd]?|say|says|came\s+back|are\s+in|is\s+in|are\s+back|is\s+back|are\s+ready|is\s+ready|were|look)\b",
    r"\byou(?:'ve|\s+have)?\s+missed\s+(?:\w+\s+){0,2}(?:appointments?|visits?|cleanings?|sessions?|check-?ups?)\b",
    r"\byou\s+were\s+(?:late|a\s+no-?show|no-?show)\b|\byou\s+no-?showed\b",
    r"\b(?:we(?:'ll|\s+will|\s+can|\s+need\s+to|\s+want\s+to|'d\s+like\s+to)|let'?s|i(?:'ll|\s+will))\s+"
    r"(?:adjust|change|increase|decrease|lower|raise|refill|renew|switch|update|taper)\s+(?:your|her|his|their)\s+"
    r"(?:dose|dosage|medications?|meds|prescriptions?|insulin|treatment)\b",
    r"\bglad\s+(?:that\s+)?(?:the|your|her|his)\s+(?:new\s+)?(?:meds|medications?|treatment|therapy|implants?|crowns?|"
    r"braces|aligners|dentures|prescription|inhaler|glasses|hearing\s+aids?|procedure|surgery)\s+"
    r"(?:is|are|has\s+been|have\s+been|was|were|seems?)\s+(?:working|helping|fitting|better|healing)",
    rf"\bsorry\s+(?:that\s+|about\s+|for\s+)?(?:the|your|her|his)\s+{CARE_EVENT}\b",
    rf"\b(?:after|before|during|since|at|from)\s+(?:her|his|yesterday['’]s|today['’]s|this\s+morning['’]s|"
    rf"last\s+week['’]s)\s+(?:recent\s+|last\s+|first\s+)?{CARE_EVENT}\b",
    rf"\b(?:her|his)\s+(?:recent\s+|last\s+|first\s+|new\s+|latest\s+|upcoming\s+)?(?:[\w\-]+\s+)?{CARE_EVENT}\b",
    r"(?<!every\s)\bone\s+of\s+our\s+(?:\w+\s+)?(?:patients|clients)\b|\b(?:patient|client)s?\s+of\s+ours\b",
    r"\b(?:best|favou?rite|sweetest|bravest|youngest|oldest|newest|toughest|star|model)\s+(?:patient|client)s?\b"
    r"(?!\s+(?:portal|care|experience|education|safety))",
    rf"\b(?:finished|completed|graduated\s+from|wrapped\s+up|started|began|crushed|nailed|aced)\s+"
    rf"(?:her\s+|his\s+|their\s+|your\s+|the\s+)?(?:last\s+|first\s+|final\s+)?(?:\w+\s+)?{CARE_EVENT}\b",
    r"\bhad\s+(?:her|their)\s+baby\b|\bgave\s+birth\b",
    rf"\b(?:after|since|during)\s+{CARE_EVENT}\s+(?:with|at)\s+(?:us|our\s+(?:office|clinic|practice))\b",
    rf"\b{CARE_EVENT}\s+(?:has|have|had)\s+(?:really\s+)?(?:been\s+)?(?:helpful|helping|helped|working|worked)\b",
    r"\b(?:our|my|this|that)\s+(?:[\w\-]+\s+){0,2}?patient(?!s)(?!['’]s\s+(?:rights|privacy))\b"
    r"(?!\s+(?:portal|care|coordinator|forms?|experience|education|satisfaction|reviews?|lounge|services?|safety|"
    r"comfort|privacy|advocate|intake|information|info|resources|center|centre|first|communication|relations|"
    r"records|rooms?|team|guide|handbook|survey|feedback|financing|parking))",
    rf"\b(?:came|comes|come|coming)\s+in\s+(?:for|with)\s+(?:a\s+|an\s+|her\s+|his\s+|their\s+|your\s+)?"
    rf"(?:\w+\s+)?{CARE}\b",
    r"\b(?:was|were|got|has\s+been|had\s+been|have\s+been)\s+(?:diagnosed|admitted|discharged|hospitalized|"
    r"treated)\b",
    r"\b(?:is|are|she's|he's)\s+(?:recovering|healing)\s+(?:from|well|nicely)\b",
    r"\bwe\s+(?:saw|treated|removed|extracted|placed|pulled|filled|fixed|numbed|sedated|x-rayed)\s+"
    r"(?:you|her|him|them|your|his)\b",
    r"\bcame\s+(?:back\s+)?(?:positive|negative)\b",
    r"\b(?:lost|pulled|chipped|broke|cracked|knocked\s+out|fixed|removed|extracted|replaced|fractured|sprained|"
    r"tore|broken)\s+(?:her|his|their|a|my)\s+(?:first\s+|front\s+|baby\s+|wisdom\s+|left\s+|right\s+)?"
    r"(?:tooth|teeth|molar|crown|filling|arm|leg|wrist|ankle|knee|hip|acl|ligament|collarbone|finger|nose)\b",
    r"\b(?:had|got|getting|gets)\s+(?:her|his|their)\s+(?:\w+\s+){0,2}(?:replaced|removed|pulled|fixed|extracted|"
    r"checked|cleaned|x-rayed|set|stitched|drained|looked\s+at|done|treated|filled|straightened|adjusted)\b",
    rf"\byou\s+(?:were|did)\b[^.!?\n]{{0,40}}\byour\s+{CARE}\b",
    rf"\b(?:during|after|since)\s+their\s+(?:recent\s+|last\s+|first\s+)?{CARE_EVENT}\b",
    rf"\b(?:a|the|our|this|that)\s+patient['’]s\s+{CARE_EVENT}\b",
]
YOUR_CARE = CI(
    rf"\byour\s+(?:recent\s+|last\s+|next\s+|latest\s+|first\s+|upcoming\s+|new\s+|child['’]s\s+|son['’]s\s+|"
    rf"daughter['’]s\s+|kid['’]s\s+|baby['’]s\s+|mom['’]s\s+|dad['’]s\s+)?(?:[a-z]+\s+)?{CARE}\b"
)
_REPLY_ONLY = [
    r"\bthe\s+progress\s+you(?:'ve|\s+have)\s+made\b|\byour\s+progress\b",
    r"\byour\s+(?:hygienist|dentist|doctor|surgeon|therapist|counselor|nurse|provider|pt|physical\s+therapist|"
    r"pediatrician|orthodontist|care\s+team|case\s+manager)\b",
    r"\bthank(?:s|\s+you)\s+(?:so\s+much\s+)?for\s+(?:your\s+visit|visiting|coming\s+in|coming\s+to\s+see\s+us|"
    r"choosing\s+us|trusting\s+us|being\s+(?:a|our|such\s+a)\s+(?:\w+\s+)?patient|your\s+loyalty)",
    r"\b(?:welcome\s+back|good\s+to\s+see\s+you|great\s+to\s+see\s+you|nice\s+to\s+see\s+you|"
    r"see\s+you\s+(?:again|back|next\s+time|at\s+your\s+next|in\s+six\s+months|in\s+6\s+months))\b",
    r"\byou\s+(?:did\s+(?:great|so\s+well|amazing)|were\s+(?:a\s+)?(?:great|brave|wonderful|model)\s+patient)\b",
]
ANY_KIND = CI("|".join(f"(?:{p})" for p in _ANY_KIND))
REPLY_ONLY = CI("|".join(f"(?:{p})" for p in _REPLY_ONLY))

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
)
DATE_REL = CI(
    rf"\b(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening|past\s+week)|last\s+(?:night|week|month|year|"
    rf"weekend|{_WD})|earlier\s+(?:today|this\s+week)|tomorrow|next\s+(?:week|month|{_WD})|(?:on\s+)?{_WD})"
    r"(?:['’]s)?\b"
)
_RELATIVE = re.compile(rf"^(?:yesterday|today|tonight|tomorrow|this|last|next|earlier|on|{_WD})")
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
EVENT = re.compile(
    rf"\b(?:{CARE}|visited|came\s+in|seen|saw|treated|diagnosed|surgery|in\s+our\s+chair|wait|waited)\b"
)
OFFICE = re.compile(
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


def detect_disclosures(
    text: str,
    low: str | None,
    reply: bool,
    name_spans: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> Iterator[Raw]:
    for m in ANY_KIND.finditer(text, low):
        yield (
            *m.span(),
            "patient_relationship",
            "block",
            "Confirms that a person is a patient or reveals their care.",
            "",
        )
    for m in YOUR_CARE.finditer(text, low):
        # "your crown" is marketing in a post ("book your cleaning") unless someone is named
        if reply or any(s < m.start() and m.start() - e < 120 for s, e in name_spans):
            yield (
                *m.span(),
                "patient_relationship",
                "block",
                "Addressed to a named person, this reveals their care.",
                "",
            )
    if reply:
        for m in REPLY_ONLY.finditer(text, low):
            yield (
                *m.span(),
                "patient_relationship",
                "block",
                "In a public reply this confirms the author is a patient.",
                "",
            )


NAME_POSSESSIVE_CARE = re.compile(rf"['’]s?\s+(?:[\w\-]+\s+)?{CARE_EVENT}\b", re.IGNORECASE)


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


def detect_ages(text: str, low: str | None, has_digit: bool, words: set[str]) -> Iterator[Raw]:
    if not _AGE_WORD_HINTS.isdisjoint(words):
        windows = [(0, len(text))]
    elif has_digit:
        windows = digit_windows(text, 28, 22)
    else:
        return
    pattern, source = (AGE.plain, low) if low is not None else (AGE.folded, text)
    for m in in_windows(pattern, source, windows):
        yield (*m.span(), "age_over_89", "block", "An age over 89 is an identifier.", "90 or older")


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
    if has_digit:
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
