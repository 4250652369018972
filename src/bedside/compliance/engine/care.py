"""Care terms found by a word lookup rather than a regex alternation, so the lists can
hold thousands of procedures, conditions and medicines at no cost per term:
data/care_terms.txt (hand-curated phrases and everyday words) and data/care_lexicon.txt.gz
(ICD-10-CM condition words and medicine names; bench/compliance/build_care_data.py).

Used where the sentence is already about one person: a named person's sentence, or a
public reply, whose author is the person. Every singular and plural form is a key, so a
text's words are looked up as they are, and a text sharing no word with the lists (most
texts) costs one set comparison.
"""

from __future__ import annotations

import os
import re
import zlib
from bisect import bisect_left
from collections.abc import Iterator

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’\-]*", re.IGNORECASE)
_LOW_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’\-]*")
_Terms = dict[str, list[tuple[str, ...]]]
_terms: _Terms | None = None
_keys: frozenset[str] | None = None
_medical: frozenset[str] = frozenset()


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


def _inflections(word: str) -> set[str]:
    """Every form a text may use of a listed word: its singulars and its plurals."""
    out = set(_forms(word))
    for w in tuple(out):
        out.update((w + "s", w + "es", w + "'s", w + "’s"))
        if w.endswith("y"):
            out.add(w[:-1] + "ies")
    return out


def _load() -> _Terms:
    """First word (in every form) -> the phrases it starts, longest first; single medical
    words are one-word phrases."""
    global _terms, _keys, _medical
    if _terms is None:
        by_first: _Terms = {}
        here = os.path.join(os.path.dirname(__file__), "data")
        with open(os.path.join(here, "care_terms.txt"), encoding="utf-8") as fh:
            listed = [tuple(line.split()) for line in fh if line.strip()]
        with open(os.path.join(here, "care_lexicon.txt.gz"), "rb") as fh:
            # gzip member: zlib reads it without importing gzip
            _medical = frozenset(zlib.decompress(fh.read(), 47).decode().split())
        for words in listed:
            if not words[0].startswith("#"):
                for key in _inflections(words[0]):
                    entries = by_first.setdefault(key, [])
                    if words not in entries:
                        entries.append(words)
        for entries in by_first.values():
            entries.sort(key=len, reverse=True)  # the longest phrase wins
        _terms, _keys = by_first, frozenset(by_first)
    return _terms


def _same(listed: str, word: str) -> bool:
    return not set(_forms(listed)).isdisjoint(_forms(word))


def tokens(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text, lo, hi)]


def care_terms(
    toks: list[tuple[int, int, str]], candidates: list[int] | None = None
) -> Iterator[tuple[int, int, int]]:
    """(token index, start, end) of each care term, longest match first, no overlaps.
    `candidates`: the only token indices that can start a term (the rest are skipped)."""
    by_first = _load()
    n = len(toks)
    todo = range(n) if candidates is None else candidates
    after = 0  # tokens before this index belong to a term already found
    for i in todo:
        if i < after:
            continue
        word = toks[i][2]
        found = int(word in _medical or (word[-1] == "s" and word[:-1] in _medical))
        for words in () if found else by_first.get(word, ()):
            k = len(words)
            if k == 1 or (i + k <= n and all(_same(words[j], toks[i + j][2]) for j in range(1, k))):
                found = k
                break
        if not found and "-" in word:
            # "braces-free", "post-whitening": a care word inside a compound
            found = int(
                any(
                    part in _medical or (part,) in by_first.get(part, ())
                    for part in word.split("-")
                )
            )
        if found:
            yield i, toks[i][0], toks[i + found - 1][1]
            after = i + found


class CareIndex:
    """The tokens and care terms of one text, found once and asked by range."""

    __slots__ = ("text", "toks", "tok_starts", "terms", "term_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        _load()
        low = text.lower()
        if len(low) != len(text):  # lowercasing moved offsets (rare): the slow way
            self.toks = tokens(text, 0, len(text))
        else:
            words = _LOW_TOKEN.findall(low)
            keys, medical = _keys, _medical
            candidates = [
                i
                for i, w in enumerate(words)
                if w in keys or w in medical or "-" in w or (w[-1] == "s" and w[:-1] in medical)  # type: ignore[operator]
            ]
            if not candidates:
                self.toks, self.tok_starts, self.terms, self.term_starts = [], [], [], []
                return
            self.toks = [(m.start(), m.end(), m.group()) for m in _LOW_TOKEN.finditer(low)]
            self.tok_starts = [t[0] for t in self.toks]
            self.terms = list(care_terms(self.toks, candidates))
            self.term_starts = [t[1] for t in self.terms]
            return
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
