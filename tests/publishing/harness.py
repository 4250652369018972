"""Multi-process publishing harness: a real database file (or PostgreSQL
database), a real queue, consumers as separate `bedside worker` processes and
the standalone webhook fake. Shared by tests/publishing/test_fault_kill9.py and
bench/publishing/run.py.

The parent (pytest or the bench) never opens the database through Django: the
pytest process's Django is bound to its own test database. Everything that
needs Django runs in a child process with the harness's environment:

    python -m tests.publishing.harness seed --count N --url URL --secret S
    python -m tests.publishing.harness due --at EPOCH      # make every delivery due at EPOCH
    python -m tests.publishing.harness sweep --every S     # the sweeper, every S seconds

The parent reads delivery states with plain SQL (sqlite3 / psycopg).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SECRET = "whsec_fault_0123456789abcdef"
# A fixed Fernet key so that every process reads the channel credentials.
FERNET_KEY = "EGRI8HCEWSl01_wHr1PeAnv70FsR-aGrAQc-QAzXZoY="
TEXT = "Flu shots are here. Walk in any weekday from 9 to 5. Learn more at cdc.gov/flu"


# --------------------------------------------------------------------------- backends


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(_admin_url(url), connect_timeout=3):
            return True
    except Exception:
        return False


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except Exception:
        return False


def _admin_url(url: str) -> str:
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    return urlunsplit(parts._replace(path="/postgres"))


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "bedside"


@dataclass
class Backend:
    """Where the database and the queue live for one run."""

    label: str
    data_dir: Path
    database_url: str | None = None  # None: SQLite in data_dir
    queue_url: str | None = None  # None: SqliteHuey in data_dir
    lease_seconds: float = 5.0
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "bedside.sqlite3"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST", "DJANGO_SETTINGS")) and k != "BEDSIDE_TESTING"
        }
        env.update(
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            BEDSIDE_DEBUG="1",
            BEDSIDE_DATA_DIR=str(self.data_dir),
            BEDSIDE_ALLOWED_PRIVATE_NETWORKS="127.0.0.0/8",
            BEDSIDE_ENCRYPTION_KEYS=FERNET_KEY,
            BEDSIDE_DELIVERY_LEASE_SECONDS=str(self.lease_seconds),
            BEDSIDE_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        env.pop("DATABASE_URL", None)
        env.pop("BEDSIDE_QUEUE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.queue_url:
            env["BEDSIDE_QUEUE_URL"] = self.queue_url
        env.update(self.extra_env)
        return env

    # -- lifecycle
    def create(self) -> None:
        """A fresh, migrated database and an empty queue."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.database_url:
            import psycopg

            name = _db_name(self.database_url)
            with psycopg.connect(_admin_url(self.database_url), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        self.flush_queue()
        run_bedside(self, "migrate", "--noinput", "-v0")

    def drop(self) -> None:
        self.flush_queue()
        if self.database_url:
            import psycopg

            name = _db_name(self.database_url)
            with (
                contextlib.suppress(Exception),
                psycopg.connect(_admin_url(self.database_url), autocommit=True) as conn,
            ):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def flush_queue(self) -> None:
        if self.queue_url and self.queue_url.startswith("redis"):
            import redis

            client = redis.Redis.from_url(self.queue_url)
            keys = list(client.scan_iter("huey.*bedside*"))
            if keys:
                client.delete(*keys)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.data_dir / 'queue.sqlite3'}{suffix}").unlink(missing_ok=True)

    # -- reading the truth (plain SQL, from the parent)
    def query(self, sql: str) -> list[tuple]:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as c:
                return list(c.execute(sql).fetchall())
        conn = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def states(self) -> dict[str, int]:
        rows = self.query("SELECT state, COUNT(*) FROM publishing_delivery GROUP BY state")
        return {state: int(n) for state, n in rows}


def sqlite_backend(data_dir: Path, **kw: Any) -> Backend:
    return Backend("SQLite + SqliteHuey", data_dir, **kw)


def postgres_backend(data_dir: Path, database_url: str, queue_url: str, suffix: str, **kw: Any):
    """A dedicated database `<name>_<suffix>` beside DATABASE_URL's (never the suite's own)."""
    url = _with_db(database_url, f"{_db_name(database_url)}_{suffix}")
    return Backend("PostgreSQL + Redis", data_dir, database_url=url, queue_url=queue_url, **kw)


# --------------------------------------------------------------------------- processes


