"""Bluesky record pieces: rich-text facets (UTF-8 byte offsets) and record keys.

Facets follow the documented app.bsky.richtext.facet lexicon: each has
``index: {byteStart, byteEnd}`` counted in UTF-8 bytes of the post text
(inclusive start, exclusive end) and one feature: ``#link`` (``uri``),
``#mention`` (``did``) or ``#tag`` (``tag`` without the ``#``, at most 64
graphemes / 640 bytes). Detection uses the patterns from Bluesky's "Links,
mentions, and rich text" guide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import regex

from bedside.channels.limits import _GTLDS

POST_COLLECTION = "app.bsky.feed.post"
IMAGE_MAX_BYTES = 1_000_000  # app.bsky.embed.images#image.image maxSize
MAX_IMAGES = 4
TAG_MAX_GRAPHEMES = 64

_MENTION_RE = regex.compile(
    r"(?:^|(?<=[\s(]))@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
_URL_RE = regex.compile(
    r"(?:^|(?<=[\s(]))((?:https?://\S+)|(?:(?:[a-z][a-z0-9]*(?:\.[a-z0-9]+)+)\S*))",
    regex.IGNORECASE,
)
_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG_RE = regex.compile(
    rf"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s{_INVISIBLE}]*[^\d\s\p{{P}}{_INVISIBLE}]+[^\s{_INVISIBLE}]*)"
)
_TRAILING_PUNCT = ".,;:!?"

# TID: 13 characters of base32-sortable; first character in 2..j (top bit zero).
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = regex.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
_FALLBACK_EPOCH_US = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)


def _byte_index(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))


def _trim_url(url: str) -> str:
    url = url.rstrip(_TRAILING_PUNCT)
    if url.endswith(")") and "(" not in url:
        url = url[:-1].rstrip(_TRAILING_PUNCT)
    return url


def _plausible_host(raw: str) -> bool:
    has_scheme = raw.lower().startswith(("http://", "https://"))
    host = regex.sub(r"(?i)^https?://", "", raw).split("/", 1)[0].split(":", 1)[0].lower()
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if has_scheme and tld:
        return True
    return tld in _GTLDS or (len(tld) == 2 and tld.isalpha())


def _facet(text: str, start: int, end: int, feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "index": {"byteStart": _byte_index(text, start), "byteEnd": _byte_index(text, end)},
        "features": [feature],
    }


def build_facets(
    text: str, resolve_handle: Callable[[str], str | None] | None = None
) -> list[dict[str, Any]]:
    """Link, mention and hashtag facets for ``text``, in text order.

    ``resolve_handle(handle) -> did | None``; mentions that do not resolve are
    left as plain text (as the Bluesky app does).
    """
    facets: list[tuple[int, dict[str, Any]]] = []
    for m in _MENTION_RE.finditer(text):
        handle = m.group(1)
        did = resolve_handle(handle) if resolve_handle else None
        if did:
            start = m.start(1) - 1  # include the "@"
            facets.append(
                (
                    start,
                    _facet(
                        text,
                        start,
                        m.end(1),
                        {"$type": "app.bsky.richtext.facet#mention", "did": did},
                    ),
                )
            )
    for m in _URL_RE.finditer(text):
        raw = m.group(1)
        if raw.startswith("@") or "@" in raw.split("/", 1)[0]:
            continue  # an e-mail address or a handle, not a link
        url = _trim_url(raw)
        uri = url if regex.match(r"(?i)https?://", url) else f"https://{url}"
        if not _plausible_host(url):
            continue
        start = m.start(1)
        facets.append(
            (
                start,
                _facet(
                    text,
                    start,
                    start + len(url),
                    {"$type": "app.bsky.richtext.facet#link", "uri": uri},
                ),
            )
        )
    for m in _TAG_RE.finditer(text):
        tag = _trim_url(m.group(1))  # trailing punctuation is not part of a tag
        if not tag or len(regex.findall(r"\X", tag)) > TAG_MAX_GRAPHEMES:
            continue
        start = m.start(1) - 1
        facets.append(
            (
                start,
                _facet(
                    text,
                    start,
                    start + 1 + len(tag),
                    {"$type": "app.bsky.richtext.facet#tag", "tag": tag},
                ),
            )
        )
    facets.sort(key=lambda item: item[0])
    return [f for _, f in facets]


def _tid_encode(value: int) -> str:
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def rkey_for(idempotency_key: str, when: datetime | None = None) -> str:
    """A deterministic record key (valid TID syntax) for a delivery.

    The same key (and ``when``) always gives the same rkey, so a re-sent
    createRecord targets the same record and cannot make a second post. The
    timestamp part is ``when`` (the delivery's scheduled time) plus a
    sub-second offset from the key's hash, so deliveries due at the same moment
    still get different keys; the 10-bit clock id also comes from the hash.
    Without ``when`` the timestamp is derived from the hash within 2024 (valid,
    in the past, still deterministic).
    """
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode("utf-8")).digest()[:8], "big")
    clock_id = digest & 0x3FF
    if when is not None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        base_us = int(when.timestamp()) * 1_000_000
        micros = base_us + (digest >> 10) % 1_000_000
    else:
        micros = _FALLBACK_EPOCH_US + (digest >> 10) % (366 * 86400 * 1_000_000)
    value = ((micros & ((1 << 53) - 1)) << 10) | clock_id
    tid = _tid_encode(value)
    assert TID_RE.match(tid)
    return tid


def iso_z(when: datetime) -> str:
    """Datetime in the form the Bluesky app writes: UTC, milliseconds, Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
