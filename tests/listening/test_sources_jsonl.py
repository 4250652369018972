"""The JSONL reader: the documented format, bad lines, chunk boundaries, standard input."""

from __future__ import annotations

import io
import sys

import orjson
import pytest

from bedside.listening.ingest import MentionBuffer
from bedside.listening.models import Mention
from bedside.listening.sources.base import FeedError
from bedside.listening.sources.files import ingest_file

pytestmark = pytest.mark.django_db


def _write(tmp_path, lines):  # type: ignore[no-untyped-def]
    path = tmp_path / "items.jsonl"
    path.write_bytes(
        b"".join((x if isinstance(x, bytes) else orjson.dumps(x)) + b"\n" for x in lines)
    )
    return path


def _ingest(path, source, rt, **kw):  # type: ignore[no-untyped-def]
    buffer = MentionBuffer(source)
    result = ingest_file(path=str(path), buffer=buffer, rt=rt, **kw)
    buffer.flush()
    return result


def test_documented_fields_are_stored(monitor, tmp_path, make_source, rt):
    path = _write(
        tmp_path,
        [
            {"id": 17, "text": "Maple Family Clinic!", "author": "ann", "url": "https://x.example/17",
             "created_at": "2026-11-20T09:30:00+00:00"},
            {"id": "b", "text": "Maple Family Clinic again"},
            {"id": "c", "text": "no match", "extra": [1, 2]},
        ],
    )  # fmt: skip
    rt.build_now()
    result = _ingest(path, make_source(f"jsonl:{path}"), rt)
    assert (result.items, result.invalid) == (3, 0)
    first = Mention.objects.get(external_id="17")
    assert (first.author, first.url, first.published_at.isoformat()) == (
        "ann", "https://x.example/17", "2026-11-20T09:30:00+00:00",
    )  # fmt: skip
    assert Mention.objects.get(external_id="b").author == ""


def test_invalid_lines_are_skipped_and_reported_by_number(monitor, tmp_path, make_source, rt):
    path = _write(
        tmp_path,
        [
            {"id": 1, "text": "Maple Family Clinic"},
            b"{broken",
            b'{"text": "no id"}',
            b'{"id": 4, "text": null}',
            b"",
            {"id": 6, "text": "Maple Family Clinic six"},
        ],
    )
    rt.build_now()
    result = _ingest(path, make_source(f"jsonl:{path}"), rt)
    assert (result.items, result.invalid) == (2, 3)
    assert [e.split(":")[0] for e in result.errors] == ["line 2", "line 3", "line 4"]
    assert result.note().startswith("3 invalid line(s) skipped")
    assert Mention.objects.count() == 2


def test_small_chunks_split_lines_correctly(monitor, tmp_path, make_source, rt):
    path = _write(tmp_path, [{"id": i, "text": f"item {i} Maple Family Clinic"} for i in range(50)])
    rt.build_now()
    result = _ingest(path, make_source(f"jsonl:{path}"), rt, chunk_bytes=37)
    assert (result.items, Mention.objects.count()) == (50, 50)


def test_standard_input(monitor, make_source, rt, monkeypatch):
    data = b'{"id": "s1", "text": "Maple Family Clinic via stdin"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    rt.build_now()
    result = _ingest("-", make_source("jsonl:-"), rt)
    assert (result.items, Mention.objects.get().external_id) == (1, "s1")


def test_missing_file_is_a_clear_error(make_source, rt):
    rt.build_now()
    with pytest.raises(FeedError, match="Cannot read /nope/items.jsonl: No such file or directory"):
        _ingest("/nope/items.jsonl", make_source("jsonl:/nope/items.jsonl"), rt)