def run_bedside(backend: Backend, *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "bedside", *args],
        env=backend.env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bedside {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run_harness(backend: Backend, *args: str, timeout: float = 900) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "tests.publishing.harness", *args],
        env=backend.env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"harness {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Proc:
    """A child process in its own session, its output in a log file."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.popen: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> Proc:
        fh = open(self.log, "ab")  # noqa: SIM115 - owned by the child
        self.popen = subprocess.Popen(
            self.argv, env=self.env, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        fh.close()
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.popen.wait()  # type: ignore[union-attr]
            self.kills += 1

    def stop(self, grace: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.popen is not None
        self.popen.send_signal(signal.SIGINT)
        try:
            self.popen.wait(grace)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start_consumer(backend: Backend, log: Path, workers: int = 2) -> Proc:
    argv = [PYTHON, "-m", "bedside", "worker", "--workers", str(workers)]
    return Proc(argv, backend.env(), log).start()


def start_sweeper(backend: Backend, log: Path, every: float) -> Proc:
    argv = [PYTHON, "-m", "tests.publishing.harness", "sweep", "--every", str(every)]
    return Proc(argv, backend.env(), log).start()


class Fake:
    """The standalone webhook fake (`python -m tests.fakes.webhook`)."""

    def __init__(self, log: Path, secret: str = SECRET) -> None:
        self.proc = Proc(
            [PYTHON, "-m", "tests.fakes.webhook", "--port", "0", "--secret", secret],
            {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
            log,
        ).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            m = re.search(r"listening on (http://\S+)", self.proc.log_text())
            if m:
                self.url = m.group(1)
                return
            time.sleep(0.05)
        self.proc.kill9()
        raise RuntimeError("the webhook fake did not start:\n" + self.proc.log_text())

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=30) as resp:  # noqa: S310 - loopback
            return json.loads(resp.read())

    def stats(self) -> dict[str, int]:
        return self.get("/_stats")

    def deliveries(self) -> dict[str, int]:
        return self.get("/_deliveries")

    def arrivals(self) -> dict[str, list[float]]:
        return self.get("/_arrivals")

    def reset(self) -> None:
        req = urllib.request.Request(self.url + "/_reset", data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=30):  # noqa: S310 - loopback
            pass

    def stop(self) -> None:
        self.proc.kill9()


DELIVER = "bedside.publishing.tasks.publishing.deliver"


def executed_count(log_text: str) -> int:
    """Deliver tasks a consumer started (from its log)."""
    return log_text.count(f"Executing {DELIVER}")


def in_flight(log_text: str) -> int:
    """Deliver tasks a consumer started and had not finished (at the moment of a kill)."""
    started = set(re.findall(rf"Executing {re.escape(DELIVER)}: (\S+)", log_text))
    done = set(re.findall(rf"{re.escape(DELIVER)}: (\S+) executed in", log_text))
    return len(started - done)


# --------------------------------------------------------------------------- child commands


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bedside.config.settings")
    import django

    django.setup()


def cmd_seed(count: int, url: str, secret: str, via_services: int) -> dict[str, Any]:
    """A practice, a webhook channel and `count` approved posts scheduled for
    tomorrow, one delivery each. The first `via_services` posts go through the
    services (compliance checks, approval, audit: ~0.1 s each on this machine);
    the rest are row-for-row copies of the first (its approved revision, its
    delivery with a fresh idempotency key) made with bulk inserts. The queue is
    not touched: `due` makes them due and wakes the workers."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from bedside.accounts.permissions import Role
    from bedside.channels.services import channel_create
    from bedside.content import services as content
    from bedside.content.models import Post, PostRevision
    from bedside.publishing import services as publishing
    from bedside.publishing.models import Delivery, new_key
    from tests.factories import MembershipFactory, PracticeFactory, UserFactory

    def no_enqueue(*args: Any, **kwargs: Any) -> None:  # `due` enqueues, at the due time
        return None

    publishing.enqueue_delivery = no_enqueue
    common = getattr(publishing, "_common", None)  # services split into a package
    if common is not None:
        common.enqueue_delivery = no_enqueue
    practice = PracticeFactory(name="Maple Family Clinic", slug="maple-family-clinic")

    def member(role: Role, email: str):  # type: ignore[no-untyped-def]
        user = UserFactory(email=email, display_name=email.split("@")[0], mfa=True)
        return MembershipFactory(user=user, practice=practice, role=role.value)

    owner = member(Role.OWNER, "owner@maple.test")
    editor = member(Role.EDITOR, "editor@maple.test")
    officer = member(Role.COMPLIANCE_OFFICER, "compliance@maple.test")
    channel = channel_create(
        actor=owner, type="webhook", name="Practice hook",
        settings={"url": f"{url}/hook", "secret": secret},
    )  # fmt: skip
    when = timezone.now() + dt.timedelta(days=1)
    started = time.monotonic()
    first = None
    for _ in range(max(1, min(via_services, count))):
        post = content.post_create(
            actor=editor, text=TEXT, channel_ids=[channel.pk], scheduled_at=when
        )
        content.post_submit(actor=editor, post=post)
        content.post_approve(actor=officer, post=post)
        first = first or post
    assert first is not None
    first.refresh_from_db()
    revision = first.approved_revision
    model = Delivery.objects.get(post=first)
    through = Post.channels.through
    left = count - Delivery.objects.count()
    batch = 500
    while left > 0:
        n = min(batch, left)
        with transaction.atomic():
            posts = Post.objects.bulk_create(
                [_copy(first, current_revision=None, approved_revision=None) for _ in range(n)]
            )
            revisions = PostRevision.objects.bulk_create(
                [_copy(revision, post_id=p.pk) for p in posts]
            )
            for p, r in zip(posts, revisions, strict=True):
                p.current_revision_id = p.approved_revision_id = r.pk
            Post.objects.bulk_update(posts, ["current_revision", "approved_revision"])
            through.objects.bulk_create(
                [through(post_id=p.pk, channelaccount_id=channel.pk) for p in posts]
            )
            Delivery.objects.bulk_create(
                [
                    _copy(model, post_id=p.pk, revision_id=r.pk, idempotency_key=new_key())
                    for p, r in zip(posts, revisions, strict=True)
                ]
            )
        left -= n
    seconds = time.monotonic() - started
    states = sorted(set(Delivery.objects.values_list("state", flat=True)))
    return {"deliveries": Delivery.objects.count(), "states": states, "seconds": round(seconds, 1)}


