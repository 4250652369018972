"""JSONL files and standard input: `{"id", "text", "author"?, "url"?, "created_at"?}` a line.

`id` is the item's identity: importing the same file twice stores nothing new.
The file is read in 4 MB chunks and each chunk decoded in one call
(`msgspec` `decode_lines`, about 1.1 µs a line; the line-by-line
`bedside.listening.jsonl.JsonlReader` takes about 1.6 µs, which matters at a
million items). A chunk that does not decode cleanly (a bad line, an integer or
empty id, a byte-order mark) goes through `JsonlReader`, which reports each bad
line by number without quoting it (it may hold PHI) and never stops the import.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from bedside.listening.ingest import MentionBuffer
from bedside.listening.jsonl import JsonlReader, LineError
from bedside.listening.runtime import ListeningRuntime
from bedside.listening.sources.base import FeedError

CHUNK_BYTES = 4 * 1024 * 1024
MAX_REPORTED = 5


class JsonlItem(msgspec.Struct):
    id: str | int
    text: str
    author: str | None = None
    url: str | None = None
    created_at: str | int | float | None = None


_decoder = msgspec.json.Decoder(JsonlItem)


@dataclass
class FileResult:
    items: int = 0
    invalid: int = 0
    errors: list[str] = field(default_factory=list)

    def note(self) -> str:
        if not self.invalid:
            return ""
        return (
            f"{self.invalid} invalid line(s) skipped; each line must be a JSON object with "
            f'"id" and "text". First: ' + "; ".join(self.errors)
        )


def _decode_chunk(buf: bytes, first_line: int, result: FileResult) -> list:
    try:
        items = _decoder.decode_lines(buf)
        if all(it.id != "" for it in items):
            return items
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass

    def on_error(error: LineError) -> None:
        result.invalid += 1
        if len(result.errors) < MAX_REPORTED:
            result.errors.append(f"line {first_line + error.line - 1}: {error.reason}")

    return list(JsonlReader(io.BytesIO(buf), on_error=on_error))


def _open(path: str):  # type: ignore[no-untyped-def]
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 (closed by the caller)
    except OSError as exc:
        raise FeedError(f"Cannot read {path}: {exc.strerror or exc}") from None


def ingest_file(
    *,
    path: str,
    buffer: MentionBuffer,
    rt: ListeningRuntime,
    chunk_bytes: int = CHUNK_BYTES,
    tick: Callable[[], None] | None = None,
) -> FileResult:
    """Read, match and buffer a whole file; the caller flushes `buffer` and records progress."""
    result = FileResult()
    stream = _open(path)
    line = 1
    rest = b""
    try:
        while True:
            data = stream.read(chunk_bytes)
            if not data:
                buf, rest = rest, b""
            else:
                cut = data.rfind(b"\n")
                if cut < 0:
                    rest += data
                    continue
                buf, rest = rest + data[: cut + 1], data[cut + 1 :]
            if buf:
                items = _decode_chunk(buf, line, result)
                line += buf.count(b"\n")
                result.items += len(items)
                if tick:
                    tick()
                hits = rt.holder.matcher.match_sparse([it.text for it in items])
                if hits:
                    buffer.add_hits(rt, hits, items.__getitem__)
            if not data:
                break
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return result
