"""Regexes compiled ahead of time (engine/compiled.py): the same patterns as re.compile,
and a file that is current for the patterns in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bedside.compliance.engine import compiled

REBUILD = "run `python bench/compliance/build_regexes.py` after changing a pattern"


def test_every_stored_pattern_compiles_to_what_re_compile_gives() -> None:
    entries = compiled._load()
    if not entries:
        pytest.skip("data/regexes.bin was built for another Python")
    for pattern, flags in entries:
        assert compiled.compile(pattern, flags) == re.compile(pattern, flags), pattern[:60]


def test_the_file_holds_every_pattern_the_engine_compiles() -> None:
    if not compiled._load():
        pytest.skip("data/regexes.bin was built for another Python")
    missing = compiled.all_patterns() - set(compiled._load())
    assert not missing, f"{len(missing)} patterns missing: {REBUILD}"


def test_pattern_missing_from_the_file_is_compiled_by_re() -> None:
    pattern = r"\bnot\s+in\s+the\s+file\b"
    assert compiled.compile(pattern, re.IGNORECASE) == re.compile(pattern, re.IGNORECASE)


def test_file_for_another_python_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "regexes.bin"
    monkeypatch.setattr(compiled, "PATH", str(path))
    monkeypatch.setattr(compiled, "_entries", None)
    monkeypatch.setattr(compiled, "build_id", lambda: "some other python")
    compiled.build(str(path))
    monkeypatch.setattr(compiled, "_entries", None)
    monkeypatch.setattr(compiled, "build_id", lambda: "this python")
    assert compiled._load() == {}
    assert compiled.compile(r"\d+") == re.compile(r"\d+")


def test_damaged_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "regexes.bin"
    path.write_bytes(b"not zlib")
    monkeypatch.setattr(compiled, "PATH", str(path))
    monkeypatch.setattr(compiled, "_entries", None)
    assert compiled._load() == {}
