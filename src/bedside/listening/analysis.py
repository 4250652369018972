"""Sentiment and Bedside's health-myth list, for matched items only.

The one seam between the ingestor and the pure analysers of `sentiment.py`
(lexicon scorer) and `myths.py` (Bedside's myth list). In the ingest path the
myth phrases are compiled into the same matcher as every practice's monitors
(`runtime.ListeningRuntime` adds `myth_specs()`), so a myth costs no extra pass;
`is_bedside_myth` is for single texts (demo data, tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bedside.listening.matcher import Match, Matcher, build_matcher
from bedside.listening.myths import MYTHS, MYTHS_PRACTICE_ID, myth_specs
from bedside.listening.sentiment import label


def sentiment(text: str) -> str:
    """'negative', 'neutral' or 'positive' (about 30 µs: run it on matches only)."""
    return label(text)


def myth_phrases() -> list[str]:
    """Every phrase of Bedside's myth list: the default "Health myths" monitor."""
    return [p for myth in MYTHS for p in myth.phrases]


def has_myth(matches: Iterable[Match]) -> bool:
    """True when a matcher built with `myth_specs()` found one of Bedside's myths."""
    return any(m.practice_id == MYTHS_PRACTICE_ID for m in matches)


@lru_cache(maxsize=1)
def _myth_matcher() -> Matcher:
    return build_matcher(myth_specs())


def is_bedside_myth(text: str) -> bool:
    """True when `text` repeats one of Bedside's list of health myths."""
    return bool(_myth_matcher().match(text))
