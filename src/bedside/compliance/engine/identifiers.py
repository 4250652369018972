"""Detectors for the numeric and structured Safe Harbor identifiers.

Every pattern is bounded (no nested unbounded repetition), so each runs in linear time.
Each detector yields (start, end, category, severity, explanation, suggestion).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .context import Context, normalize
from .lexicon import STATE_ABBR, US_STATES

Raw = tuple[int, int, str, str, str, str]

_ID = r"[A-Z0-9][A-Z0-9\-]{3,24}"  # an identifier value after a label
_SEP = r"(?:\s*(?:number|num|no\.?|nbr|#|id|ID|is|:|=)){0,3}\s*[:#]?\s*"


def _labelled(label: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{label}){_SEP}(?P<v>{_ID})\b", re.IGNORECASE)


# Labelled identifiers: (pattern, category, explanation).
LABELLED: list[tuple[re.Pattern[str], str, str]] = [
    (_labelled(r"ssn|social\s+security(?:\s+card)?|ss#"), "ssn", "a Social Security number"),
    (
        _labelled(r"mrn|medical\s+record|med\s+rec|chart|patient\s+(?:id|number|no|#)|record"),
        "mrn",
        "a medical record number",
    ),
    (
        _labelled(
            r"member|policy|subscriber|insurance(?:\s+id)?|group|medicaid|medicare|health\s+plan|"
            r"plan\s+id|beneficiary|mbi|hicn"
        ),
        "health_plan_id",
        "a health plan or insurance number",
    ),
    (
        _labelled(r"account|acct|invoice|billing|card\s+ending(?:\s+in)?|statement"),
        "account_number",
        "an account number",
    ),
    (
        _labelled(
            r"driver'?s?\s+licen[cs]e|licen[cs]e(?!\s+plate)|dl|dea|npi|certificate|passport"
        ),
        "license_number",
        "a licence or certificate number",
    ),
    (
        _labelled(r"license\s+plate|licence\s+plate|plate|tag|vin|vehicle"),
        "vehicle_id",
        "a vehicle identifier or licence plate",
    ),
    (
        _labelled(
            r"serial|s/n|sn|device|imei|udi|pacemaker|implant\s+(?:serial|id)|lot|hearing\s+aid"
        ),
        "device_id",
        "a device identifier or serial number",
    ),
    (
        _labelled(r"case|claim|ticket|reference|ref|confirmation|employee|student|badge|order"),
        "other_id",
        "an identifying number",
    ),
]
_HAS_DIGIT = re.compile(r"\d")

SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?![\d\-])"
    r"|(?<![\w-])\d{10}(?!\d)"
    r"|(?<![\d\-.])\d{3}-\d{4}(?![\d\-])"
)
_FAX_CUE = re.compile(r"fax", re.IGNORECASE)
_PHONE_CUE = re.compile(r"call|text|cell|phone|number|reach|mobile|dial|ring", re.IGNORECASE)
EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,4}\b")
URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]{2,300}"
    r"|\b[a-z0-9\-]{2,63}\.(?:com|org|net|me|ly|io|co|us|app|page)/[^\s<>\"')\]]{1,300}",
    re.IGNORECASE,
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
)
IPV4 = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])"
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
STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
    r"(?:[A-Za-z0-9][A-Za-z0-9'’\-]{0,30}\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Trl|Square|Sq|Loop|Pike|Row)\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*[A-Za-z0-9\-]{1,6})?",
    re.IGNORECASE,
)
STREET_NO_NUMBER = re.compile(
    r"\b(?:lives|living|lived|live|home|house|resides|moved|moving|grew\s+up)\s+(?:on|at|off)\s+"
    r"(?:[A-Z][A-Za-z'’\-]{1,30}\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|"
    r"Terrace|Circle|Highway|Parkway|Trail)\b"
)
ZIP = re.compile(r"(?<![\d\-$.,])\d{5}(?:-\d{4})?(?![\d\-])")
_ZIP_CUE = re.compile(
    r"(?:zip|zipcode|zip\s+code|postal\s+code|\b[A-Z]{2}|\b[A-Z][a-z]+,?|\bin|\bfrom|area)[\s,:]*$"
)
CITY = re.compile(
    r"\b(?:lives\s+in|living\s+in|lived\s+in|resident\s+of|native\s+of|moved\s+(?:here\s+)?"
    r"(?:to|from)|hometown(?:\s+of|\s+is)?|from|in|of)\s+(?:the\s+(?:town|city|village)\s+of\s+)?"
    r"(?P<v>[A-Z][a-z]{2,20}(?:[ \-][A-Z][a-z]{2,20}){0,2}(?:,\s?[A-Z]{2}\b)?)"
)
_STRONG_CITY = re.compile(r"^(?:lives|living|lived|resident|native|moved|hometown)", re.IGNORECASE)


def detect_identifiers(text: str, ctx: Context) -> Iterator[Raw]:
    if _HAS_DIGIT.search(text) is not None:
        yield from _numeric(text, ctx)
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
    if "." in text:
        yield from _urls(text, ctx)
    if ":" in text:
        for m in IPV6.finditer(text):
            if any(c.isalpha() for c in m.group()) or "::" in m.group():
                yield (
                    *m.span(),
                    "ip_address",
                    "block",
                    "An IP address can identify a person.",
                    "[IP removed]",
                )
    yield from _streets_without_number(text, ctx)


def _numeric(text: str, ctx: Context) -> Iterator[Raw]:
    for pattern, category, what in LABELLED:
        for m in pattern.finditer(text):
            value = m.group("v")
            if _HAS_DIGIT.search(value) is None:
                continue
            yield (*m.span("v"), category, "block", f"Looks like {what}.", "[number removed]")
    for m in SSN.finditer(text):
        yield (
            *m.span(),
            "ssn",
            "block",
            "Looks like a Social Security number.",
            "[number removed]",
        )
    for m in CARD.finditer(text):
        yield (
            *m.span(),
            "account_number",
            "block",
            "Looks like a card or account number.",
            "[number removed]",
        )
    for m in MBI.finditer(text):
        yield (
            *m.span(),
            "health_plan_id",
            "block",
            "Looks like a Medicare beneficiary identifier.",
            "[number removed]",
        )
    for m in VIN.finditer(text):
        yield (
            *m.span(),
            "vehicle_id",
            "block",
            "Looks like a vehicle identification number.",
            "[number removed]",
        )
    for m in IPV4.finditer(text):
        yield (
            *m.span(),
            "ip_address",
            "block",
            "An IP address can identify a person.",
            "[IP removed]",
        )
    yield from _phones(text, ctx)
    yield from _streets(text, ctx)
    yield from _zips(text, ctx)


def _phones(text: str, ctx: Context) -> Iterator[Raw]:
    for m in PHONE.finditer(text):
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


def _streets(text: str, ctx: Context) -> Iterator[Raw]:
    for m in STREET.finditer(text):
        if not _in_address(m.group(), ctx):
            yield (
                *m.span(),
                "geo",
                "block",
                "A street address that is not the practice's.",
                "[address removed]",
            )


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


def _zips(text: str, ctx: Context) -> Iterator[Raw]:
    for m in ZIP.finditer(text):
        before = text[max(0, m.start() - 16) : m.start()]
        if _ZIP_CUE.search(before) is None or _in_address(m.group(), ctx):
            continue
        yield (*m.span(), "geo", "block", "A ZIP code tied to a person.", "[ZIP removed]")


def _urls(text: str, ctx: Context) -> Iterator[Raw]:
    for m in URL.finditer(text):
        url = m.group().rstrip(".,;:!?")
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())
        domain = host.split("/")[0]
        if domain in ctx.domains or any(domain.endswith("." + d) for d in ctx.domains):
            continue
        if "/" in host.rstrip("/") and any(host.startswith(p) for p in PERSONAL_HOSTS):
            yield (
                m.start(),
                m.start() + len(url),
                "url",
                "block",
                "A link to a personal page or profile.",
                "[link removed]",
            )


def city_findings(
    text: str, ctx: Context, person_near: re.Pattern[str], not_place: Callable[[str], bool]
) -> Iterator[Raw]:
    """Towns tied to a person ("lives in Dayton", "Maria from Oak Park"); states are fine."""
    for m in CITY.finditer(text):
        value = m.group("v")
        first = value.split()[0].rstrip(",").lower()
        if first in US_STATES or value in STATE_ABBR or _in_address(value.split(",")[0], ctx):
            continue
        if not_place(first):
            continue
        if not _STRONG_CITY.match(m.group()):
            window = text[max(0, m.start() - 80) : m.end() + 40]
            if person_near.search(window) is None:
                continue
        yield (*m.span("v"), "geo", "block", "A town or city tied to a person.", "[town removed]")
