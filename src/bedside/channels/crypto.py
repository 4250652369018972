"""Credentials at rest: MultiFernet over BEDSIDE_ENCRYPTION_KEYS (newest first).

Without a configured key, development and test runs derive one from
SECRET_KEY (and warn once); production refuses to store or read credentials.
`bedside rotate_keys` re-encrypts every row with the newest key.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from functools import lru_cache
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("bedside.channels")


class CredentialsUnavailable(ImproperlyConfigured):
    """No encryption key configured (production) or a key that cannot decrypt a row."""


def _derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(b"bedside-credentials:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str, dev: bool) -> MultiFernet:
    if keys:
        try:
            return MultiFernet([Fernet(k.encode()) for k in keys])
        except ValueError as exc:
            raise CredentialsUnavailable(
                "BEDSIDE_ENCRYPTION_KEYS holds a value that is not a Fernet key "
                "(generate one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            ) from exc
    if not dev:
        raise CredentialsUnavailable(
            "BEDSIDE_ENCRYPTION_KEYS is not set: channel credentials cannot be stored. "
            "Set it to one or more Fernet keys, newest first."
        )
    logger.warning(
        "BEDSIDE_ENCRYPTION_KEYS is not set; channel credentials use a key derived from "
        "SECRET_KEY (acceptable for development and tests only)."
    )
    return MultiFernet([Fernet(_derived_key(secret_key))])


def fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "BEDSIDE_ENCRYPTION_KEYS", None) or ())
    dev = bool(settings.DEBUG or getattr(settings, "TESTING", False))
    return _fernet(keys, settings.SECRET_KEY, dev)


def encrypt(data: dict[str, Any]) -> str:
    return fernet().encrypt(orjson.dumps(data)).decode("ascii")


def decrypt(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        value = orjson.loads(fernet().decrypt(token.encode("ascii")))
    except InvalidToken as exc:
        raise CredentialsUnavailable(
            "Stored channel credentials cannot be decrypted with BEDSIDE_ENCRYPTION_KEYS "
            "(was a key removed before `bedside rotate_keys` ran?)"
        ) from exc
    return value if isinstance(value, dict) else {}


def rotate(token: str) -> str:
    """The same secret, encrypted with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii") if token else token