def _copy(obj: Any, **changes: Any) -> Any:
    """An unsaved copy of a model row (concrete fields, no primary key)."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(changes)
    return type(obj)(**values)


def cmd_due(at: float) -> dict[str, Any]:
    """Make every scheduled delivery (and its post) due at `at` and enqueue one
    task per delivery for that time, as approval does for a scheduled post."""
    import datetime as dt

    from bedside.content.models import Post
    from bedside.publishing.models import Delivery, DeliveryState
    from bedside.publishing.tasks import deliver

    when = dt.datetime.fromtimestamp(at, tz=dt.UTC)
    ids = list(
        Delivery.objects.filter(state=DeliveryState.SCHEDULED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # wake_at: the task enqueued below is due to run then (as `_on_commit_enqueue` records)
    Delivery.objects.filter(pk__in=ids).update(due_at=when, next_attempt_at=when, wake_at=when)
    Post.objects.filter(deliveries__pk__in=ids).update(scheduled_at=when)
    started = time.time()
    lock_retries = 0
    for delivery_id in ids:
        for attempt in range(50):
            try:
                if at <= time.time():
                    deliver(delivery_id)
                else:
                    deliver.schedule((delivery_id,), eta=when)
                break
            except Exception as exc:  # SqliteHuey: "database is locked" after its 5 s timeout
                if "locked" not in str(exc) or attempt == 49:
                    raise
                lock_retries += 1
    return {
        "due": len(ids),
        "enqueue_seconds": round(time.time() - started, 2),
        "queue_lock_retries": lock_retries,
    }


def cmd_reset() -> dict[str, Any]:
    """Every delivery back to scheduled for tomorrow with a fresh idempotency key
    (for the next benchmark run over the same rows)."""
    import datetime as dt
    import uuid

    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat
    from django.utils import timezone

    from bedside.content.models import Post
    from bedside.publishing.models import Delivery, DeliveryState

    tomorrow = timezone.now() + dt.timedelta(days=1)
    prefix = f"bedside-{uuid.uuid4().hex[:12]}-"
    n = Delivery.objects.update(
        state=DeliveryState.SCHEDULED, due_at=tomorrow, next_attempt_at=tomorrow,
        sending_at=None, lease_owner="", lease_until=None, attempts=0, external_id="", url="",
        error="", last_error_kind="", published_at=None, wake_at=None, notice_queued_at=None,
        notified_at=None,
        idempotency_key=Concat(Value(prefix), Cast("id", output_field=CharField())),
    )  # fmt: skip
    Post.objects.update(state="scheduled", scheduled_at=tomorrow)
    return {"reset": n}


def cmd_sweep(every: float) -> None:
    """Run the periodic sweeper's service every `every` seconds (Huey's periodic
    scheduler has a one-minute floor)."""
    from django.db import close_old_connections

    from bedside.publishing import services

    while True:
        try:
            n = services.deliveries_sweep()
            if n:
                print(f"sweep: enqueued {n}", flush=True)
        except Exception as exc:  # keep sweeping; the database may be busy
            print(f"sweep failed: {exc!r}", flush=True)
        close_old_connections()
        time.sleep(every)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.publishing.harness")
    sub = parser.add_subparsers(dest="cmd", required=True)
    seed = sub.add_parser("seed")
    seed.add_argument("--count", type=int, required=True)
    seed.add_argument("--url", required=True)
    seed.add_argument("--secret", default=SECRET)
    seed.add_argument("--via-services", type=int, default=20)
    due = sub.add_parser("due")
    due.add_argument("--at", type=float, required=True)
    sub.add_parser("reset")
    sweep = sub.add_parser("sweep")
    sweep.add_argument("--every", type=float, default=1.0)
    args = parser.parse_args(argv)
    _django()
    if args.cmd == "seed":
        print(
            json.dumps(cmd_seed(args.count, args.url, args.secret, args.via_services)), flush=True
        )
    elif args.cmd == "due":
        print(json.dumps(cmd_due(args.at)), flush=True)
    elif args.cmd == "reset":
        print(json.dumps(cmd_reset()), flush=True)
    else:
        cmd_sweep(args.every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
