"""The fault test: 1,000 deliveries to the webhook fake, two Huey consumers as separate
processes, one killed with SIGKILL again and again while they publish. At the end every
delivery is published exactly once (the fake counts by idempotency key) or needs review;
none lost, none duplicated. On SQLite + SqliteHuey and on PostgreSQL + Redis."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.conftest import require

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
COUNT = int(os.environ.get("BEDSIDE_FAULT_COUNT", "1000"))
KILLS = int(os.environ.get("BEDSIDE_FAULT_KILLS", "6"))
SECRET = "fault-secret-0123456789"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/11"

SEED = """
import django, json
django.setup()
from bench.publishing.loadgen import due_deliveries
from bedside.publishing.services import deliveries_sweep
ids = due_deliveries(count={count}, url="{url}", secret="{secret}")
print(json.dumps({{"deliveries": len(ids), "enqueued": deliveries_sweep()}}))
"""


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            pass
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


class Backend:
    def __init__(self, kind: str, tmp: Path):
        self.kind, self.tmp = kind, tmp
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bedside.config.settings",
            "BEDSIDE_DATA_DIR": str(tmp),
            "BEDSIDE_DEBUG": "1",
            "BEDSIDE_LOG_LEVEL": "WARNING",
            "BEDSIDE_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
            "BEDSIDE_DELIVERY_LEASE_SECONDS": "5",
        }
        self.env.pop("BEDSIDE_TESTING", None)
        self.env.pop("DATABASE_URL", None)
        self.env.pop("BEDSIDE_QUEUE_URL", None)
        if kind == "postgres":
            import psycopg
            import redis

            self.db = f"bedside_fault_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {self.db}")
            redis.Redis.from_url(REDIS).flushdb()
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.db}"
            self.env["BEDSIDE_QUEUE_URL"] = REDIS

    def rows(self, sql: str) -> list[tuple]:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return list(conn.execute(sql).fetchall())
        with sqlite3.connect(self.tmp / "bedside.sqlite3", timeout=30) as conn:
            return list(conn.execute(sql).fetchall())

    def drop(self) -> None:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")

    def run(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout

    def start(self, *args: str, log: str) -> subprocess.Popen:
        handle = open(self.tmp / log, "ab")  # noqa: SIM115 - lives as long as the process
        return subprocess.Popen(
            [sys.executable, *args], env=self.env, cwd=ROOT, stdout=handle,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def _worker(backend: Backend, name: str) -> subprocess.Popen:
    return backend.start("-m", "bedside", "worker", "--workers", "4", log=f"{name}.log")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_kill9_consumers_publish_every_delivery_exactly_once(tmp_path, kind):
    if kind == "postgres":
        require(_pg_available(), "PostgreSQL and Redis on 127.0.0.1 are needed")
    backend = Backend(kind, tmp_path)
    hook = backend.start("-m", "tests.fakes.webhook", "--port", "0", "--secret", SECRET,
                         log="hook.log")  # fmt: skip
    workers: dict[str, subprocess.Popen] = {}
    try:
        backend.run("-m", "bedside", "migrate", "--noinput", "-v0")
        deadline = time.monotonic() + 10
        while "listening on" not in (tmp_path / "hook.log").read_text():
            assert time.monotonic() < deadline, "the webhook fake did not start"
            time.sleep(0.1)
        url = (tmp_path / "hook.log").read_text().split("listening on ")[1].split()[0]
        seeded = json.loads(
            backend.run("-c", SEED.format(count=COUNT, url=f"{url}/hook", secret=SECRET))
        )
        assert seeded["deliveries"] == COUNT
        workers = {"a": _worker(backend, "a"), "b": _worker(backend, "b")}
        started = time.monotonic()
        timeline, kills = [], 0
        deadline = started + 170
        next_kill = started + random.uniform(3.0, 4.0)  # noqa: S311 - after start-up
        while time.monotonic() < deadline:
            states = dict(backend.rows(
                "SELECT state, COUNT(*) FROM publishing_delivery GROUP BY state"
            ))  # fmt: skip
            timeline.append((round(time.monotonic() - started, 1), states.get("published", 0)))
            if set(states) <= {"published", "needs_review"}:
                break
            if kills < KILLS and time.monotonic() >= next_kill:
                victim = "ab"[kills % 2]  # kill -9 one consumer mid-work, then restart it
                _kill(workers[victim])
                workers[victim] = _worker(backend, victim)
                kills += 1
                next_kill = time.monotonic() + random.uniform(1.5, 3.0)  # noqa: S311
            time.sleep(0.25)
        print("timeline (s, published):", timeline[:: max(1, len(timeline) // 20)], "kills:", kills)
        stats = json.loads(urlopen(f"{url}/_stats", timeout=5).read())  # noqa: S310
        received = json.loads(urlopen(f"{url}/_deliveries", timeout=5).read())  # noqa: S310
    finally:
        for proc in workers.values():
            _kill(proc)
        _kill(hook)
    rows = backend.rows("SELECT idempotency_key, state, external_id FROM publishing_delivery")
    retried = backend.rows("SELECT COUNT(*) FROM publishing_delivery WHERE attempts > 1")[0][0]
    backend.drop()
    by_state: dict[str, int] = {}
    for _, state, _ in rows:
        by_state[state] = by_state.get(state, 0) + 1
    assert len(rows) == COUNT
    assert set(by_state) <= {"published", "needs_review"}, by_state  # none lost or stuck
    published = [(key, ext) for key, state, ext in rows if state == "published"]
    keys = {key for key, _, _ in rows}
    assert set(received) <= keys  # nothing reached the network that is not a delivery
    assert all(key in received for key, _ in published)  # every published one arrived
    assert stats["unique"] == len(received)
    assert len({ext for _, ext in published}) == len(published)  # one network post each
    assert stats["bad_signature"] == 0 and stats["rejected"] == 0
    print(
        f"{kind}: {by_state}, reclaimed after a kill: {retried}, fake {stats}"
    )  # re-sends after kills show as total > unique
