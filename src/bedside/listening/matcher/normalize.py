"""Text folding shared by phrases and posts.

Both sides go through the same fold, so matching is a plain byte search:

* letters are case- and accent-folded (NFKD, casefold, combining marks dropped):
  "Café Clínica" and "CAFE clinica" both fold to "cafe clinica";
* digits, letters (any script) and "_" are word characters;
* "." "," "!" "?" ";" ":" quotes, brackets, "#", "@", "$", "%", "&", "*" are
  dropped, so "Dr. Smith," folds like "Dr Smith" and "#FluShot" like "flushot";
* every other character (whitespace, "-", "/", apostrophes, emoji, symbols) is a
  word break, so "flu-shot" folds like "flu shot" and "Smith's" like "smith s";
* runs of breaks collapse into one space, and the folded text starts and ends with
  a space: " dr smith s office ".

A phrase is found where its folded form " dr smith " occurs in the folded text:
the surrounding spaces make it whole words, with no check afterwards.

Most posts are ASCII; they fold through one `bytes.translate` of a whole batch.
Others take a per-character path whose results are cached per run of non-ASCII
characters. `fold_with_offsets` is the slow, exact twin used only for posts that
hit, to map folded offsets back to the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SEP = b"\x00"  # between posts in a batch; never inside a folded phrase

# ASCII punctuation that vanishes (instead of breaking words): the marks that
# usually sit next to a space anyway, so they do not create double spaces.
_ASCII_DROP = frozenset('.,!?;:"()[]{}#@$%&*^`')
_APOSTROPHES = frozenset("'\u2018\u2019\u02bc\u2032\u0060")


def _ascii_rule(c: str) -> str:
    if c.isalnum() or c == "_":
        return c.lower()
    if c in _ASCII_DROP:
        return ""
    return " "


ASCII_FOLD: tuple[str, ...] = tuple(_ascii_rule(chr(i)) for i in range(128))


def _make_tables() -> tuple[bytes, bytes]:
    table = bytearray(range(256))
    drop = bytearray()
    for i in range(128):
        out = ASCII_FOLD[i]
        if out == "":
            drop.append(i)
        else:
            table[i] = ord(out)
    table[0] = 0  # the batch separator survives translation
    return bytes(table), bytes(drop)


TRANSLATE_TABLE, TRANSLATE_DROP = _make_tables()


@lru_cache(maxsize=65536)
def fold_char(c: str) -> str:
    """Fold one character: '' (dropped), ' ' (word break) or folded letters."""
    if c < "\x80":
        return ASCII_FOLD[ord(c)]
    if c in _APOSTROPHES:
        return " "
    expanded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", c).casefold())
    out = []
    for d in expanded:
        if d < "\x80":
            out.append(ASCII_FOLD[ord(d)])
            continue
        cat = unicodedata.category(d)
        if cat in ("Mn", "Cf", "Pi", "Pf") or d in "\u00bf\u00a1":
            continue  # accents, zero-width joiners, curly quotes, inverted marks
        if d.isalnum() or cat in ("Mc", "Me"):
            out.append(d)
        else:
            out.append(" ")
    return "".join(out)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _fold_run(m: re.Match[str]) -> str:
    return _fold_run_cached(m.group())


@lru_cache(maxsize=65536)
def _fold_run_cached(run: str) -> str:
    return "".join(fold_char(c) for c in run)


def prefold_non_ascii(text: str) -> str:
    """Fold the non-ASCII characters of `text`; ASCII is left for the table."""
    return _NON_ASCII_RUN.sub(_fold_run, text)


def collapse_spaces(data: bytes) -> bytes:
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data


def fold_batch(texts: list[str], *, collapse: bool = True) -> bytes:
    """Fold `texts` into one buffer: b" post0 \\x00 post1 \\x00 ... ".

    With `collapse`, segment i (between separators) is exactly `fold(texts[i])`.
    Without, runs of spaces are left in place (collapsing costs more than the
    automaton scan: the matcher finds the runs with the automaton instead).
    """
    if not texts:
        return b""
    joined = " \x00 ".join(texts)
    if not joined.isascii():
        joined = " \x00 ".join([t if t.isascii() else prefold_non_ascii(t) for t in texts])
    if joined.count("\x00") != len(texts) - 1:  # a post carries NUL bytes itself
        return fold_batch([t.replace("\x00", " ") for t in texts], collapse=collapse)
    data = (" " + joined + " ").encode("utf-8").translate(TRANSLATE_TABLE, TRANSLATE_DROP)
    return collapse_spaces(data) if collapse else data


def fold(text: str) -> str:
    """The folded form of one text (or phrase), with its leading and trailing space."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, the index in `text` it came from.

    The leading space maps to -1 and the trailing one to len(text).
    """
    out = [" "]
    origin = [-1]
    last_space = True
    for i, c in enumerate(text):
        piece = ASCII_FOLD[ord(c)] if c < "\x80" else fold_char(c)
        for d in piece:
            if d == " ":
                if last_space:
                    continue
                last_space = True
            else:
                last_space = False
            out.append(d)
            origin.append(i)
    if not last_space:
        out.append(" ")
        origin.append(len(text))
    return "".join(out), origin


def fold_phrase(phrase: str) -> bytes:
    """The byte pattern searched for `phrase`; b"" when nothing is left of it."""
    folded = fold(phrase.replace("\x00", " "))
    if folded.strip() == "":
        return b""
    return folded.encode("utf-8")
