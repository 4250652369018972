"""A log filter that scrubs credentials from every record.

Bedside logs ids and states, never texts; this is the second line of defence
for the secrets that slip into exception messages (tokens in URLs, headers).
"""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer\s+)?)[^\s,;'\"]+"),
    re.compile(
        r"(?i)((?:access_token|refresh_token|token|secret|password|api_key|client_secret)=)[^&\s'\"]+"
    ),
    re.compile(
        r"(?i)(\"(?:access_token|refresh_token|token|secret|password|accessJwt|refreshJwt)\"\s*:\s*\")[^\"]+"
    ),
    re.compile(r"(bsd_)[A-Za-z0-9_\-]{20,}"),
]


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            cleaned_exc = redact(str(exc))
            if cleaned_exc != str(exc):
                record.exc_text = f"{type(exc).__name__}: {cleaned_exc}"
                record.exc_info = None
        return True
