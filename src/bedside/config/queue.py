"""Builds the Huey instance from BEDSIDE_QUEUE_URL.

sqlite:///path (embedded default), redis://host:port/db, postgres://... (through
huey's SQL storage). Huey does not acknowledge tasks, so the queue only wakes
workers; the database rows stay the source of truth.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from huey import Huey


class QueueConfigError(ValueError):
    pass


def build_huey(url: str, *, name: str = "bedside", immediate: bool = False) -> Huey:
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        from huey import SqliteHuey

        # Same form as DATABASE_URL: sqlite:///relative/path, sqlite:////absolute/path.
        path = Path(url[len("sqlite:///") :])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name=name, filename=str(path), immediate=immediate)
    if scheme in {"redis", "rediss"}:
        # The priority variant, like SqliteHuey and SqlHuey: sweepers must not wait
        # behind a backlog of the very tasks they exist to rescue.
        from huey import PriorityRedisHuey

        return PriorityRedisHuey(name=name, url=url, immediate=immediate)
    if scheme in {"postgres", "postgresql"}:
        from huey.contrib.sql_huey import SqlHuey

        return SqlHuey(
            name=name, database=url.replace("postgres://", "postgresql://", 1), immediate=immediate
        )
    raise QueueConfigError(
        f"BEDSIDE_QUEUE_URL: unsupported scheme {scheme!r}; use sqlite:///path, redis://host:port/db or postgres://..."
    )
