"""What sources return, and their own errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside.listening.ingest import Item


class FeedError(Exception):
    """The source answered, but with something that cannot be read (message is for people)."""


@dataclass
class PollResult:
    items: list[Item] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    cursor: str | None = None
    not_modified: bool = False
    note: str = ""
