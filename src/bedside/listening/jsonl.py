"""Fast JSONL item reader for the `jsonl:` listening source (imports, stdin, tests).

One JSON object a line: {"id", "text", "author"?, "url"?, "created_at"?}.

    reader = JsonlReader(open(path, "rb"))
    for item in reader:            # JsonlItem, in file order
        ...
    reader.stats                   # lines, items, blank, invalid
    reader.errors                  # [LineError(line=7, reason="missing id"), ...]

Every line is either an item, blank, or an error with its line number and a
reason; nothing is dropped silently and nothing raises on bad input (I/O errors
of the stream itself do raise). Reasons never quote the line: it may hold PHI.

Pure Python plus msgspec (typed decoding in C: about twice orjson's rate
here, see bench/listening/run.py); no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, NamedTuple

import msgspec

CHUNK = 1 << 20
MAX_LINE = 1 << 20  # bytes; longer lines are errors (and are not buffered whole)
MAX_KEPT_ERRORS = 1000


class JsonlItem(msgspec.Struct):
    """One valid line. `id` is always a string; `created_at` is aware UTC or None."""

    id: str
    text: str
    author: str | None = None
    url: str | None = None
    created_at: datetime | None = None
    line: int = 0  # 1-based line number in the stream


class LineError(NamedTuple):
    line: int
    reason: str


@dataclass
class JsonlStats:
    lines: int = 0
    items: int = 0
    blank: int = 0
    invalid: int = 0


class _Invalid(Exception):
    pass


class _WireItem(JsonlItem):
    """What the fast path decodes: a JsonlItem whose id may still be an integer."""

    id: str | int  # type: ignore[assignment]


# the fast path: msgspec decodes, validates and parses created_at in C
_decode_item = msgspec.json.Decoder(_WireItem).decode
_decode_any = msgspec.json.Decoder().decode


def parse_created_at(value: object) -> datetime | None:
    """ISO 8601 string -> aware UTC datetime (naive means UTC); None stays None."""
    if value is None:
        return None
    if type(value) is not str:
        raise _Invalid("created_at must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid("created_at is not ISO 8601") from None
    return _utc(parsed)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _optional_str(obj: dict, key: str) -> str | None:
    value = obj.get(key)
    if value is None or type(value) is str:
        return value
    raise _Invalid(f"{key} must be a string")


def item_from_line(raw: bytes, line: int) -> JsonlItem:
    """Parse one line the careful way (integer ids, exact reasons); raises _Invalid."""
    try:
        obj = _decode_any(raw)
    except msgspec.DecodeError as exc:
        raise _Invalid(f"invalid JSON: {exc}") from None
    except UnicodeDecodeError:
        raise _Invalid("invalid JSON: not UTF-8") from None
    if type(obj) is not dict:
        raise _Invalid("not a JSON object")
    id_ = obj.get("id")
    kind = type(id_)
    if kind is int:
        id_ = str(id_)
    elif kind is not str:
        raise _Invalid("missing id" if id_ is None else "id must be a string or an integer")
    if not id_:
        raise _Invalid("id is empty")
    text = obj.get("text")
    if type(text) is not str:
        raise _Invalid("missing text" if text is None else "text must be a string")
    return JsonlItem(
        id=id_,
        text=text,
        author=_optional_str(obj, "author"),
        url=_optional_str(obj, "url"),
        created_at=parse_created_at(obj.get("created_at")),
        line=line,
    )


@dataclass
class JsonlReader:
    """Iterate the items of a binary stream; see the module docstring."""

    stream: IO[bytes]
    chunk_size: int = CHUNK
    max_line: int = MAX_LINE
    max_kept_errors: int = MAX_KEPT_ERRORS
    on_error: Callable[[LineError], None] | None = None
    stats: JsonlStats = field(default_factory=JsonlStats)
    errors: list[LineError] = field(default_factory=list)

    def __iter__(self) -> Iterator[JsonlItem]:
        stats = self.stats
        for number, raw in self._lines():
            try:
                item = _decode_item(raw)
            except (msgspec.DecodeError, UnicodeDecodeError):
                item = None  # blank, invalid, or valid with an integer id: look closer
            else:
                if type(item.id) is int:
                    item.id = str(item.id)
                created = item.created_at
                if created is not None and created.tzinfo is not UTC:
                    item.created_at = _utc(created)
                if not item.id:
                    item = None
            if item is None:
                if not raw.strip():
                    stats.blank += 1
                    continue
                try:
                    item = item_from_line(raw, number)
                except _Invalid as exc:
                    self._error(number, str(exc))
                    continue
            item.line = number
            stats.items += 1
            yield item

    def _error(self, line: int, reason: str) -> None:
        self.stats.invalid += 1
        error = LineError(line, reason)
        if len(self.errors) < self.max_kept_errors:
            self.errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        """(line number, bytes) for each line; over-long lines are reported here."""
        carry = b""
        skipping = False  # inside an over-long line: drop bytes up to its newline
        number = 0
        first = True
        while chunk := self.stream.read(self.chunk_size):
            if first:
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")  # UTF-8 byte order mark
                first = False
            parts = chunk.split(b"\n")
            parts[0] = carry + parts[0]
            carry = parts.pop()
            for raw in parts:
                number += 1
                self.stats.lines += 1
                if skipping:
                    skipping = False
                    self._error(number, f"line longer than {self.max_line} bytes")
                elif len(raw) > self.max_line:
                    self._error(number, f"line longer than {self.max_line} bytes")
                else:
                    yield number, raw
            if len(carry) > self.max_line:
                carry = b""
                skipping = True
        if carry or skipping:
            number += 1
            self.stats.lines += 1
            if skipping or len(carry) > self.max_line:
                self._error(number, f"line longer than {self.max_line} bytes")
            else:
                yield number, carry


def read_items(
    stream: IO[bytes], *, on_error: Callable[[LineError], None] | None = None
) -> Iterator[JsonlItem]:
    """Shortcut for `iter(JsonlReader(stream, on_error=on_error))`."""
    return iter(JsonlReader(stream, on_error=on_error))
