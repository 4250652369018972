"""Person names in every written form: titled, full, lone first names with a cue,
lowercase, @handles, #hashtags and initials. The practice's staff are allowed.

One pass over word tokens, with constant work per token: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import Context
from .identifiers import Raw
from .lexicon import (
    CLINICIAN_TITLES,
    FAMILY_NOUNS,
    HOLIDAYS,
    MONTHS,
    NAME_CUES,
    NOT_PERSON,
    ORG_SUFFIXES,
    PERSON_TITLES,
    PUBLIC_FIGURES,
    PUBLIC_TITLES,
    US_STATES,
    WEEKDAYS,
    NameData,
    _set,
    name_data,
)

TOKEN = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?)")
HASHTAG = re.compile(r"(?<![\w#&])#([A-Za-z][A-Za-z0-9_]{1,40})")
INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,2}[A-Z]\.(?!\w)|(?<![\w.])[A-Z]\.[A-Z](?![\w.])")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
NOT_INITIALS = _set(
    """US UK DC AM PM MD DDS DMD RN NP PA ER OR IV BC AD PS EU UN DO OT PT ICU NICU ENT
    LPN CPR AED ASAP TBA TBD PO DOB ID OK"""
)
_HANDLE_PREFIXES = ("team", "pray", "prayers", "praying", "love", "go", "stand", "justice")
_HANDLE_SUFFIXES = ("strong", "warrior", "army", "tough", "nation", "fighter", "forever")
_WEAK = frozenset({"the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by"})
SKIP = MONTHS | WEEKDAYS | HOLIDAYS | US_STATES | NOT_PERSON | PUBLIC_TITLES


def token_class(low: str, nd: NameData, allowed: frozenset[str]) -> str:
    """S staff/practice, F first name, f first name that is a word, L surname, l surname that
    is a word, U unknown non-word, W ordinary word or known non-person."""
    if low in allowed:
        return "S"
    if low in SKIP or low in PERSON_TITLES or low in CLINICIAN_TITLES:
        return "W"
    if low in nd.first:
        return "f" if low in nd.first_word else "F"
    if low in nd.last:
        return "l" if low in nd.words else "L"
    if low in nd.words or len(low) < 2:
        return "W"
    return "U"


def _base(word: str) -> tuple[str, bool]:
    if word.endswith(("'s", "’s")):
        return word[:-2], True
    if word.endswith(("s'", "s’")):
        return word[:-1], True
    return word, False


def _initial(text: str, start: int) -> bool:
    """True when the token at `start` begins a sentence (capitals there carry no signal)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(*_":
        i -= 1
    return i < 0 or not (text[i].isalnum() or text[i] in ",&")


def _capitalised(word: str) -> bool:
    return word[0].isupper() and (len(word) < 3 or not word.isupper())


class _Tok:
    __slots__ = ("start", "end", "base", "low", "cap", "poss", "cls", "init")

    def __init__(self, text: str, m: re.Match[str], nd: NameData, allowed: frozenset[str]) -> None:
        self.start, self.end = m.span()
        self.base, self.poss = _base(m.group())
        self.low = self.base.lower()
        self.cap = _capitalised(self.base)
        self.cls = token_class(self.low, nd, allowed)
        self.init = _initial(text, self.start)


def detect_names(text: str, ctx: Context, kind: str) -> Iterator[Raw]:
    nd = name_data()
    allowed = ctx.allowed_name_tokens
    toks = [_Tok(text, m, nd, allowed) for m in TOKEN.finditer(text)]
    yield from _words(text, toks, kind)
    if "@" in text:
        yield from _handles(text, ctx, nd, allowed)
    if "#" in text:
        yield from _hashtags(text, nd, allowed)
    if "." in text:
        for m in INITIALS.finditer(text):
            if m.group().replace(".", "").replace(" ", "") not in NOT_INITIALS:
                yield (
                    *m.span(),
                    "name",
                    "block",
                    "Initials can identify a patient.",
                    "[initials removed]",
                )


def _joined(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    return gap == " " or (gap == ". " and len(a.base) == 1)


def _words(text: str, toks: list[_Tok], kind: str) -> Iterator[Raw]:
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.low in PERSON_TITLES or t.low in CLINICIAN_TITLES:
            j = _titled(text, toks, i)
            if j > i + 1:
                yield from _titled_finding(toks, i, j)
                i = j
                continue
        if t.cap and t.low in PUBLIC_TITLES:
            i = _skip_run(text, toks, i + 1)
            continue
        if t.cap and t.cls != "W":
            j = i + 1
            while (
                j < n
                and j - i < 4
                and toks[j].cap
                and toks[j].cls != "W"
                and _joined(text, toks[j - 1], toks[j])
            ):
                j += 1
            found, i = _run(text, toks, i, j, kind)
            yield from found
            continue
        if not t.cap and t.cls in "FfLlU":
            yield from _lower(text, toks, i)
        i += 1


def _titled(text: str, toks: list[_Tok], i: int) -> int:
    """Index after the name tokens that follow a title at i ("Mrs. Okafor", "mr lee")."""
    title = toks[i]
    if not title.cap and (title.low not in PERSON_TITLES or title.low == "miss"):
        return i + 1  # "the doctor said", "we miss you"
    j = i + 1
    while j < len(toks) and j - i <= 3:
        gap = text[toks[j - 1].end : toks[j].start]
        if j == i + 1:
            if gap not in (" ", ". ", "."):
                break
        elif not _joined(text, toks[j - 1], toks[j]):
            break
        nxt = toks[j]
        if nxt.cap and nxt.cls == "W" and len(nxt.base) > 1:
            break
        if not nxt.cap and (title.cap or nxt.cls not in "FfLlU"):
            break
        j += 1
        if nxt.poss:
            break
    return j


def _titled_finding(toks: list[_Tok], i: int, j: int) -> Iterator[Raw]:
    names = toks[i + 1 : j]
    if all(t.cls == "S" for t in names if len(t.base) > 1):
        return
    key = " ".join(t.low for t in toks[i:j])
    if key in PUBLIC_FIGURES or " ".join(t.low for t in names) in PUBLIC_FIGURES:
        return
    end = names[-1].start + len(names[-1].base)
    if toks[i].low in CLINICIAN_TITLES:
        yield (
            toks[i].start,
            end,
            "name",
            "warn",
            "A clinician who is not on the practice's staff list.",
            "[name removed]",
        )
    else:
        yield (
            toks[i].start,
            end,
            "name",
            "block",
            "A person's name (with a title).",
            "[name removed]",
        )


def _skip_run(text: str, toks: list[_Tok], j: int) -> int:
    while j < len(toks) and toks[j].cap and _joined(text, toks[j - 1], toks[j]):
        j += 1
    return j


def _cue_before(toks: list[_Tok], i: int) -> bool:
    if i == 0:
        return False
    prev = toks[i - 1].low
    if prev == "you" and i >= 2 and toks[i - 2].low in ("thank", "love", "miss"):
        return True
    return prev in NAME_CUES


def _family_after(text: str, toks: list[_Tok], j: int) -> bool:
    return (
        j < len(toks)
        and toks[j].low in FAMILY_NOUNS
        and text[toks[j - 1].end : toks[j].start] == " "
    )


def _run(text: str, toks: list[_Tok], i: int, j: int, kind: str) -> tuple[list[Raw], int]:
    """A run of capitalised tokens i..j-1: a full name, or a lone name with a cue."""
    run = toks[i:j]
    classes = "".join(t.cls for t in run)
    if j < len(toks) and toks[j].low in ORG_SUFFIXES and _joined(text, run[-1], toks[j]):
        return [], j  # "Grace Church", "Mercy Hospital"
    low = " ".join(t.low for t in run)
    if low in PUBLIC_FIGURES or (
        len(run) > 2 and " ".join(t.low for t in run[:2]) in PUBLIC_FIGURES
    ):
        return [], j
    if set(classes) == {"S"}:
        return [], j
    cue = _cue_before(toks, i) or _family_after(text, toks, j)
    end = run[-1].start + len(run[-1].base)
    if len(run) >= 2:
        first, rest = classes[0], classes[1:]
        strong = first == "F" or (
            first in "fS" and any(c in ("LUFl" if first == "S" else "LUF") for c in rest)
        )
        if strong or cue:
            return [
                (run[0].start, end, "name", "block", "A person's full name.", "[name removed]")
            ], j
    t = run[0]
    c = classes[0]
    end = t.start + len(t.base)
    if c == "F":
        if kind == "community_post" and _self_intro(toks, i):
            return [], i + 1
        return [(t.start, end, "name", "block", "A person's first name.", "[name removed]")], i + 1
    lone_cue = _cue_before(toks, i) or _family_after(text, toks, i + 1)
    if c in "fLlU" and lone_cue:
        return [(t.start, end, "name", "block", "A person's name.", "[name removed]")], i + 1
    return [], i + 1


_REPLY = frozenset({"review_reply", "comment_reply", "message"})


def _self_intro(toks: list[_Tok], i: int) -> bool:
    """'I'm Maria' / 'my name is Maria' / a sign-off: a patient's own first name in their post."""
    prev = " ".join(t.low for t in toks[max(0, i - 3) : i])
    return prev.endswith(("i'm", "i am", "name is", "im", "it's", "this is")) or i == len(toks) - 1


def _lower(text: str, toks: list[_Tok], i: int) -> Iterator[Raw]:
    t = toks[i]
    cue = _cue_before(toks, i)
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    pair = nxt is not None and not nxt.cap and nxt.cls in "LU" and _joined(text, t, nxt)
    if t.cls == "F" and pair:
        assert nxt is not None
        yield (
            t.start,
            nxt.start + len(nxt.base),
            "name",
            "block",
            "A person's full name (lowercase).",
            "[name removed]",
        )
    elif t.cls in "FU" and cue or t.cls in "fL" and cue and toks[i - 1].low in _STRONG_LOWER_CUES:
        yield (
            t.start,
            t.start + len(t.base),
            "name",
            "block",
            "A person's name (lowercase).",
            "[name removed]",
        )
    elif t.cls == "F":
        yield (
            t.start,
            t.start + len(t.base),
            "name",
            "warn",
            "Looks like a first name (lowercase).",
            "[name removed]",
        )


_STRONG_LOWER_CUES = frozenset(
    {"little", "baby", "mr", "mrs", "ms", "miss", "patient", "sweet", "brave"}
)


def _handles(text: str, ctx: Context, nd: NameData, allowed: frozenset[str]) -> Iterator[Raw]:
    for m in HANDLE.finditer(text):
        handle = m.group(1).lower().replace("_", "").replace(".", "")
        if any(s in handle or handle in s for s in ctx.handle_slugs if len(handle) >= 3):
            continue
        yield (
            *m.span(),
            "name",
            "block",
            "A social media handle identifies a person.",
            "[handle removed]",
        )


def _hashtags(text: str, nd: NameData, allowed: frozenset[str]) -> Iterator[Raw]:
    for m in HASHTAG.finditer(text):
        tag = m.group(1)
        parts = [p.lower() for p in _CAMEL.findall(tag.replace("_", " "))]
        low = tag.lower()
        if len(parts) == 1:
            for pre in _HANDLE_PREFIXES:
                if low.startswith(pre) and len(low) > len(pre) + 2:
                    parts = [pre, low[len(pre) :]]
            for suf in _HANDLE_SUFFIXES:
                if low.endswith(suf) and len(low) > len(suf) + 2:
                    parts = [low[: -len(suf)], suf]
        if _hashtag_is_name(parts, nd, allowed):
            yield (*m.span(), "name", "block", "A hashtag naming a person.", "[hashtag removed]")


def _hashtag_is_name(parts: list[str], nd: NameData, allowed: frozenset[str]) -> bool:
    framed = len(parts) >= 2 and (parts[0] in _HANDLE_PREFIXES or parts[-1] in _HANDLE_SUFFIXES)
    for p in parts:
        c = token_class(p, nd, allowed)
        if c == "S" or p in _HANDLE_PREFIXES or p in _HANDLE_SUFFIXES:
            continue
        if c in "FL" or framed and c in "fUl":
            return True
    return False
