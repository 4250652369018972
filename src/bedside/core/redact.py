"""Secret redaction for error messages and log lines.

Every string that may leave the process (an exception message, a log line, an
error shown to a practice manager) passes through :func:`redact` first. It
removes the explicit secrets the caller knows (tokens, passwords, webhook
secrets) and anything that looks like a credential by shape: bearer tokens,
``access_token=...`` query parameters and JSON token fields.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[REDACTED]"

# Names whose values are credentials wherever they appear (query, form, JSON).
SECRET_NAMES = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "api_key",
    "apikey",
    "token",
    "password",
    "secret",
    "signature",
    "sig",
    "code",
    "accessJwt",
    "refreshJwt",
    "input_token",
    "fb_exchange_token",
)
_NAMES = "|".join(sorted(SECRET_NAMES, key=len, reverse=True))
_PATTERNS = (
    # Authorization: Bearer xxx / Basic xxx / OAuth xxx (in header dumps or messages)
    (re.compile(r"(?i)\b(bearer|basic|oauth)\s+[A-Za-z0-9\-._~+/=:]{4,}"), r"\1 " + MASK),
    (re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)[^'\",\n]+"), r"\1" + MASK),
    # name=value in query strings and form bodies
    (re.compile(rf"(?i)\b({_NAMES})=([^&\s'\"#]+)"), r"\1=" + MASK),
    # "name": "value" in JSON
    (re.compile(rf"(?i)(['\"](?:{_NAMES})['\"]\s*:\s*['\"])([^'\"]*)"), r"\1" + MASK),
    # Bedside's own API tokens
    (re.compile(r"\bbsd_[A-Za-z0-9_-]{20,}"), MASK),
    # JWT-shaped strings anywhere
    (
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),
        MASK,
    ),
)

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "x-bedside-signature",
        "x-hub-signature",
        "x-hub-signature-256",
    }
)


def redact(text: object, secrets: Iterable[str | None] = ()) -> str:
    """Return ``text`` as a string with known secrets and credential shapes masked."""
    out = str(text)
    # Longest first so a secret that contains another is removed whole.
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        out = out.replace(secret, MASK)
    for pattern, repl in _PATTERNS:
        out = pattern.sub(repl, out)
    return out


def secrets_from_headers(headers: dict[str, str] | None) -> list[str]:
    """The credential values carried by request headers (to redact them later)."""
    found: list[str] = []
    for name, value in (headers or {}).items():
        if name.lower() in SENSITIVE_HEADERS and value:
            found.append(value)
            # "Bearer abc" -> also redact "abc" on its own
            parts = value.split(None, 1)
            if len(parts) == 2:
                found.append(parts[1])
    return found


class RedactingFilter(logging.Filter):
    """Logging filter that redacts credential shapes in a record's final message.

    Installed on the ``httpx`` and ``httpcore`` loggers (which log request URLs)
    and on Bedside's own HTTP logger, so a token in a URL never reaches a log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: drop its args rather than crash logging
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True


_FILTER = RedactingFilter()


def install_log_redaction(*logger_names: str) -> None:
    """Attach the redacting filter once to each named logger."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
