"""Processes for the publishing fault test and benchmark: a fresh database and queue,
the standalone webhook fake, Huey consumers (`bedside worker`), kill -9.

SQLite + SqliteHuey live in a temporary data directory; PostgreSQL gets a throw-away
database and Redis a dedicated db number (flushed), so nothing shared is touched.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("BEDSIDE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BEDSIDE_BENCH_REDIS", "redis://127.0.0.1:6379/11")
SECRET = "fault-secret-0123456789"

SEED = """
import django, json
django.setup()
from bench.publishing.loadgen import due_deliveries
from bedside.publishing.services import deliveries_sweep
ids = due_deliveries(count={count}, url="{url}", secret="{secret}")
print(json.dumps({{"deliveries": len(ids), "enqueued": deliveries_sweep() if {enqueue} else 0}}))
"""


def pg_available() -> bool:
    try:
        import psycopg
        import redis

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            pass
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


class Backend:
    """One isolated deployment: its environment, database and queue."""

    def __init__(self, kind: str, tmp: Path, *, lease_seconds: int = 5):
        self.kind, self.tmp = kind, Path(tmp)
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bedside.config.settings",
            "BEDSIDE_DATA_DIR": str(self.tmp),
            "BEDSIDE_DEBUG": "1",
            "BEDSIDE_LOG_LEVEL": "WARNING",
            "BEDSIDE_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
            "BEDSIDE_DELIVERY_LEASE_SECONDS": str(lease_seconds),
        }
        for name in ("BEDSIDE_TESTING", "DATABASE_URL", "BEDSIDE_QUEUE_URL"):
            self.env.pop(name, None)
        self.db = ""
        if kind == "postgres":
            import psycopg
            import redis

            self.db = f"bedside_fault_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {self.db}")
            redis.Redis.from_url(REDIS).flushdb()
            self.env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{self.db}"
            self.env["BEDSIDE_QUEUE_URL"] = REDIS

    def rows(self, sql: str) -> list[tuple]:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return list(conn.execute(sql).fetchall())
        with sqlite3.connect(self.tmp / "bedside.sqlite3", timeout=30) as conn:
            return list(conn.execute(sql).fetchall())

    def states(self) -> dict[str, int]:
        return dict(self.rows("SELECT state, COUNT(*) FROM publishing_delivery GROUP BY state"))

    def drop(self) -> None:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")

    def run(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
            timeout=900,
        )  # fmt: skip
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        return out.stdout

    def start(self, *args: str, log: str) -> subprocess.Popen:
        handle = open(self.tmp / log, "ab")  # noqa: SIM115 - lives as long as the process
        return subprocess.Popen(
            [sys.executable, *args], env=self.env, cwd=ROOT, stdout=handle,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def migrate(self) -> None:
        self.run("-m", "bedside", "migrate", "--noinput", "-v0")

    def webhook(self) -> tuple[subprocess.Popen, str]:
        """The standalone webhook fake; returns (process, base URL)."""
        proc = self.start("-m", "tests.fakes.webhook", "--port", "0", "--secret", SECRET,
                          log="hook.log")  # fmt: skip
        log = self.tmp / "hook.log"
        deadline = time.monotonic() + 15
        while "listening on" not in log.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError("the webhook fake did not start")
            time.sleep(0.1)
        return proc, log.read_text().split("listening on ")[1].split()[0]

    def seed(self, count: int, url: str, *, enqueue: bool = True) -> dict:
        code = SEED.format(count=count, url=f"{url}/hook", secret=SECRET, enqueue=enqueue)
        return json.loads(self.run("-c", code))

    def worker(self, name: str, threads: int = 4) -> subprocess.Popen:
        return self.start("-m", "bedside", "worker", "--workers", str(threads), log=f"{name}.log")


def kill(proc: subprocess.Popen) -> None:
    """kill -9 the process group (the consumer and any children)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def fake_stats(url: str) -> tuple[dict, dict]:
    stats = json.loads(urlopen(f"{url}/_stats", timeout=5).read())  # noqa: S310
    received = json.loads(urlopen(f"{url}/_deliveries", timeout=5).read())  # noqa: S310
    return stats, received
