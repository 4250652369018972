"""Sentiment and Bedside's health-myth list, for matched items only.

The one seam between the ingestor and the text analysers: `sentiment(text)`
and `is_bedside_myth(text)`. The pure helpers `listening/sentiment.py` and
`listening/myths.py` (matcher branch) plug in here when they exist; until then a
small lexicon stands in. Both run only for the ~1% of items that matched a
monitor, so they need not be fast.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bedside.listening.matcher import MonitorSpec, build_matcher

NEGATIVE_WORDS = frozenset(
    "rude worst terrible awful horrible bad never avoid disappointed disappointing "
    "unprofessional dirty scam misdiagnosed ignored waited waiting incompetent angry "
    "upset hate hated refund complaint lawsuit painful careless dismissive overcharged "
    "unacceptable nightmare useless".split()
)
POSITIVE_WORDS = frozenset(
    "great love loved amazing thank thanks thankful best kind excellent friendly helpful "
    "recommend recommended wonderful caring fantastic grateful professional awesome "
    "good gentle quick clean happy".split()
)
NEGATORS = frozenset("not no never isn t wasn don didn isn't wasn't don't didn't".split())

FALLBACK_MYTHS = (
    "vaccines cause autism",
    "flu shot gives you the flu",
    "the flu shot gives you flu",
    "5g causes covid",
    "ivermectin cures covid",
    "drinking bleach",
    "vaccines contain microchips",
    "antibiotics cure the flu",
    "antibiotics treat viruses",
    "fluoride is poison",
    "cracking knuckles causes arthritis",
)

_WORD = re.compile(r"\w+(?:'t)?")


@lru_cache(maxsize=1)
def _external_sentiment():  # type: ignore[no-untyped-def]
    try:  # the matcher branch's analyser, when merged
        from bedside.listening import sentiment as external  # type: ignore[attr-defined]

        return external.classify  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None


def sentiment(text: str) -> str:
    """'negative', 'neutral' or 'positive'."""
    external = _external_sentiment()
    if external is not None:
        return str(external(text))
    words = _WORD.findall(text.lower())
    score = 0
    for i, w in enumerate(words):
        sign = 1 if w in POSITIVE_WORDS else -1 if w in NEGATIVE_WORDS else 0
        if sign and i and words[i - 1] in NEGATORS:
            sign = -sign
        score += sign
    return "negative" if score < 0 else "positive" if score > 0 else "neutral"


@lru_cache(maxsize=1)
def _myth_matcher():  # type: ignore[no-untyped-def]
    phrases: list[str] = list(FALLBACK_MYTHS)
    try:
        from bedside.listening import myths  # type: ignore[attr-defined]

        phrases = list(myths.PHRASES)  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        pass
    return build_matcher([MonitorSpec(practice_id=0, monitor_id=0, phrases=phrases)])


def is_bedside_myth(text: str) -> bool:
    """True when `text` repeats one of Bedside's list of health myths."""
    return bool(_myth_matcher().match(text))
