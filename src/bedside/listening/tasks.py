"""Huey tasks: thin, take ids, safe to run twice; each calls one service.

Periodic work is a sweeper: `listening.sources_sweep` enqueues one poll per due
polling source; `listening.alerts_sweep` sends pending alerts; the digest task
runs hourly and sends each practice's digest at its own local hour.
"""

from __future__ import annotations

import time

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

_last_kick = 0.0


@db_task(name="listening.source_poll")
def source_poll_task(source_id: int) -> str:
    from bedside.listening.polling import source_poll
    from bedside.listening.runtime import runtime

    rt = runtime()
    rt.refresh_if_changed(force=True)
    return source_poll(source_id=source_id, rt=rt)


@db_periodic_task(crontab(minute="*"), name="listening.sources_sweep")
def sources_sweep() -> int:
    from bedside.listening.polling import sources_due

    due = sources_due()
    for pk in due:
        source_poll_task(pk)
    return len(due)


@db_task(name="listening.alerts_send")
def alerts_send_task() -> int:
    from bedside.listening.alerts import alerts_sweep

    return alerts_sweep()


@db_periodic_task(crontab(minute="*"), name="listening.alerts_sweep")
def alerts_sweep_periodic() -> int:
    from bedside.listening.alerts import alerts_sweep

    return alerts_sweep()


@db_periodic_task(crontab(minute="5"), name="listening.digest_sweep")
def digest_sweep() -> int:
    from bedside.listening.alerts import digests_send_due

    return digests_send_due()


def alerts_kick(*, min_interval: float = 5.0) -> None:
    """Wake the alert sender after new mentions were stored (at most every few seconds)."""
    global _last_kick
    now = time.monotonic()
    if now - _last_kick < min_interval:
        return
    _last_kick = now
    alerts_send_task()
