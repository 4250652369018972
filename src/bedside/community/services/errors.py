"""What community services raise when the guard or a limit stops a write."""

from __future__ import annotations

import hashlib

from bedside.community.guard import GuardResult


def text_digest(*parts: str) -> str:
    """Names one exact text: a confirmation applies to the text the member saw, not an edit."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class DisclosureWarning(Exception):  # noqa: N818 — a warning the member answers, not a failure
    """The member's text shares something personal; nothing was saved. Confirm with `digest`."""

    def __init__(self, result: GuardResult, digest: str) -> None:
        super().__init__("self-disclosure warning")
        self.result = result
        self.digest = digest


class GuardBlocked(Exception):  # noqa: N818
    """The compliance guard blocked the text; nothing was saved."""

    def __init__(self, result: GuardResult) -> None:
        super().__init__("blocked by the compliance guard")
        self.result = result


class PostingRateLimited(Exception):  # noqa: N818
    """The member posted too often; nothing was saved."""

    def __init__(self, limit: int, minutes: int) -> None:
        super().__init__(f"at most {limit} posts per {minutes} minutes")
        self.limit = limit
        self.minutes = minutes
