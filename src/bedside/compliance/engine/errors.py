"""Errors raised by the engine. Both are ValueErrors so callers can map them to 4xx."""

from __future__ import annotations


class ContextError(ValueError):
    """The practice context has a missing or wrongly typed field; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"context.{field}: {message}")
        self.field = field


class TextTooLarge(ValueError):
    """The text is over the engine's size limit (MAX_TEXT_BYTES of UTF-8)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"text is {size} bytes, over the {limit}-byte limit")
        self.size = size
        self.limit = limit
