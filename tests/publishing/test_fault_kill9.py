"""The fault test: 1,000 deliveries to the webhook fake, two Huey consumers as separate
processes, one killed with SIGKILL again and again while they publish, then restarted.
At the end every delivery is published exactly once (the fake counts by idempotency key)
or needs review; none lost, none duplicated. On SQLite + SqliteHuey and on PostgreSQL +
Redis. Killed tasks are gone (Huey does not acknowledge): the per-minute sweeper finds
their rows by state and expired lease (BEDSIDE_DELIVERY_LEASE_SECONDS=5 here)."""

from __future__ import annotations

import os
import random
import time

import pytest

from bench.publishing.harness import Backend, fake_stats, kill, pg_available
from tests.conftest import require

pytestmark = pytest.mark.slow

COUNT = int(os.environ.get("BEDSIDE_FAULT_COUNT", "1000"))
KILLS = int(os.environ.get("BEDSIDE_FAULT_KILLS", "6"))


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_kill9_consumers_publish_every_delivery_exactly_once(tmp_path, kind):
    if kind == "postgres":
        require(pg_available(), "PostgreSQL and Redis on 127.0.0.1 are needed")
    backend = Backend(kind, tmp_path)
    hook, workers = None, {}
    try:
        backend.migrate()
        hook, url = backend.webhook()
        assert backend.seed(COUNT, url)["deliveries"] == COUNT
        workers = {"a": backend.worker("a"), "b": backend.worker("b")}
        started = time.monotonic()
        timeline, kills = [], 0
        next_kill = started + random.uniform(3.0, 4.0)  # noqa: S311 - after start-up
        while time.monotonic() < started + 170:
            states = backend.states()
            timeline.append((round(time.monotonic() - started, 1), states.get("published", 0)))
            if set(states) <= {"published", "needs_review"}:
                break
            if kills < KILLS and time.monotonic() >= next_kill:
                victim = "ab"[kills % 2]  # kill -9 one consumer mid-work, then restart it
                kill(workers[victim])
                workers[victim] = backend.worker(victim)
                kills += 1
                next_kill = time.monotonic() + random.uniform(1.5, 3.0)  # noqa: S311
            time.sleep(0.25)
        stats, received = fake_stats(url)
        rows = backend.rows("SELECT idempotency_key, state, external_id FROM publishing_delivery")
        retried = backend.rows("SELECT COUNT(*) FROM publishing_delivery WHERE attempts > 1")
    finally:
        for proc in [*workers.values(), *([hook] if hook else [])]:
            kill(proc)
        backend.drop()
    by_state: dict[str, int] = {}
    for _, state, _ in rows:
        by_state[state] = by_state.get(state, 0) + 1
    assert kills == KILLS
    assert len(rows) == COUNT
    assert set(by_state) <= {"published", "needs_review"}, by_state  # none lost or stuck
    published = [(key, ext) for key, state, ext in rows if state == "published"]
    keys = {key for key, _, _ in rows}
    assert set(received) <= keys  # nothing reached the network that is not a delivery
    assert all(key in received for key, _ in published)  # every published one arrived
    assert stats["unique"] == len(received)  # one post per key at the receiver
    assert len({ext for _, ext in published}) == len(published)
    assert stats["bad_signature"] == 0 and stats["rejected"] == 0
    print(
        f"\n{kind}: {by_state}; reclaimed after a kill: {retried[0][0]}; fake {stats}; "
        f"timeline (s, published): {timeline[:: max(1, len(timeline) // 12)]}"
    )
