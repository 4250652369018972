"""The role × URL matrix and tenant-isolation cases, one per named URL.

Each app lists its cases in tests/<app>/cases.py as `CASES = [UrlCase(...)]`.
tests/test_url_matrix.py fails when a URL exists without a case, so a new
view cannot ship without its isolation and permission checks.

scope:
  object  — names one of practice A's objects: another practice's member gets 404
  list    — practice-scoped page or list: another practice's member sees none of A's data
  public  — no practice data behind it (reason required)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bedside.accounts.permissions import Perm


@dataclass
class World:
    """Practice A with one member per role, practice B's owner, and A's objects."""

    practice: Any
    personas: dict[str, Any]
    outsider: Any
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class UrlCase:
    name: str
    build: Callable[[World], str]
    method: str = "get"
    perm: Perm | None = Perm.VIEW
    scope: str = "list"
    data: Callable[[World], dict] | None = None
    api: bool = False
    reason: str = ""  # why a public case holds no practice data
    denied: int = 403  # what a role without `perm` gets (404 where the object is someone else's)
    setup: Callable[[World], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"
