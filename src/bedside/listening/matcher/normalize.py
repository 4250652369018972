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
Others are ASCII-encoded with a codec error handler that folds each run of
non-ASCII characters (cached per run) before the same translate. `fold_with_offsets` is the slow, exact twin used only for posts that
hit, to map folded offsets back to the original text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache
from itertools import islice

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


@lru_cache(maxsize=65536)
def _fold_run(run: str) -> bytes:
    return "".join(fold_char(c) for c in run).encode("utf-8")


def _is_break(c: str) -> bool:
    return c < "\x80" and ASCII_FOLD[ord(c)] == " "


def _encode_error(exc: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler: ASCII-encode a text, folding each non-ASCII run on the way.

    A run with no letters (an emoji, a dash) between two breaks is dropped with
    the break after it, so " 😷 " leaves one space, not a run of three: runs of
    spaces send a post to a second scan (see Matcher._resolve).
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text, start, end = exc.object, exc.start, exc.end
    folded = _fold_run(text[start:end])
    if folded.strip(b" ") or (start and not _is_break(text[start - 1])):
        return folded, end
    if end < len(text) and _is_break(text[end]):
        return b"", end + 1
    return b"", end


# str.encode("ascii", FOLD_ERRORS) runs in C and calls back only once per run of
# non-ASCII characters: about twice as fast as re.sub with a callback.
FOLD_ERRORS = "bedside-fold"
codecs.register_error(FOLD_ERRORS, _encode_error)


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
    if joined.isascii():
        data = joined.encode("ascii")
    else:
        # fold the non-ASCII posts only; their folded text may keep non-ASCII letters
        joined = " \x00 ".join(
            [t if t.isascii() else t.encode("ascii", FOLD_ERRORS).decode("utf-8") for t in texts]
        )
        data = joined.encode("utf-8")
    if data.count(SEP) != len(texts) - 1:  # a post carries NUL characters itself
        return fold_batch([t.replace("\x00", " ") for t in texts], collapse=collapse)
    data = (b" " + data + b" ").translate(TRANSLATE_TABLE, TRANSLATE_DROP)
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


# Token spans: the folded text is its tokens joined by single spaces, so a hit,
# which always covers whole tokens, is mapped back through token numbers. Each
# character is classed word (b"a"), dropped (b"\x01") or break (b" ") by one
# C-level encode + translate; a character folding to both (e.g. "½" -> "1 2")
# sends the text to the exact per-character walk.
_WORD, _DROPPED, _BREAK, _MIXED = b"a", b"\x01", b" ", b"\x02"
# the error handler writes a non-ASCII character's class as one high byte, so
# that the table (which classes ASCII) can tell it from text
_HIGH = {_WORD: b"\x81", _DROPPED: b"\x82", _BREAK: b"\x83", _MIXED: b"\x84"}


def _class_of(c: str) -> bytes:
    piece = fold_char(c)
    if piece == "":
        return _DROPPED
    if piece.strip() == "":
        return _BREAK
    return _MIXED if " " in piece else _WORD


def _class_table() -> bytes:
    table = bytearray(_class_of(chr(i))[0] for i in range(128)) + bytearray(128)
    for cls, high in _HIGH.items():
        table[high[0]] = cls[0]
    return bytes(table)


CLASS_TABLE = _class_table()


@lru_cache(maxsize=65536)
def _class_run(run: str) -> bytes:
    return b"".join(_HIGH[_class_of(c)] for c in run)


def _class_error(exc: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return _class_run(exc.object[exc.start : exc.end]), exc.end


CLASS_ERRORS = "bedside-class"
codecs.register_error(CLASS_ERRORS, _class_error)


_TOKEN_CORE = re.compile(rb"[^ \x01](?:[^ ]*[^ \x01])?")


def token_spans(text: str, upto: int | None = None) -> list[tuple[int, int]]:
    """(start, end) in `text` of each token of `fold(text)`, in order.

    A token's span runs from its first to its last kept character (dropped
    marks at its edges, like the "(" of "(Dr", are left out). With `upto`, only
    tokens 0..upto are needed (and possibly more are returned).
    """
    classes = text.encode("ascii", CLASS_ERRORS).translate(CLASS_TABLE)
    if _MIXED in classes:
        return _token_spans_slow(text)
    found = _TOKEN_CORE.finditer(classes)
    if upto is not None:
        found = islice(found, upto + 1)
    return [m.span() for m in found]


def _token_spans_slow(text: str) -> list[tuple[int, int]]:
    folded, origin = fold_with_offsets(text)
    spans = []
    start = -1
    for i, ch in enumerate(folded):
        if ch != " " and start < 0:
            start = i
        elif ch == " " and start >= 0:
            spans.append((origin[start], origin[i - 1] + 1))
            start = -1
    return spans


def fold_phrase(phrase: str) -> bytes:
    """The byte pattern searched for `phrase`; b"" when nothing is left of it."""
    return fold_phrases([phrase])[0]


def fold_phrases(phrases: list[str], chunk: int = 8192) -> list[bytes]:
    """`fold_phrase` of each phrase, through the batch fold (C speed)."""
    out: list[bytes] = []
    for i in range(0, len(phrases), chunk):
        segments = fold_batch(phrases[i : i + chunk]).split(SEP)
        out.extend(seg if seg.strip(b" ") else b"" for seg in segments)
    return out
