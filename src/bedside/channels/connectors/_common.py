"""Small helpers shared by connectors."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from bedside.channels.connectors.base import PublishRequest


def text_with_link(request: PublishRequest, sep: str = "\n\n") -> str:
    """The post text with ``request.link`` appended unless the text already has it."""
    if request.link and request.link not in request.text:
        return f"{request.text}{sep}{request.link}" if request.text else request.link
    return request.text


_BLOCK = re.compile(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Plain text from a network's simple HTML (Mastodon statuses)."""
    return html.unescape(_TAG.sub("", _BLOCK.sub("\n", markup or ""))).strip()


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601 (with Z) or epoch seconds; None if absent/bad."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).replace("Z", "+00:00")
    # Python 3.11 accepts most ISO forms; Facebook's +0000 needs a colon.
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def as_datetime(value: Any) -> datetime | None:
    """``metadata["scheduled_at"]`` as an aware datetime (datetime or ISO string)."""
    return parse_datetime(value)


def filename_for(mime: str, index: int) -> str:
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
    return f"image{index + 1}.{ext.get(mime, 'bin')}"
