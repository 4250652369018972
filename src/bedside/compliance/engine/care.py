"""Care terms found by a word lookup rather than a regex alternation, so the lists can
hold thousands of procedures, conditions and medicines at no cost per term:
data/care_terms.txt (hand-curated phrases and everyday words) and data/care_lexicon.txt.gz
(ICD-10-CM condition words and medicine names; bench/compliance/build_care_data.py).

Used where the sentence is already about one person: a named person's sentence, or a
public reply, whose author is the person.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterator

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’\-]*", re.IGNORECASE)
_Terms = dict[str, list[tuple[str, ...]]]
_terms: _Terms | None = None
_lexicon: frozenset[str] | None = None


def _load() -> _Terms:
    global _terms
    if _terms is None:
        by_first: _Terms = {}
        path = os.path.join(os.path.dirname(__file__), "data", "care_terms.txt")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                words = tuple(line.split())
                if words and not words[0].startswith("#"):
                    for key in _forms(words[0]):  # listed "exercises" also finds "exercise"
                        by_first.setdefault(key, []).append(words)
        for entries in by_first.values():
            entries.sort(key=len, reverse=True)  # the longest phrase wins
        _terms = by_first
    return _terms


def _medical() -> frozenset[str]:
    global _lexicon
    if _lexicon is None:
        path = os.path.join(os.path.dirname(__file__), "data", "care_lexicon.txt.gz")
        with open(path, "rb") as fh:
            _lexicon = frozenset(gzip.decompress(fh.read()).decode().split())
    return _lexicon


def _forms(word: str) -> tuple[str, ...]:
    """The word and its singular: 'shots' -> shot, 'x-rays' -> x-ray, "son's" -> son."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word, word[:-3] + "y"
    if word.endswith("es") and len(word) > 3:
        return word, word[:-1], word[:-2]
    if word.endswith("s") and len(word) > 2:
        return word, word[:-1]
    return (word,)


def _same(listed: str, word: str) -> bool:
    return not set(_forms(listed)).isdisjoint(_forms(word))


def tokens(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text, lo, hi)]


def care_terms(toks: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, int]]:
    """(token index, start, end) of each care term, longest match first, no overlaps."""
    by_first = _load()
    medical = _medical()
    i, n = 0, len(toks)
    while i < n:
        found = 0
        forms = _forms(toks[i][2])
        for form in forms:
            for words in by_first.get(form, ()):
                k = len(words)
                if k == 1 or (
                    i + k <= n and all(_same(words[j], toks[i + j][2]) for j in range(1, k))
                ):
                    found = k
                    break
            if found:
                break
        if not found and not medical.isdisjoint(forms):
            found = 1
        if not found and "-" in toks[i][2]:
            # "braces-free", "post-whitening", "day-3": a care word inside a compound
            found = int(
                any(
                    (part,) in by_first.get(part, ()) or part in medical
                    for part in toks[i][2].split("-")
                )
            )
        if found:
            yield i, toks[i][0], toks[i + found - 1][1]
            i += found
        else:
            i += 1
