"""`bedside scan [FILE] [--context CONTEXT.json] [--format jsonl|table]`.

Reads JSON lines {"id", "text", "kind"?, "context"?} from FILE or standard input (as bytes,
decoded per line so one line's bad UTF-8 does not stop the run) and writes one JSON line per
input: {"id", "verdict", "findings"} or {"id", "error"}. Standalone: never imports Django.
Exit 0 when every line was read, 2 (one line on stderr) on unusable arguments.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .context import Context
from .errors import ContextError
from .scanner import scan

try:
    import orjson

    def _loads(data: bytes) -> Any:
        return orjson.loads(data)

    def _dumps(obj: Any) -> bytes:
        return orjson.dumps(obj)

    _DECODE_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError,)
except ImportError:  # pragma: no cover - orjson is a project dependency
    import json

    def _loads(data: bytes) -> Any:
        return json.loads(data.decode("utf-8"))

    def _dumps(obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

    _DECODE_ERRORS = (json.JSONDecodeError,)


_CONTEXT_ERRORS: tuple[type[Exception], ...] = (*_DECODE_ERRORS, UnicodeDecodeError)


class UsageError(Exception):
    """Unusable arguments: reported on one line, exit status 2."""


USAGE = "usage: bedside scan [FILE] [--context CONTEXT.json] [--format jsonl|table]"
HELP = f"""{USAGE}

Scan JSON lines {{"id", "text", "kind", "context"?}} for PHI and patient disclosures;
write one JSON line {{"id", "verdict", "findings"}} (or {{"id", "error"}}) per input line.

  FILE                   JSON lines file (default: standard input)
  --context CONTEXT.json practice context, used where a line has no "context"
  --format jsonl|table   output format (default: jsonl)
"""
FORMATS = ("jsonl", "table")


class Args:
    """The parsed command line (a hand-written parser: argparse costs start-up time)."""

    def __init__(self) -> None:
        self.file: str | None = None
        self.context: str | None = None
        self.format = "jsonl"


def parse_args(argv: list[str]) -> Args:
    args, extra = Args(), []
    items = iter(argv)
    for item in items:
        if item in ("-h", "--help"):
            sys.stdout.write(HELP)
            raise SystemExit(0)
        name, eq, value = item.partition("=")
        if name in ("--context", "--format"):
            if not eq:
                value = next(items, "")
                if not value or (value.startswith("--") and value != "-"):
                    raise UsageError(f"argument {name}: expected one argument")
            if name == "--format" and value not in FORMATS:
                choices = ", ".join(repr(f) for f in FORMATS)
                raise UsageError(
                    f"argument --format: invalid choice: {value!r} (choose from {choices})"
                )
            setattr(args, name[2:], value)
        elif item.startswith("-") and item != "-":
            extra.append(item)
        elif args.file is None:
            args.file = item
        else:
            extra.append(item)
    if extra:
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["scan"]:
        args_in = args_in[1:]
    try:
        args = parse_args(args_in)
        context = _load_context(args.context)
        source = _open_input(args.file)
    except UsageError as exc:
        sys.stderr.write(f"bedside scan: {exc}\n")
        return 2
    out = _binary_out(sys.stdout)
    try:
        results = (scan_line(raw, n, context) for n, raw in enumerate(source, start=1))
        if args.format == "table":
            _write_table(results, out)
        else:
            _write_jsonl(results, out)
    finally:
        if args.file not in (None, "-"):
            source.close()
        out.flush()
    return 0


def _write_jsonl(results: Iterable[dict[str, Any] | None], out: Any) -> None:
    """One line per result, written in batches: under PYTHONUNBUFFERED (or -u) every write
    is a system call. Line by line when a person is watching the terminal."""
    isatty = getattr(out, "isatty", None)
    batch = 1 if isatty is not None and isatty() else 256
    pending: list[bytes] = []
    try:
        for result in results:
            if result is not None:
                pending.append(_dumps(result))
                if len(pending) >= batch:
                    out.write(b"\n".join(pending) + b"\n")
                    pending.clear()
    finally:
        if pending:
            out.write(b"\n".join(pending) + b"\n")


def _load_context(path: str | None) -> Context | None:
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            data = _loads(fh.read())
    except OSError as exc:
        raise UsageError(f"cannot read context {path}: {exc.strerror or exc}") from exc
    except _CONTEXT_ERRORS as exc:
        raise UsageError(f"context {path} is not valid JSON: {exc}") from exc
    try:
        return Context.from_dict(data)
    except ContextError as exc:
        raise UsageError(f"context {path}: {exc}") from exc


class _TextSink:
    """Bytes in, text out: for a stdout replaced by a text-only stream (e.g. in a test)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


