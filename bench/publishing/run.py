"""`make bench-publishing`: dispatch lag and throughput for deliveries due at once.

For each backend (SQLite + SqliteHuey, PostgreSQL + Redis) and each number of
consumers (Huey consumer processes, `bedside worker --workers THREADS`), a fresh
deployment gets COUNT deliveries to the webhook fake, all due at the same instant T,
each enqueued at approval time as the product does (a Huey task with eta=T). Then the
consumers run and the script prints, from the database rows:

  lag p50 / p99   T → published_at (the network call and its recording), seconds
  deliveries/s    COUNT / (last published_at − T)

Usage: python bench/publishing/run.py [--count 10000] [--consumers 1,4] [--threads 4]
                                      [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.publishing.harness import SECRET, Backend, fake_stats, kill, pg_available  # noqa: E402

SEED = """
import django, json, datetime as dt
django.setup()
from django.utils import timezone
from bench.publishing.loadgen import due_deliveries
from bedside.publishing.services import enqueue_delivery
due = timezone.now() + dt.timedelta(seconds={lead})
ids = due_deliveries(count={count}, url="{url}/hook", secret="{secret}", due_at=due)
for i in ids:
    enqueue_delivery(i, due)
print(json.dumps({{"due": due.isoformat(), "deliveries": len(ids)}}))
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _as_dt(value) -> dt.datetime:  # type: ignore[no-untyped-def]
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(value).replace(" ", "T")).replace(tzinfo=dt.UTC)


def run_one(kind: str, count: int, consumers: int, threads: int, lead: int) -> dict:
    import json

    with tempfile.TemporaryDirectory(prefix="bedside-bench-") as tmp:
        backend = Backend(kind, Path(tmp), lease_seconds=60)
        hook, workers = None, []
        try:
            backend.migrate()
            hook, url = backend.webhook()
            seeded = json.loads(
                backend.run("-c", SEED.format(lead=lead, count=count, url=url, secret=SECRET))
            )
            workers = [backend.worker(f"w{i}", threads) for i in range(consumers)]
            deadline = time.monotonic() + lead + 3600
            while time.monotonic() < deadline:
                states = backend.states()
                if set(states) <= {"published", "needs_review", "failed"}:
                    break
                time.sleep(1)
            stats, _ = fake_stats(url)
            rows = backend.rows(
                "SELECT published_at FROM publishing_delivery WHERE state = 'published'"
            )
        finally:
            for proc in [*workers, *([hook] if hook else [])]:
                kill(proc)
            backend.drop()
    due = _as_dt(seeded["due"])
    lags = [(_as_dt(r[0]) - due).total_seconds() for r in rows]
    span = max(lags) if lags else float("nan")
    return {
        "backend": "SQLite+SqliteHuey" if kind == "sqlite" else "PostgreSQL+Redis",
        "consumers": consumers,
        "published": len(lags),
        "count": count,
        "p50": _percentile(lags, 0.5) if lags else float("nan"),
        "p99": _percentile(lags, 0.99) if lags else float("nan"),
        "rate": len(lags) / span if lags and span > 0 else float("nan"),
        "unique": stats["unique"],
        "total": stats["total"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--consumers", default="1,4")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--lead", type=int, default=20, help="seconds from seeding to due time")
    args = parser.parse_args(argv)
    print(
        f"{args.count} deliveries due at once to the webhook fake; consumers = processes "
        f"with {args.threads} worker threads each\n"
    )
    header = f"{'backend':<20} {'consumers':>9} {'published':>10} {'lag p50 s':>10} "
    header += f"{'lag p99 s':>10} {'deliveries/s':>13} {'fake unique/total':>18}"
    print(header)
    for kind in args.backends.split(","):
        if kind == "postgres" and not pg_available():
            print(f"{'PostgreSQL+Redis':<20} skipped: no PostgreSQL/Redis on 127.0.0.1")
            continue
        for consumers in (int(c) for c in args.consumers.split(",")):
            r = run_one(kind, args.count, consumers, args.threads, args.lead)
            print(
                f"{r['backend']:<20} {r['consumers']:>9} {r['published']:>10} "
                f"{r['p50']:>10.2f} {r['p99']:>10.2f} {r['rate']:>13.1f} "
                f"{r['unique']:>8}/{r['total']:<9}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
