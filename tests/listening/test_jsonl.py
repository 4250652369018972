"""JSONL reader: typed items, every bad line reported with its number and reason."""

import io
from datetime import UTC, datetime

import pytest

from bedside.listening.jsonl import JsonlItem, JsonlReader, LineError, read_items


def read(data: bytes, **kwargs):
    reader = JsonlReader(io.BytesIO(data), **kwargs)
    items = list(reader)
    return reader, items


def test_valid_lines_become_typed_items():
    data = (
        b'{"id": "a1", "text": "Great visit", "author": "@pat", "url": "https://x.test/1",'
        b' "created_at": "2026-11-21T08:40:00Z"}\n'
        b'{"id": 42, "text": "no extras"}\n'
    )

    reader, items = read(data)

    assert [(i.id, i.text, i.author, i.url, i.created_at, i.line) for i in items] == [
        (
            "a1",
            "Great visit",
            "@pat",
            "https://x.test/1",
            datetime(2026, 11, 21, 8, 40, tzinfo=UTC),
            1,
        ),
        ("42", "no extras", None, None, None, 2),
    ]
    assert all(isinstance(i, JsonlItem) for i in items)
    assert reader.errors == []
    assert (reader.stats.lines, reader.stats.items, reader.stats.invalid) == (2, 2, 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-21T10:40:00+02:00", datetime(2026, 11, 21, 8, 40, tzinfo=UTC)),
        ("2026-11-21T08:40:00.250Z", datetime(2026, 11, 21, 8, 40, 0, 250000, tzinfo=UTC)),
        ("2026-11-21T08:40:00", datetime(2026, 11, 21, 8, 40, tzinfo=UTC)),  # naive means UTC
        ("2026-11-21", datetime(2026, 11, 21, tzinfo=UTC)),
        (None, None),
    ],
)
def test_created_at_is_aware_utc(value, expected):
    line = f'{{"id": "x", "text": "t", "created_at": {"null" if value is None else repr(value).replace(chr(39), chr(34))}}}'

    _, [item] = read(line.encode())

    assert item.created_at == expected
    assert item.created_at is None or item.created_at.tzinfo is UTC


def test_invalid_lines_are_reported_and_never_stop_the_stream():
    data = b"\n".join(
        [
            b'{"id": "1", "text": "ok"}',
            b"not json",
            b"[1, 2]",
            b'{"text": "no id"}',
            b'{"id": true, "text": "bool id"}',
            b'{"id": "", "text": "empty id"}',
            b'{"id": "2"}',
            b'{"id": "3", "text": 5}',
            b'{"id": "4", "text": "t", "author": 7}',
            b'{"id": "5", "text": "t", "created_at": "yesterday"}',
            b'{"id": "6", "text": "t", "created_at": 1732200000}',
            b'{"id": "7", "text": "bad utf8 \xff"}',
            b"",
            b'{"id": "8", "text": "last, no newline"}',
        ]
    )

    reader, items = read(data)

    assert [i.id for i in items] == ["1", "8"]
    assert [i.line for i in items] == [1, 14]
    assert [(e.line, e.reason.split(":")[0]) for e in reader.errors] == [
        (2, "invalid JSON"),
        (3, "not a JSON object"),
        (4, "missing id"),
        (5, "id must be a string or an integer"),
        (6, "id is empty"),
        (7, "missing text"),
        (8, "text must be a string"),
        (9, "author must be a string"),
        (10, "created_at is not ISO 8601"),
        (11, "created_at must be an ISO 8601 string"),
        (12, "invalid JSON"),
    ]
    assert (reader.stats.lines, reader.stats.items, reader.stats.blank, reader.stats.invalid) == (
        14,
        2,
        1,
        11,
    )


def test_reasons_never_quote_the_line():
    _, _ = read(b"")
    reader, _ = read(b'{"id": "1", "text": "Jane Doe DOB 1970-01-01"\n')

    assert reader.errors == [LineError(1, reader.errors[0].reason)]
    assert "Jane" not in reader.errors[0].reason


def test_lines_split_across_chunks_and_crlf():
    rows = [f'{{"id": "{i}", "text": "post number {i}"}}'.encode() for i in range(500)]
    data = b"\r\n".join(rows) + b"\r\n"

    reader, items = read(data, chunk_size=7)

    assert [i.id for i in items] == [str(i) for i in range(500)]
    assert [i.line for i in items][-1] == 500
    assert reader.errors == []


def test_overlong_lines_are_errors_and_not_buffered():
    long_text = "x" * 5000
    data = (
        b'{"id": "1", "text": "short"}\n'
        + f'{{"id": "2", "text": "{long_text}"}}\n'.encode()
        + b'{"id": "3", "text": "short again"}\n'
        + f'{{"id": "4", "text": "{long_text}"}}'.encode()
    )

    reader, items = read(data, chunk_size=64, max_line=1000)

    assert [i.id for i in items] == ["1", "3"]
    assert reader.errors == [
        LineError(2, "line longer than 1000 bytes"),
        LineError(4, "line longer than 1000 bytes"),
    ]


def test_byte_order_mark_is_ignored():
    _, items = read(b'\xef\xbb\xbf{"id": "1", "text": "bom"}\n')

    assert [i.id for i in items] == ["1"]


def test_errors_kept_are_capped_but_all_counted_and_streamed():
    seen = []
    data = b"bad\n" * 30

    reader = JsonlReader(io.BytesIO(data), max_kept_errors=5, on_error=seen.append)
    assert list(reader) == []

    assert len(reader.errors) == 5
    assert reader.stats.invalid == 30
    assert [e.line for e in seen] == list(range(1, 31))


def test_read_items_shortcut():
    assert [i.id for i in read_items(io.BytesIO(b'{"id": "z", "text": "t"}'))] == ["z"]