def _binary_out(stream: Any) -> Any:
    buffer = getattr(stream, "buffer", None)
    return buffer if buffer is not None else _TextSink(stream)


def _binary_in(stream: Any) -> Any:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer
    if isinstance(stream, io.TextIOBase):
        return io.BytesIO(stream.read().encode("utf-8", "surrogateescape"))
    return stream  # already a bytes stream


def _open_input(path: str | None) -> IO[bytes]:
    if path is None or path == "-":
        stdin: IO[bytes] = _binary_in(sys.stdin)
        return stdin
    try:
        return open(path, "rb")  # noqa: SIM115 - closed in main()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc


def scan_line(raw: bytes, lineno: int, context: Context | None) -> dict[str, Any] | None:
    """One input line to one output object; None for a blank line."""
    raw = raw.rstrip(b"\r\n")
    if not raw.strip():
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {
            "id": _salvage_id(raw),
            "error": f"line {lineno}: invalid UTF-8 at byte {exc.start}",
        }
    try:
        obj = _loads(raw)
    except _DECODE_ERRORS as exc:
        return {"id": None, "error": f"line {lineno}: not JSON ({exc})"}
    if not isinstance(obj, dict):
        return {"id": None, "error": f"line {lineno}: expected a JSON object"}
    ident = obj.get("id")
    text = obj.get("text")
    if not isinstance(text, str):
        what = "missing" if text is None else f"must be a string, not {type(text).__name__}"
        return {"id": ident, "error": f"line {lineno}: text {what}"}
    kind = obj.get("kind", "post")
    line_context = obj.get("context")
    try:
        ctx = context if line_context is None else _line_context(line_context)
        report = scan(text, kind=kind if isinstance(kind, str) else repr(kind), context=ctx)
    except ValueError as exc:
        return {"id": ident, "error": f"line {lineno}: {exc}"}
    return {
        "id": ident,
        "verdict": report.verdict,
        "findings": [f.to_dict() for f in report.findings],
    }


_CONTEXTS: dict[bytes, Context] = {}


def _line_context(data: Any) -> Context:
    """Lines of one practice repeat the same context: parse and derive it once."""
    if not isinstance(data, dict):
        return Context.from_dict(data)  # raises ContextError
    try:
        key = _dumps(data)
    except TypeError:
        return Context.from_dict(data)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        if len(_CONTEXTS) >= 256:
            _CONTEXTS.clear()
        ctx = _CONTEXTS[key] = Context.from_dict(data)
    return ctx


def _salvage_id(raw: bytes) -> Any:
    try:
        obj = _loads(raw.decode("utf-8", "replace").encode())
    except _DECODE_ERRORS:
        return None
    return obj.get("id") if isinstance(obj, dict) else None


def _write_table(results: Iterable[dict[str, Any] | None], out: IO[bytes]) -> None:
    out.write(b"ID\tVERDICT\tFINDINGS\n")
    for line in _table_lines(results):
        out.write(line.encode() + b"\n")


def _table_lines(results: Iterable[dict[str, Any] | None]) -> Iterator[str]:
    for r in results:
        if r is None:
            continue
        ident = "" if r.get("id") is None else str(r["id"])
        if "error" in r:
            yield f"{ident}\terror\t{r['error']}"
            continue
        found = ", ".join(
            f"{f['category']}[{f['severity']}]@{f['start']}-{f['end']}" for f in r["findings"]
        )
        yield f"{ident}\t{r['verdict']}\t{found or '-'}"
