"""Deterministic labelled corpus of social-media texts for the compliance engine.

    from bench.compliance.corpus import generate, PRACTICES
    items = generate(5000, seed=7)   # list[Item]: text, kind, context_ref, gold spans, verdict

Each text is built from pieces: literal strings and labelled slots, so the gold spans
(start, end, category) are exact. About 30% of the texts carry no PHI and are made of
hard negatives: staff in every form (including first names that are ordinary words),
the practice's own phone, address and website, office closure dates, states, public
figures in the news, general health information and safe review replies.

Written from the rules in COMPLIANCE.md and issue 3, not from the engine's patterns.
Synthetic people, places and numbers come from Faker (seeded).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

KINDS = ("post", "review_reply", "comment_reply", "community_post")
REPLY_KINDS = ("review_reply", "comment_reply")

PRACTICES: dict[str, dict[str, Any]] = {
    "raman": {
        "practice_name": "Raman Family Dental",
        "staff": ["Dr. Priya Raman", "Hygienist Tara Nguyen", "Will Brennan", "Grace Holloway"],
        "practice_phone": "(512) 555-0142",
        "practice_address": "4100 Burnet Road, Suite 200, Austin, TX 78756",
        "website": "https://ramanfamilydental.com",
        "consents": [
            {"name": "Luis Ortega", "covers": ["name", "story"], "channels": ["facebook"]}
        ],
        "channel": "facebook",
    },
    # The same practice, posting to a channel its consent does not cover.
    "raman_instagram": {
        "practice_name": "Raman Family Dental",
        "staff": ["Dr. Priya Raman", "Hygienist Tara Nguyen", "Will Brennan", "Grace Holloway"],
        "practice_phone": "(512) 555-0142",
        "practice_address": "4100 Burnet Road, Suite 200, Austin, TX 78756",
        "website": "https://ramanfamilydental.com",
        "consents": [
            {"name": "Luis Ortega", "covers": ["name", "story"], "channels": ["facebook"]}
        ],
        "channel": "instagram",
    },
    "osei": {
        "practice_name": "Osei Pediatrics",
        "staff": [
            "Dr. Kwame Osei",
            "Nurse June Park",
            "Lena Fischer, RN",
            "Office Manager Hope Diaz",
        ],
        "practice_phone": "614-555-0199",
        "practice_address": "88 East Broad Street, Columbus, OH 43215",
        "website": "oseipeds.org",
        "consents": [],
    },
    "lakeside": {
        "practice_name": "Lakeside Orthopedics",
        "staff": ["Dr. Amir Patel", "Dr. Faith Morrison", "PT Mark Sullivan", "Rose Alvarado"],
        "practice_phone": "(206) 555-0175",
        "practice_address": "1200 Westlake Avenue North, Seattle, WA 98109",
        "website": "https://www.lakesideortho.com",
        "consents": [{"name": "Dana Whitfield", "covers": ["name", "photo"], "channels": []}],
    },
    "brightpath": {
        "practice_name": "BrightPath Counseling",
        "staff": ["Dr. Miriam Cho", "Bill Townsend, LCSW", "Therapist Summer Reyes"],
        "practice_phone": "303-555-0110",
        "practice_address": "2150 Champa Street, Denver, CO 80205",
        "website": "brightpathcounseling.com",
        "consents": [],
    },
}


@dataclass
class Item:
    id: str
    text: str
    kind: str
    context_ref: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    verdict: str = "pass"

    @property
    def context(self) -> dict[str, Any]:
        return PRACTICES[self.context_ref]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind,
            "context_ref": self.context_ref,
            "spans": [list(s) for s in self.spans],
            "verdict": self.verdict,
        }


# A piece is a literal string or (value, category) for a labelled span.
Piece = str | tuple[str, str]


def assemble(pieces: list[Piece]) -> tuple[str, list[tuple[int, int, str]]]:
    text, spans, pos = [], [], 0
    for piece in pieces:
        if isinstance(piece, tuple):
            value, category = piece
            spans.append((pos, pos + len(value), category))
        else:
            value = piece
        text.append(value)
        pos += len(value)
    return "".join(text), spans


def verdict_for(kind: str, spans: list[tuple[int, int, str]]) -> str:
    if not spans:
        return "pass"
    cats = {c for _, _, c in spans}
    if cats == {"patient_relationship"} and kind not in REPLY_KINDS:
        return "warn"
    return "block"


class Maker:
    """Seeded synthetic values. Every method returns a string."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)

    def pick(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def first(self) -> str:
        return self.fake.first_name()

    def last(self) -> str:
        return self.fake.last_name()

    def full(self) -> str:
        return f"{self.first()} {self.last()}"

    def titled(self) -> str:
        return f"{self.pick(['Mr.', 'Mrs.', 'Ms.', 'Miss', 'Mr', 'Mrs'])} {self.last()}"

    def phone(self) -> str:
        a, b, c = self.rng.randint(201, 989), self.rng.randint(200, 999), self.rng.randint(0, 9999)
        if a in (800, 833, 844, 855, 866, 877, 888):  # toll-free codes are not personal lines
            a -= 100
        fmt = self.pick(
            ["({a}) {b}-{c:04d}", "{a}-{b}-{c:04d}", "{a}.{b}.{c:04d}", "+1 {a} {b} {c:04d}"]
        )
        return fmt.format(a=a, b=b, c=c)

    def email(self) -> str:
        return self.fake.free_email()

    def ssn(self) -> str:
        return self.fake.ssn()

    def mrn(self) -> str:
        return self.pick(["", "MR", "A"]) + str(self.rng.randint(100000, 99999999))

    def plan_id(self) -> str:
        letters = "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(3))
        return f"{letters}{self.rng.randint(10000000, 999999999)}"

    def account(self) -> str:
        return str(self.rng.randint(10000000, 9999999999))

    def license(self) -> str:
        return self.pick("ABCDEFGHJKLMNPRSTW") + str(self.rng.randint(1000000, 99999999))

    def plate(self) -> str:
        return self.fake.license_plate()

    def vin(self) -> str:
        return self.fake.vin()

    def serial(self) -> str:
        return f"{self.pick(['SN', 'PM', 'HA', ''])}{self.rng.randint(100000, 9999999)}{self.pick(['', 'X', 'B7'])}"

    def ip(self) -> str:
        return self.fake.ipv4_public() if self.rng.random() < 0.8 else self.fake.ipv6()

    def url(self) -> str:
        user = self.fake.user_name()
        return self.pick(
            [
                f"facebook.com/{user}",
                f"https://www.instagram.com/{user}",
                f"https://www.gofundme.com/f/help-{user}-recover",
                f"tiktok.com/@{user}",
                f"https://www.caringbridge.org/visit/{user}",
            ]
        )

    def street(self) -> str:
        return self.fake.street_address()

    def city(self) -> str:
        return self.fake.city()

    def zip(self) -> str:
        return self.fake.zipcode()

    def claim(self) -> str:
        return str(self.rng.randint(100000, 99999999))

    def date(self) -> str:
        d = self.fake.date_between(start_date="-2y", end_date="today")
        return self.pick(
            [
                d.strftime("%B %-d"),
                d.strftime("%b %-d"),
                d.strftime("%-m/%-d/%Y"),
                d.strftime("%B %-d, %Y"),
                d.strftime("%-m/%-d"),
            ]
        )

    def dob(self) -> str:
        d = self.fake.date_of_birth(minimum_age=5, maximum_age=88)
        return self.pick(
            [d.strftime("%-m/%-d/%Y"), d.strftime("%B %-d, %Y"), d.strftime("%m/%d/%Y")]
        )

    def old_age(self) -> str:
        n = self.rng.randint(90, 106)
        words = {
            90: "ninety",
            91: "ninety-one",
            92: "ninety-two",
            94: "ninety-four",
            95: "ninety-five",
        }
        return self.pick(
            [
                f"turned {n}",
                f"{n} years old",
                f"{n}-year-old",
                f"turned {words.get(n, 'ninety')}",
            ]
        )

    def old_birthday(self) -> str:
        n = self.rng.randint(90, 104)
        suffix = (
            "th"
            if n % 10 > 3 or n % 10 == 0 or 11 <= n % 100 <= 13
            else ["th", "st", "nd", "rd"][n % 10]
        )
        return self.pick(
            [
                f"{n}{suffix} birthday",
                f"{n}{suffix} bday",
                "hundredth birthday",
                "ninetieth birthday",
            ]
        )

    def handle(self) -> str:
        return "@" + self.fake.user_name()

    def hashtag(self) -> str:
        return (
            "#" + self.pick(["Team", "PrayFor", ""]) + self.first() + self.pick(["", "Strong", ""])
        )

    def initials(self) -> str:
        a, b = self.rng.choice("ABCDEFGHJKLMNPRSTW"), self.rng.choice("ABCDEFGHJKLMNPRSTW")
        return self.pick([f"{a}.{b}.", f"{a}. {b}."])


from bench.compliance.templates import CLEAN_TEMPLATES, PHI_TEMPLATES  # noqa: E402


def generate(n: int = 5000, seed: int = 20261121, clean_share: float = 0.3) -> list[Item]:
    maker = Maker(seed)
    items = []
    refs = sorted(r for r in PRACTICES if r != "raman_instagram")
    for i in range(n):
        ref = maker.pick(refs)
        practice = PRACTICES[ref]
        clean = maker.rng.random() < clean_share
        kind, template = maker.pick(CLEAN_TEMPLATES if clean else PHI_TEMPLATES)
        text, spans = assemble(template(maker, practice))
        items.append(Item(f"g{i:05d}", text, kind, ref, spans, verdict_for(kind, spans)))
    return items


# ---- for the property test ---------------------------------------------------------
# Identifiers that identify on their own, wherever they appear (a date or a care phrase
# needs a person next to it, so they are not here).
IDENTIFIER_MAKERS: dict[str, Callable[[Maker], str]] = {
    "name": lambda m: m.pick([m.full(), m.titled()]),
    "phone": lambda m: m.phone(),
    "email": lambda m: m.email(),
    "ssn": lambda m: m.ssn(),
    "mrn": lambda m: "MRN " + m.mrn(),
    "health_plan_id": lambda m: "member ID " + m.plan_id(),
    "account_number": lambda m: "account number " + m.account(),
    "license_number": lambda m: "driver's license " + m.license(),
    "vehicle_id": lambda m: "VIN " + m.vin(),
    "device_id": lambda m: "serial number " + m.serial(),
    "url": lambda m: m.url(),
    "ip_address": lambda m: m.ip(),
    "age_over_89": lambda m: "she " + m.old_age(),
    "other_id": lambda m: "claim number " + m.claim(),
}


def clean_texts(seed: int = 5, n: int = 200) -> list[tuple[str, str, str]]:
    """(text, kind, context_ref) for clean generated texts."""
    maker = Maker(seed)
    out = []
    for _ in range(n):
        ref = maker.pick(sorted(r for r in PRACTICES if r != "raman_instagram"))
        kind, template = maker.pick(CLEAN_TEMPLATES)
        text, _ = assemble(template(maker, PRACTICES[ref]))
        out.append((text, kind, ref))
    return out


if __name__ == "__main__":  # pragma: no cover - a quick look at a few items
    import json

    for item in generate(12):
        print(json.dumps(item.to_json(), ensure_ascii=False))
