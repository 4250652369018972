"""Publishing benchmark: `python bench/publishing/run.py [--count N] [--consumers 1,4]`.

For N deliveries (default 10,000) due at the same instant, sent to the
standalone webhook fake, with 1 and 4 consumer processes (`bedside worker`,
each with its default 2 threads), on SQLite + SqliteHuey and on PostgreSQL +
Redis, it prints:

- dispatch lag: the due time (`due_at`, read from the database) to the request's
  arrival at the fake (the fake records arrival times), p50 / p99 / max;
- deliveries/s: N / (last `published_at` − due time);
- the deliver tasks run (more than N when the periodic sweeper re-enqueued rows
  whose task was still queued: those runs find nothing to claim).

Every run starts from the same seeded rows (fresh idempotency keys, state
scheduled), with the consumers already started and idle, and every delivery's
task scheduled in the queue for the due time (as approval does).

There is no peer product to run in the same process; the reference printed
beside the figures is the fake's own ceiling: requests/s it absorbs from a
trivial loop (same `bedside.core.http.HttpClient`, same signed body), with 1
and 4 client processes.

PostgreSQL + Redis: DATABASE_URL (a dedicated `<name>_bench` database is created
beside it and dropped after) and BEDSIDE_QUEUE_URL, defaulting to
postgres://postgres@127.0.0.1:5432/bedside and redis://127.0.0.1:6379/0; skipped
with a line saying so when either is not reachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.publishing import harness as h  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bedside"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
LEASE_SECONDS = 120.0  # the default: nothing is killed here


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _as_epoch(value: object) -> float:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
    text = str(value).replace(" ", "T")
    parsed = dt.datetime.fromisoformat(text)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()


# --------------------------------------------------------------------------- one run


def run_once(
    backend: h.Backend, fake: h.Fake, consumers: int, workers: int, count: int, logs: Path
) -> dict[str, float]:
    slug = "sqlite" if backend.database_url is None else "pg"
    fake.reset()
    backend.flush_queue()
    h.run_harness(backend, "reset")
    procs = [
        h.start_consumer(backend, logs / f"{slug}-c{consumers}-{i}.log", workers=workers)
        for i in range(consumers)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all("Huey consumer started" in p.log_text() for p in procs):
            if time.monotonic() > deadline:
                raise RuntimeError("consumers did not start")
            time.sleep(0.1)
        # Scheduling N tasks takes a while on SqliteHuey: put the due time after it.
        lead = 5.0 + count * (0.006 if backend.queue_url is None else 0.001)
        due = round(time.time() + lead, 3)
        made = h.run_harness(backend, "due", "--at", str(due))
        if time.time() > due:
            print(f"  (warning: scheduling took {made['enqueue_seconds']} s, past the due time)")
        deadline = time.monotonic() + lead + 3600
        while time.monotonic() < deadline:
            states = backend.states()
            if (
                states.get("published", 0) + states.get("needs_review", 0) + states.get("failed", 0)
                >= count
                and time.time() > due
            ):
                break
            time.sleep(1.0)
        rows = backend.query(
            "SELECT idempotency_key, due_at, published_at, state FROM publishing_delivery"
        )
        arrivals = fake.arrivals()
        stats = fake.stats()
        lags = [
            arrivals[key][0] - _as_epoch(due_at) for key, due_at, _, _ in rows if key in arrivals
        ]
        finished = max(_as_epoch(p) for _, _, p, s in rows if s == "published")
        published = sum(1 for *_, s in rows if s == "published")
        tasks = sum(h.executed_count(p.log_text()) for p in procs)
        return {
            "published": published,
            "p50": pct(lags, 50),
            "p99": pct(lags, 99),
            "max": max(lags) if lags else float("nan"),
            "rate": published / max(1e-9, finished - due),
            "tasks": tasks,
            "duplicates": stats["duplicates"],
            "enqueue_seconds": made["enqueue_seconds"],
        }
    finally:
        for p in procs:
            p.stop(grace=20)


# --------------------------------------------------------------------------- the fake's ceiling


def _client_loop(url: str, n: int, tag: str, out: multiprocessing.Queue) -> None:
    from bedside.channels.connectors.webhook.connector import sign
    from bedside.core.http import HttpClient

    http = HttpClient(allowed_networks=["127.0.0.0/8"])
    body = (
        b'{"post_id":1,"delivery_id":1,"text":"' + h.TEXT.encode() + b'","media":[],'
        b'"scheduled_at":null}'
    )
    headers = {"Content-Type": "application/json", "X-Bedside-Signature": sign(h.SECRET, body)}
    started = time.perf_counter()
    for i in range(n):
        http.post(
            url + "/hook", content=body, headers={**headers, "Idempotency-Key": f"{tag}-{i}"},
            service="bench",
        )  # fmt: skip
    out.put(time.perf_counter() - started)


def fake_ceiling(fake: h.Fake, clients: int, seconds: float = 6.0) -> float:
    """Requests/s the fake absorbs from `clients` processes each running a POST loop."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bedside.config.settings")
    ctx = multiprocessing.get_context("spawn")
    # calibrate: roughly `seconds` of work per client
    fake.reset()
    out: multiprocessing.Queue = ctx.Queue()
    probe = ctx.Process(target=_client_loop, args=(fake.url, 200, "probe", out))
    probe.start()
    probe.join()
    per_request = out.get() / 200
    n = max(200, int(seconds / per_request / max(1, clients / 2)))
    fake.reset()
    procs = [
        ctx.Process(target=_client_loop, args=(fake.url, n, f"c{c}", out)) for c in range(clients)
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    assert fake.stats()["unique"] == n * clients
    fake.reset()
    # wall time includes the spawned interpreters' start-up; the loops' own times are the rate
    loop_times = [out.get() for _ in procs]
    return n * clients / max(max(loop_times), 1e-9) if loop_times else n * clients / elapsed


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--consumers", default="1,4")
    parser.add_argument("--workers", type=int, default=2, help="threads per consumer")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--keep", action="store_true", help="keep the logs (printed path)")
    args = parser.parse_args(argv)
    consumer_counts = [int(c) for c in args.consumers.split(",")]

    cores = os.cpu_count()
    print("Bedside publishing benchmark")
    print(
        f"machine: {cores} CPU cores, SHARED with other work (the figures move between runs); "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    )
    print(
        f"{args.count} webhook deliveries due at the same instant; consumers are `bedside worker` "
        f"processes with {args.workers} threads each; lease "
        f"{LEASE_SECONDS:g} s; the periodic sweeper runs in the "
        f"consumers (every minute)."
    )
    work = Path(tempfile.mkdtemp(prefix="bedside-bench-publishing-"))
    fake = h.Fake(work / "fake.log")
    results: list[tuple[str, int, dict[str, float]]] = []
    skipped: list[str] = []
    try:
        ceilings = {c: fake_ceiling(fake, c) for c in consumer_counts}
        for name in args.backends.split(","):
            if name == "sqlite":
                backend = h.sqlite_backend(work / "sqlite", lease_seconds=LEASE_SECONDS)
            else:
                db = os.environ.get("DATABASE_URL") or DEFAULT_PG
                queue = os.environ.get("BEDSIDE_QUEUE_URL") or DEFAULT_REDIS
                if not db.startswith("postgres"):
                    skipped.append(
                        f"PostgreSQL + Redis: skipped (DATABASE_URL is not PostgreSQL: {db})"
                    )
                    continue
                if not h.postgres_reachable(db):
                    skipped.append(
                        f"PostgreSQL + Redis: skipped (PostgreSQL not reachable at {db})"
                    )
                    continue
                if not h.redis_reachable(queue):
                    skipped.append(f"PostgreSQL + Redis: skipped (Redis not reachable at {queue})")
                    continue
                backend = h.postgres_backend(
                    work / "pg", db, queue, "bench", lease_seconds=LEASE_SECONDS
                )
            print(f"\n[{backend.label}] creating the database and seeding {args.count} deliveries…")
            started = time.monotonic()
            backend.create()
            h.run_harness(backend, "seed", "--count", str(args.count), "--url", fake.url)
            print(f"  ready in {time.monotonic() - started:.0f} s")
            try:
                for consumers in consumer_counts:
                    print(f"  {consumers} consumer(s)…", flush=True)
                    r = run_once(backend, fake, consumers, args.workers, args.count, work)
                    results.append((backend.label, consumers, r))
                    print(
                        f"    {r['published']:.0f} published, p50 {r['p50']:.2f} s, "
                        f"p99 {r['p99']:.2f} s, {r['rate']:.1f}/s",
                        flush=True,
                    )
            finally:
                backend.drop()
    finally:
        fake.stop()
        if args.keep:
            print(f"\nlogs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    head = (
        f"{'backend':<22} {'consumers':>9} {'published':>9} {'lag p50 s':>9} {'lag p99 s':>9} "
        f"{'lag max s':>9} {'deliv/s':>8} {'tasks run':>9} {'re-sent':>7} | "
        f"{'fake ceiling req/s (same # of clients)':>38}"
    )
    print(head)
    print("-" * len(head))
    for label, consumers, r in results:
        print(
            f"{label:<22} {consumers:>9} {r['published']:>9.0f} {r['p50']:>9.2f} {r['p99']:>9.2f} "
            f"{r['max']:>9.2f} {r['rate']:>8.1f} {r['tasks']:>9.0f} {r['duplicates']:>7.0f} | "
            f"{ceilings[consumers]:>38.0f}"
        )
    for line in skipped:
        print(line)
    print(
        "\nlag: due_at (database) → first arrival at the fake. deliv/s: published / (last "
        "published_at − due time). tasks run > published: sweeper re-enqueued rows whose task "
        "was still queued (those runs claim nothing). re-sent: requests the fake saw twice "
        "with the same key. The fake ceiling is the reference: the same HTTP client in a "
        "bare loop, no database, no queue."
    )
    print(
        f"machine: {cores} shared CPU cores — consumers, database, Redis and the fake share them."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
