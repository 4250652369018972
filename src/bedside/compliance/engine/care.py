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
from bisect import bisect_left
from collections.abc import Iterator

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’\-]*", re.IGNORECASE)
_LOW_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’\-]*")
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
        word = toks[i][2]
        forms = _forms(word) if word[-1] == "s" else (word,)
        found = 0
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
        if not found and "-" in word:
            # "braces-free", "post-whitening": a care word inside a compound
            found = int(
                any(
                    (part,) in by_first.get(part, ()) or part in medical for part in word.split("-")
                )
            )
        if found:
            yield i, toks[i][0], toks[i + found - 1][1]
            i += found
        else:
            i += 1


class CareIndex:
    """The tokens and care terms of one text, found once and asked by range."""

    __slots__ = ("text", "toks", "tok_starts", "terms", "term_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        if len(low) == len(text):  # lowercasing kept every offset (almost always)
            self.toks = [(m.start(), m.end(), m.group()) for m in _LOW_TOKEN.finditer(low)]
        else:
            self.toks = tokens(text, 0, len(text))
        self.tok_starts = [t[0] for t in self.toks]
        self.terms = list(care_terms(self.toks))
        self.term_starts = [t[1] for t in self.terms]

    def within(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """Care terms (token index, start, end) that lie inside lo..hi."""
        out = []
        for term in self.terms[bisect_left(self.term_starts, lo) :]:
            if term[1] >= hi:
                break
            if term[2] <= hi:
                out.append(term)
        return out

    def first_token(self, lo: int) -> int:
        return bisect_left(self.tok_starts, lo)


_last: CareIndex | None = None


def care_index(text: str) -> CareIndex:
    """The index of `text`, reused while one scan asks for it several times."""
    global _last
    last = _last
    if last is not None and last.text is text:
        return last
    _last = last = CareIndex(text)
    return last
