"""The practice's own public facts, validated, and what they allow to appear in a text."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .errors import ContextError
from .lexicon import ROLE_WORDS

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
CONSENT_COVERS = frozenset({"name", "story", "photo"})


class Consent(NamedTuple):
    """A signed authorization on file for one patient."""

    name: str
    covers: tuple[str, ...]
    channels: tuple[str, ...] = ()

    def tokens(self) -> frozenset[str]:
        return frozenset(t.lower() for t in _WORD.findall(self.name) if t.lower() not in ROLE_WORDS)


class Context:
    """The practice's profile, roster and consents, as the scanner needs them.

    Treat it as immutable: derived sets are computed once per object and cached.
    (A plain slotted class, not a dataclass: importing dataclasses costs the command's
    start-up more than the whole class is worth.)
    """

    __slots__ = (
        "practice_name",
        "staff",
        "practice_phone",
        "practice_address",
        "website",
        "practice_email",
        "practice_fax",
        "consents",
        "channel",
        "sensitive_categories",
        "_derived",
    )

    def __init__(
        self,
        *,
        practice_name: str = "",
        staff: tuple[str, ...] = (),
        practice_phone: str = "",
        practice_address: str = "",
        website: str = "",
        practice_email: str = "",
        practice_fax: str = "",
        consents: tuple[Consent, ...] = (),
        channel: str | None = None,
        sensitive_categories: tuple[str, ...] = (),
    ) -> None:
        self.practice_name = practice_name
        self.staff = tuple(staff)
        self.practice_phone = practice_phone
        self.practice_address = practice_address
        self.website = website
        self.practice_email = practice_email
        self.practice_fax = practice_fax
        self.consents = tuple(consents)
        self.channel = channel
        self.sensitive_categories = tuple(sensitive_categories)
        self._derived: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Context(practice_name={self.practice_name!r}, staff={self.staff!r}, channel={self.channel!r})"

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Context:
        if data is None:
            return EMPTY_CONTEXT
        if not isinstance(data, dict):
            raise ContextError("(root)", f"must be an object, not {type(data).__name__}")
        consents = _list(data, "consents", dict)
        return cls(
            practice_name=_str(data, "practice_name"),
            staff=tuple(_list(data, "staff", str)),
            practice_phone=_str(data, "practice_phone"),
            practice_address=_str(data, "practice_address"),
            website=_str(data, "website"),
            practice_email=_str(data, "practice_email"),
            practice_fax=_str(data, "practice_fax"),
            consents=tuple(_consent(c, i) for i, c in enumerate(consents)),
            channel=_str(data, "channel") or None,
            sensitive_categories=tuple(_list(data, "sensitive_categories", str)),
        )

    # Derived sets, computed once per Context object (contexts are reused across texts).
    @property
    def allowed_name_tokens(self) -> frozenset[str]:
        got = self._derived.get("names")
        if got is None:
            from .lexicon import name_data

            tokens: set[str] = set()
            for entry in self.staff:
                tokens.update(t.lower() for t in _WORD.findall(entry))
            # The practice name's ordinary words ("Family", "Dental") are not names.
            plain = name_data().plain_words
            tokens.update(
                t.lower() for t in _WORD.findall(self.practice_name) if t.lower() not in plain
            )
            got = frozenset(
                t for t in tokens if t not in ROLE_WORDS or t in _staff_role_names(self)
            )
            self._derived["names"] = got
        return got

    @property
    def own_name_pattern(self) -> re.Pattern[str] | None:
        """The practice's own name as written in a text (any case and spacing).

        Its words may look like a family ("Maple Family Clinic", "the Osei Family
        Practice"), but the practice's name is public and always allowed.
        """
        if "own_name" not in self._derived:
            words = _WORD.findall(self.practice_name)
            self._derived["own_name"] = (
                re.compile(r"(?<!\w)" + r"[\s\-]+".join(map(re.escape, words)) + r"(?!\w)", re.I)
                if words
                else None
            )
        return self._derived["own_name"]

    @property
    def place_tokens(self) -> frozenset[str]:
        """Words of the practice's own address ("Austin", "Burnet"): places, not people."""
        got = self._derived.get("places")
        if got is None:
            got = frozenset(t.lower() for t in _WORD.findall(self.practice_address))
            self._derived["places"] = got
        return got

    @property
    def allowed_digits(self) -> frozenset[str]:
        got = self._derived.get("digits")
        if got is None:
            nums = set()
            for value in (self.practice_phone, self.practice_fax):
                digits = re.sub(r"\D", "", value)
                if len(digits) >= 7:
                    nums.update({digits[-10:], digits[-7:]})
            got = frozenset(nums)
            self._derived["digits"] = got
        return got

    @property
    def domains(self) -> frozenset[str]:
        got = self._derived.get("domains")
        if got is None:
            found = set()
            for value in (self.website, self.practice_email.partition("@")[2]):
                host = re.sub(r"^[a-z]+://", "", value.strip().lower()).split("/")[0]
                host = host.removeprefix("www.")
                if host:
                    found.add(host)
            got = frozenset(found)
            self._derived["domains"] = got
        return got

    @property
    def address_norm(self) -> str:
        got = self._derived.get("address")
        if got is None:
            got = " " + normalize(self.practice_address) + " "
            self._derived["address"] = got
        return got

    @property
    def handle_slugs(self) -> frozenset[str]:
        got = self._derived.get("slugs")
        if got is None:
            slugs = {_NON_ALNUM.sub("", self.practice_name.lower())}
            slugs.update(d.split(".")[0].replace("-", "") for d in self.domains)
            for entry in self.staff:
                parts = [t.lower() for t in _WORD.findall(entry) if t.lower() not in ROLE_WORDS]
                if parts:
                    slugs.add("".join(parts))
            got = frozenset(s for s in slugs if len(s) >= 3)
            self._derived["slugs"] = got
        return got


def _staff_role_names(ctx: Context) -> frozenset[str]:
    # A role word that is the person's actual name ("Dr. Will Young") stays allowed only when
    # it is one of the last two words of the entry.
    names = set()
    for entry in ctx.staff:
        words = [w.lower() for w in _WORD.findall(entry)]
        names.update(words[-2:])
    return frozenset(names)


def normalize(text: str) -> str:
    """Lowercase, alphanumerics only, single spaces; street suffixes abbreviated."""
    words = _NON_ALNUM.sub(" ", text.lower()).split()
    return " ".join(_ABBR.get(w, w) for w in words)


_ABBR = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "suite": "ste",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "highway": "hwy",
    "parkway": "pkwy",
    "terrace": "ter",
    "circle": "cir",
}


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ContextError(key, f"must be a string, not {type(value).__name__}")
    return value


def _list(data: dict[str, Any], key: str, item_type: type, prefix: str = "") -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContextError(prefix + key, f"must be a list, not {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, item_type):
            raise ContextError(
                f"{prefix}{key}[{i}]",
                f"must be {'an object' if item_type is dict else 'a string'}, "
                f"not {type(item).__name__}",
            )
    return value


def _consent(data: dict[str, Any], index: int) -> Consent:
    prefix = f"consents[{index}]."
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ContextError(prefix + "name", "must be a non-empty string")
    covers = _list(data, "covers", str, prefix)
    unknown = sorted(set(covers) - CONSENT_COVERS)
    if unknown:
        raise ContextError(prefix + "covers", f"unknown item {unknown[0]!r} (name, story, photo)")
    channels = _list(data, "channels", str, prefix)
    return Consent(name=name, covers=tuple(covers), channels=tuple(channels))


def coerce(context: Context | dict[str, Any] | None) -> Context:
    if isinstance(context, Context):
        return context
    return Context.from_dict(context)


EMPTY_CONTEXT = Context()
