"""Person names in every written form: titled, full, lone first names with a cue,
lowercase, @handles, #hashtags and initials. The practice's staff are allowed.

Only capitalised tokens and lowercase tokens that are not ordinary words get per-token
work; everything else is set arithmetic in C. Linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import compiled
from .context import Context
from .identifiers import Raw
from .lexicon import (
    CLINICIAN_TITLES,
    COURTESY_TITLES,
    FAMILY_NOUNS,
    HOLIDAYS,
    MONTH_NAMES,
    MONTHS,
    NAME_CUES,
    NOT_PERSON,
    ORG_SUFFIXES,
    PERSON_TITLES,
    PUBLIC_FIGURES,
    PUBLIC_TITLES,
    STATE_FIRST_NAMES,
    US_STATES,
    WEEKDAYS,
    NameData,
    _set,
    name_data,
)
from .phrases import CARE_EVENT

# The capital comes first so that re skips to candidates in C; the lookbehind after it
# checks the character before the capital.
CAP_TOKEN = re.compile(r"[A-Z](?<![A-Za-z0-9'’_][A-Z])[A-Za-z]*(?:['’\-][A-Za-z]+)*")
LOWER_TOKEN = re.compile(r"(?<![A-Za-z0-9'’_@#])[a-z]+(?:['’\-][a-z]+)*")
_PREV_WORDS = re.compile(r"[A-Za-z']+")
_NEXT = re.compile(r"['’]?s?\s([A-Za-z]+)")
HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?)")
HASHTAG = re.compile(r"(?<![\w#&])#([A-Za-z][A-Za-z0-9_]{1,40})")
# Starts with a character class (fast scan); the character before is checked in code.
INITIALS = re.compile(r"[A-Z]\.(?:\s?[A-Z]\.){1,2}(?!\w)|[A-Z]\.[A-Z](?![\w.])")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
NOT_INITIALS = _set(
    """US UK DC AM PM MD DDS DMD RN NP PA ER OR IV BC AD PS EU UN DO OT PT ICU NICU ENT
    LPN CPR AED ASAP TBA TBD PO DOB ID OK"""
)
_HANDLE_PREFIXES = ("team", "pray", "prayers", "praying", "love", "go", "stand", "justice")
_HANDLE_SUFFIXES = ("strong", "warrior", "army", "tough", "nation", "fighter", "forever")
SKIP = MONTHS | WEEKDAYS | HOLIDAYS | US_STATES | NOT_PERSON | PUBLIC_TITLES
_STRONG_LOWER_CUES = _set("little baby mr mrs ms miss patient sweet brave")
_LOWER_TITLES = _set("mr mrs ms mx")
_REPLY = _set("review_reply comment_reply message")
_SELF_INTRO = ("i'm", "i am", "name is", "im", "it's", "this is", "love,")


def token_class(low: str, nd: NameData, allowed: frozenset[str]) -> str:
    """S staff/practice, F first name, f first name that is a word, L surname, l surname that
    is a word, U unknown non-word, W ordinary word or known non-person."""
    if low in allowed:
        return "S"
    cls = _CLASSES.get(low)
    if cls is None:
        cls = _classify(low, nd)
        if len(_CLASSES) > 100_000:
            _CLASSES.clear()
        _CLASSES[low] = cls
    return cls


_CLASSES: dict[str, str] = {}  # the practice-independent part of token_class, memoised


_PUBLIC_CUE = re.compile(
    r"\b(?:legend|olympian|actor|actress|singer|rapper|author|novelist|comedian|astronaut|"
    r"quarterback|pitcher|senator|journalist|hall\s+of\s+famer|gold\s+medalist)\s+$",
    re.IGNORECASE,
)
_PLACE_LIST = re.compile(
    r"(?:,?\s+(?:and\s+|&\s+)?[A-Z][a-z]+){0,4}\s+(?:counties|county|parishes|parish|"
    r"neighbou?rhoods|suburbs|townships)\b"
)
_PLACE_PREFIXES = _set("san santa los las fort ft mount mt port saint st north south east west")
_POSSESSIVE_CARE = compiled.compile(rf"\s+(?:[\w\-]+\s+)?{CARE_EVENT}\b", re.IGNORECASE)
_DIRECTION_BEFORE = re.compile(r"(?:North|South|East|West|N\.|S\.|E\.|W\.)\s$")
_INTERJECTIONS = _set(
    "aw aww awww yay yayy woohoo woo wow whoa ooh oh ahh omg lol haha hooray yikes oops phew ugh hmm"
)
_CONTRACTIONS = (
    "'re", "'ve", "'ll", "'d", "'m", "n't", "'all", "’re", "’ve", "’ll", "’d", "’m", "n’t", "’all"
)  # fmt: skip


def _classify(low: str, nd: NameData) -> str:
    if low.endswith(_CONTRACTIONS):
        return "W"  # "you're", "we'll", "didn't"
    if low in MONTH_NAMES or low in STATE_FIRST_NAMES:
        return "f"
    if low in SKIP or low in PERSON_TITLES or low in CLINICIAN_TITLES:
        return "W"
    if low in nd.first:
        return "f" if low in nd.first_word else "F"
    if low in nd.last:
        return "l" if low in nd.words else "L"
    if low in nd.words or len(low) < 2:
        return "W"
    return "U"


class _Tok:
    __slots__ = ("start", "end", "base", "low", "poss", "cls")

    def __init__(
        self,
        text: str,
        start: int,
        word: str,
        nd: NameData,
        allowed: frozenset[str],
        places: frozenset[str],
    ) -> None:
        self.start = start
        self.end = start + len(word)
        if word.endswith(("'s", "’s")):
            word, self.poss = word[:-2], True
        elif word.endswith(("s'", "s’")):
            word, self.poss = word[:-1], True
        else:
            self.poss = False
        self.base = word
        self.low = low = word.lower()
        if (len(word) > 1 and word.isupper()) or low in places or low.startswith(("i'", "i’")):
            self.cls = "W"  # acronyms, the practice's own town and street, "I'm"
            return
        self.cls = token_class(low, nd, allowed)


def _prev_words(text: str, start: int) -> list[str]:
    """Up to three lowercase words just before `start` (across spaces and commas only)."""
    seg = text[max(0, start - 30) : start].rstrip(" ,\t")
    if not seg or not (seg[-1].isalpha() or seg[-1] in "'’"):
        return []
    return [w.lower() for w in _PREV_WORDS.findall(seg)][-3:]


def _cue_before(text: str, start: int) -> bool:
    words = _prev_words(text, start)
    if not words:
        return False
    if words[-1] == "you" and len(words) >= 2 and words[-2] in ("thank", "love", "miss"):
        return True
    gap = text[max(0, start - 3) : start]
    if any(c in gap for c in ".!?"):
        return False
    if words[-1] in ("to", "of", "back", "for") and len(words) >= 2:
        return words[-2] in _TWO_WORD_CUES
    return words[-1] in NAME_CUES


_TWO_WORD_CUES = frozenset(
    [
        "birthday",
        "bday",
        "congrats",
        "congratulations",
        "thanks",
        "shoutout",
        "shout-out",
        "props",
        "kudos",
        "cheers",
        "proud",
        "welcome",
        "prayers",
        "wishes",
        "love",
        "hugs",
        "goes",
        "go",
    ]
)


def _family_after(text: str, end: int) -> bool:
    """'the Kowalski twins', 'Brandy was diagnosed', 'Yusuf, who finished braces'."""
    m = _NEXT.match(text, end)
    if m is not None and m.group(1).lower() in FAMILY_NOUNS:
        return True
    return _CARE_AFTER.match(text, end) is not None


_CARE_AFTER = compiled.compile(
    r"(?:['’]s)?\s+(?:(?:was|is|has\s+been|had\s+been|got|just\s+got)\s+(?:diagnosed|admitted|discharged|treated|"
    r"hospitalized|recovering|released)|(?:came\s+in|had|got|lost|finished|completed|started|needs|needed|"
    r"underwent|is\s+getting|was\s+getting)\s+(?:her|his|their)\b|just\s+turned\s+\d)"
    r"|\s+(?:has|have)\s+had\s+(?:her|his|their)\b"
    r"|\s+(?:was|is)\s+(?:our|a)\s+(?:[\w\-]+\s+){0,2}patient\b"
    r"|,?\s+who\s+(?:finished|had|got|came|is|was|just|lost|completed|started)\b"
    r"|\s+from\s+[A-Z][a-z]{2,}",
    re.IGNORECASE,
)


def detect_names(text: str, ctx: Context, kind: str) -> Iterator[Raw]:
    nd = name_data()
    allowed = ctx.allowed_name_tokens
    places = ctx.place_tokens
    caps = [_Tok(text, m.start(), m.group(), nd, allowed, places) for m in CAP_TOKEN.finditer(text)]
    if caps:
        yield from _capital_runs(text, caps, kind)
    lowers = set(LOWER_TOKEN.findall(text))
    if not _STRONG_LOWER_CUES.isdisjoint(lowers):
        yield from _cued_lowercase(text, nd, allowed)
    candidates = lowers - nd.plain_words
    if candidates:
        yield from _lowercase(text, candidates | (lowers & NAME_CUES), nd, allowed)
    if "@" in text:
        yield from _handles(text, ctx)
    if "#" in text:
        yield from _hashtags(text, nd, allowed)
    if "." in text:
        for m in INITIALS.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before.isalnum() or before in "._":
                continue
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


def _capital_runs(text: str, toks: list[_Tok], kind: str) -> Iterator[Raw]:
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
        if t.low in PUBLIC_TITLES:
            i += 1
            while i < n and _joined(text, toks[i - 1], toks[i]):
                i += 1
            continue
        if t.cls == "W":
            if len(t.base) == 1 and i + 1 < n and _initial_surname(text, t, toks[i + 1]):
                nxt = toks[i + 1]
                end = nxt.start + len(nxt.base)
                yield (
                    t.start,
                    end,
                    "name",
                    "block",
                    "A person's name (initial and surname).",
                    "[name removed]",
                )
                i += 2
                continue
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 4 and toks[j].cls != "W" and _joined(text, toks[j - 1], toks[j]):
            j += 1
        found, i = _run(text, toks, i, j, kind)
        yield from found


def _titled(text: str, toks: list[_Tok], i: int) -> int:
    """Index after the capitalised name tokens that follow a title ("Mrs. Okafor")."""
    j = i + 1
    while j < len(toks) and j - i <= 3:
        gap = text[toks[j - 1].end : toks[j].start]
        if j == i + 1:
            if gap not in (" ", ". ", ".") or toks[i].poss:
                break
        elif not _joined(text, toks[j - 1], toks[j]):
            break
        if toks[j].cls == "W" and len(toks[j].base) > 1 and not _surname_after_title(toks[j]):
            break
        j += 1
        if toks[j - 1].poss:
            break
    return j


def _surname_after_title(t: _Tok) -> bool:
    """'Mrs. King', 'Mr. Young': after a title an ordinary word that is a surname is one."""
    return t.low in name_data().last and t.low not in _NOT_AFTER_TITLE


_NOT_AFTER_TITLE = MONTHS | WEEKDAYS | HOLIDAYS


def _titled_finding(toks: list[_Tok], i: int, j: int) -> Iterator[Raw]:
    names = toks[i + 1 : j]
    # "Ms. Diaz" may be the office manager Hope Diaz; "Officer Diaz" is not, unless the
    # roster itself gives her that title.
    title = toks[i]
    staff_title = title.low in COURTESY_TITLES or title.low in CLINICIAN_TITLES or title.cls == "S"
    if staff_title and all(t.cls == "S" for t in names if len(t.base) > 1):
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


def _run(text: str, toks: list[_Tok], i: int, j: int, kind: str) -> tuple[list[Raw], int]:
    """A run of capitalised tokens i..j-1: a full name, or a lone name with a cue."""
    run = toks[i:j]
    classes = "".join(t.cls for t in run)
    nxt = _NEXT.match(text, run[-1].end)
    if nxt is not None and nxt.group(1).lower() in ORG_SUFFIXES and nxt.group(1)[0].isupper():
        return [], j  # "Grace Church", "Mercy Hospital"
    if _PUBLIC_CUE.search(text, max(0, run[0].start - 24), run[0].start):
        return [], j  # "Running legend Bill Rodgers", "Olympian Allyson Felix"
    if _PLACE_LIST.match(text, run[-1].end):
        return [], j  # "Franklin, Delaware and Licking counties"
    if _DIRECTION_BEFORE.search(text, max(0, run[0].start - 6), run[0].start):
        return [], j  # "on South Lamar", "East Broad"
    if len(run) >= 2 and run[0].low in _PLACE_PREFIXES:
        return [], j  # "San Marcos", "Fort Worth", "Mount Vernon"
    if len(run) >= 2 and run[0].cls in "fW" and run[-1].low in ORG_SUFFIXES:
        return [], j  # "Cedar Park", "Hope Street": a word-name then a place word
    if run[0].low in _FIGURES_BY_FIRST and _public_figure(text, run[0].start):
        return [], j
    after_the = text[max(0, run[0].start - 4) : run[0].start].lower() == "the "
    if after_the and not _family_after(text, run[-1].end) and not _plural_family(run[-1]):
        return [], j  # "the Seattle Storm", "the Grace Hopper Center"
    if classes.count("S") == len(classes):
        return [], j
    if len(run) >= 2:
        first, rest = classes[0], classes[1:]
        strong = (
            first == "F"
            or (first in "fS" and any(c in "LUFl" for c in rest))
            or (first == "U" and rest[:1] in ("L", "l"))
            or (first == "U" and rest[:1] == "U" and not _starts_sentence(text, run[0].start))
        )
        if strong or _cue_before(text, run[0].start) or _family_after(text, run[-1].end):
            end = run[-1].start + len(run[-1].base)
            return [
                (run[0].start, end, "name", "block", "A person's full name.", "[name removed]")
            ], j
    t = run[0]
    end = t.start + len(t.base)
    if after_the and _plural_family(t):
        return [(t.start, end, "name", "block", "A family's name.", "[name removed]")], i + 1
    if kind in _REPLY and t.cls != "W" and _vocative(text, t):
        return [
            (t.start, end, "name", "block", "The person this reply addresses.", "[name removed]")
        ], i + 1
    if t.cls == "F":
        if kind == "community_post" and _self_intro(text, t):
            return [], i + 1
        return [(t.start, end, "name", "block", "A person's first name.", "[name removed]")], i + 1
    if t.cls != "W" and _thanked_at_end(text, t):
        # "Thanks for letting us film, Kat!": the person thanked, in any kind of text
        return [(t.start, end, "name", "block", "A person's name.", "[name removed]")], i + 1
    if t.cls in "fl" and t.poss and _POSSESSIVE_CARE.match(text, t.end):
        # "about Lily's strep culture": a word-name owning care is a person
        return [(t.start, end, "name", "block", "A person's name.", "[name removed]")], i + 1
    if t.cls in "fLlU" and (
        _cue_before(text, t.start)
        or (
            _family_after(text, t.end)
            if t.cls in "LU" or after_the
            else _CARE_AFTER.match(text, t.end) is not None
        )
    ):  # "Teach kids", "My kids": an ordinary word before "kids" is no family
        return [(t.start, end, "name", "block", "A person's name.", "[name removed]")], i + 1
    return [], i + 1


_FIGURES_BY_FIRST: dict[str, list[str]] = {}
for _name in PUBLIC_FIGURES:
    _FIGURES_BY_FIRST.setdefault(_name.split()[0], []).append(_name)


def _public_figure(text: str, start: int) -> bool:
    head = text[start : start + 40].lower().replace(".", "")
    first = head.split(" ", 1)[0]
    return any(head.startswith(name) for name in _FIGURES_BY_FIRST.get(first, ()))


def _plural_family(t: _Tok) -> bool:
    """'the Hendersons', 'the Abernathys': a surname in the plural."""
    low = t.low
    if not low.endswith("s") or len(low) < 4:
        return False
    nd = name_data()
    stem = low[:-3] + "y" if low.endswith("ys") and low[:-1] not in nd.last else low[:-1]
    return stem in nd.last or low[:-1] in nd.last or low[:-2] in nd.last


def _initial_surname(text: str, t: _Tok, nxt: _Tok) -> bool:
    """'J. Ramirez': one capital, a full stop, a surname."""
    return (
        text[t.end : t.end + 2] == ". "
        and nxt.start == t.end + 2
        and nxt.cls in "LlU"
        and t.base != "I"
    )


def _starts_sentence(text: str, start: int) -> bool:
    head = text[max(0, start - 3) : start].rstrip(" \"'“‘(")
    return not head or head[-1] in ".!?:\n"


def _vocative(text: str, t: _Tok) -> bool:
    """'Becca, ...' opening a reply, or '..., Priyanka!' closing a sentence of it."""
    after = text[t.end : t.end + 1]
    if t.start == 0:
        if t.low in _INTERJECTIONS:
            return False
        # "Joy, thank you ...", "Sage, the link changed": a word-name opening a reply
        return (after in (",", "!") and t.cls in "FLUS") or (after == "," and t.cls == "f")
    return text[max(0, t.start - 2) : t.start] == ", " and (
        after in ("!", ".", "?", "") or t.end == len(text)
    )


_THANKS = re.compile(
    r"\b(?:thanks|thank\s+you|congrats|congratulations|welcome|happy|good\s+luck)\b", re.I
)


def _thanked_at_end(text: str, t: _Tok) -> bool:
    if text[max(0, t.start - 2) : t.start] != ", " or text[t.end : t.end + 1] not in ("!", "."):
        return False
    head = text[max(0, t.start - 80) : t.start]
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    return _THANKS.search(head, cut + 1) is not None


def _self_intro(text: str, t: _Tok) -> bool:
    """'I'm Maria' / 'my name is Maria' / a sign-off: a patient's own first name in their post."""
    prev = " ".join(_prev_words(text, t.start))
    if prev.endswith(_SELF_INTRO):
        return True
    if text[t.end : t.end + 5].lower() == " here":
        return True  # "Tom here.", "Carmen here, six months sober"
    return not any(c.isalnum() for c in text[t.end :])


def _lowercase(text: str, lowers: set[str], nd: NameData, allowed: frozenset[str]) -> Iterator[Raw]:
    """Lowercase names: "little bea", "mrs okafor", "maria lopez"; lone first names warn."""
    cued = not NAME_CUES.isdisjoint(lowers) or "thank" in text.lower()
    wanted = {}
    for word in lowers:
        cls = token_class(word, nd, allowed)
        if cls in "FL" or word in _LOWER_TITLES or cls == "U" and cued:
            wanted[word] = cls
    if not wanted:
        return
    for m in LOWER_TOKEN.finditer(text):
        found = wanted.get(m.group())
        if found is not None:
            yield from _lower_one(text, m.start(), m.group(), found, nd, allowed)


_CUED_LOWER = re.compile(r"\b(?:little|baby|sweet|brave|patient)\s+([a-z]+)\b")


def _cued_lowercase(text: str, nd: NameData, allowed: frozenset[str]) -> Iterator[Raw]:
    """'little amber', 'baby grace': an ordinary-word first name after a strong cue."""
    for m in _CUED_LOWER.finditer(text):
        word = m.group(1)
        if (
            word in nd.first_word
            and word not in allowed
            and word not in nd.very_common
            and word not in NOT_PERSON
        ):
            yield (*m.span(1), "name", "block", "A person's name (lowercase).", "[name removed]")


def _lower_one(
    text: str, start: int, word: str, cls: str, nd: NameData, allowed: frozenset[str]
) -> Iterator[Raw]:
    end = start + len(word)
    nxt = _NEXT.match(text, end)
    nxt_cls = token_class(nxt.group(1).lower(), nd, allowed) if nxt else "W"
    nxt_end = nxt.end() if nxt else end
    if word in _LOWER_TITLES:
        if nxt is not None and nxt_cls in "FfLlU":
            yield (
                start,
                nxt_end,
                "name",
                "block",
                "A person's name (with a title).",
                "[name removed]",
            )
        return
    prev = _prev_words(text, start)
    cue = bool(prev) and prev[-1] in NAME_CUES
    if cls == "F" and nxt is not None and nxt.group(1).islower() and nxt_cls in "LU":
        yield (
            start,
            nxt_end,
            "name",
            "block",
            "A person's full name (lowercase).",
            "[name removed]",
        )
    elif cue and (cls in "FU" or prev[-1] in _STRONG_LOWER_CUES):
        yield (start, end, "name", "block", "A person's name (lowercase).", "[name removed]")
    elif cls == "F":
        yield (start, end, "name", "warn", "Looks like a first name (lowercase).", "[name removed]")


def _handles(text: str, ctx: Context) -> Iterator[Raw]:
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
        if p.endswith("s") and token_class(p[:-1], nd, allowed) == "F":
            return True  # "#MaddiesMetalMouth"
    return False
