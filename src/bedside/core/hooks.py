"""Extension points where an app adds work to another app's use case.

Explicit lists, filled in each app's AppConfig.ready(), called by the owning
service inside its transaction — readable, unlike signals: grep the name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Called as hook(practice=..., actor=...) after a practice is created, in the same
# transaction: e.g. listening creates the default monitors from the profile.
PRACTICE_CREATED: list[Callable[..., Any]] = []
