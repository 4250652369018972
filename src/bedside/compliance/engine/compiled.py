"""Regexes compiled ahead of time: re.compile of the phrase and date patterns costs more
than 50 ms per process (each embeds the long care-word alternation), a third of what the
command spends outside scanning.

`data/regexes.bin` holds, for one Python build, the compiled form re would produce for
each pattern. `compile()` returns the same Pattern (equal code, flags and groups) from it,
and falls back to re.compile for a pattern that is not in the file or for another Python.
Rebuild after changing a pattern (a test says when), with the Python that runs the engine:

    python bench/compliance/build_regexes.py
"""

from __future__ import annotations

import _sre  # re's own engine: re.compile ends with _sre.compile(pattern, flags, code, ...)
import os
import re
import sys
from typing import Any

PATH = os.path.join(os.path.dirname(__file__), "data", "regexes.bin")
Key = tuple[str, int]

_entries: dict[Key, tuple[Any, ...]] | None = None
seen: set[Key] = set()  # every pattern asked for in this process (what the build writes)


def build_id() -> str:
    """The Python build the file is valid for: compiled code is private to re's engine."""
    return f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - re's name
    key = (pattern, int(flags))
    seen.add(key)
    entry = _load().get(key)
    if entry is not None:
        try:
            compiled: re.Pattern[str] = _sre.compile(pattern, *entry)
            return compiled
        except (TypeError, ValueError, RuntimeError):  # pragma: no cover - a damaged file
            pass
    return re.compile(pattern, flags)


def _load() -> dict[Key, tuple[Any, ...]]:
    global _entries
    if _entries is None:
        _entries = {}
        try:
            import marshal
            import zlib

            with open(PATH, "rb") as fh:
                # our own package file, written by build(); no outside input
                stored = marshal.loads(zlib.decompress(fh.read()))  # noqa: S302
            if stored["build"] == build_id():
                _entries = stored["entries"]
        except (OSError, ValueError, EOFError, TypeError, KeyError, zlib.error):
            pass
    return _entries


def _compiled_form(pattern: str, flags: int) -> tuple[Any, ...]:
    """What re._compiler.compile hands to _sre.compile, as plain ints (marshal-able)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    form = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex)
    return (*form, tuple(indexgroup))


def all_patterns() -> set[Key]:
    """Every pattern the engine compiles: at import, and each lazy CI. (Not the IGNORECASE
    forms, which only texts whose lowercase changes length need: half the file.)"""
    from . import scanner  # noqa: F401 - imports every detector module
    from .identifiers import CI

    for ci in CI.instances:
        ci.plain  # noqa: B018 - compiling records the pattern
    return set(seen)


def build(path: str = PATH) -> int:
    import marshal
    import zlib

    entries = {}
    for pattern, flags in sorted(all_patterns()):
        form = _compiled_form(pattern, flags)
        if _sre.compile(pattern, *form) != re.compile(pattern, flags):  # pragma: no cover
            raise RuntimeError(f"compiled form differs from re.compile: {pattern[:60]!r}")
        entries[(pattern, flags)] = form
    data = zlib.compress(marshal.dumps({"build": build_id(), "entries": entries}), 9)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(entries)
