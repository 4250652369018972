"""End to end: `bedside listen --source jsonl:FILE --once` on N items (default 1,000,000).

Generates N posts of about 200 bytes, ~1% of them naming one phrase of one of
the monitors (phrases made of words the filler never uses, so the expected
mentions are known exactly), then in a subprocess on a fresh database:
migrate, create a practice with monitors, run the command, count mentions, run
it again and count again (duplicates must be 0). SQLite always; PostgreSQL too
when DATABASE_URL names one (a scratch database is created and dropped there).

    PYTHONPATH=src python bench/listening/e2e.py [--items N] [--monitors M]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
FILLER = (
    "the a clinic today waiting room doctor nurse appointment visit great morning coffee weather "
    "city park traffic school game weekend family friends new open late early week news update "
    "health tips walk run sleep water food market sale music film book read photo"
).split()
MOODS = ["", " worst visit ever, rude staff", " great care, thank you", " ok"]


def phrase(i: int) -> str:
    return f"qzv{i} clinic"


def generate(path: Path, n: int, monitors: int, hit_rate: float, seed: int = 7) -> int:
    rnd = random.Random(seed)
    hits = 0
    with path.open("wb") as out:
        buf = []
        for i in range(n):
            words = rnd.choices(FILLER, k=22)
            if rnd.random() < hit_rate:
                words.insert(rnd.randrange(len(words)), phrase(rnd.randrange(monitors)).title())
                hits += 1
                text = " ".join(words) + rnd.choice(MOODS)
            else:
                text = " ".join(words)
            buf.append(
                orjson.dumps(
                    {
                        "id": f"item-{i}",
                        "text": text,
                        "author": f"user{i % 5000}",
                        "url": f"https://example.org/p/{i}",
                        "created_at": "2026-11-21T08:00:00Z",
                    }
                )
            )
            if len(buf) >= 10000:
                out.write(b"\n".join(buf) + b"\n")
                buf = []
        if buf:
            out.write(b"\n".join(buf) + b"\n")
    return hits


SETUP = """
from bedside.core.models import Practice
from bedside.listening.models import Monitor
p, _ = Practice.objects.get_or_create(slug="bench", defaults={"name": "Bench Clinic"})
Monitor.objects.bulk_create([
    Monitor(practice=p, name=f"m{i}", phrases=[f"qzv{i} clinic"], kind="custom")
    for i in range(%d)
], ignore_conflicts=True)
"""
COUNT = "from bedside.listening.models import Mention; print('COUNT', Mention.objects.count())"


def bedside(env: dict, *args: str, input_: str | None = None) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "bedside", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=input_,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"bedside {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def count(env: dict) -> int:
    out = bedside(env, "shell", "-c", COUNT)
    return int(re.search(r"COUNT (\d+)", out).group(1))


def run_on(label: str, db_url: str, data: Path, expected: int, monitors: int, tmp: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "BEDSIDE_DEBUG": "1",
        "BEDSIDE_DATA_DIR": str(tmp / "var"),
        "BEDSIDE_QUEUE_URL": f"sqlite:///{tmp / 'queue.sqlite3'}",
        "PYTHONPATH": f"{ROOT / 'src'}:{os.environ.get('PYTHONPATH', '')}",
    }
    bedside(env, "migrate", "--noinput", "-v0")
    bedside(env, "shell", "-c", SETUP % monitors)
    results = {}
    for attempt in ("first", "re-run"):
        started = time.perf_counter()
        out = bedside(env, "listen", "--source", f"jsonl:{data}", "--once")
        wall = time.perf_counter() - started
        rate = re.search(r"= ([\d,]+) items/s \(([\d,]+) per CPU", out)
        stored = count(env)
        results[attempt] = (
            int(rate.group(1).replace(",", "")) if rate else 0,
            wall,
            stored,
            int(rate.group(2).replace(",", "")) if rate else 0,
        )
        print(f"  [{label}] {attempt}: {out.strip().splitlines()[-1]}")
        print(
            f"  [{label}] {attempt}: wall {wall:.1f} s (incl. start-up), mentions stored {stored:,}"
        )
    first, again = results["first"], results["re-run"]
    ok = first[2] == expected and again[2] == first[2]
    print(
        f"  [{label}] expected {expected:,} mentions: stored {first[2]:,}; re-run duplicates "
        f"{again[2] - first[2]:,}; {'OK' if ok else 'MISMATCH'}; command items/s {first[0]:,} "
        f"(target >= 100,000: {'met' if first[0] >= 100_000 else 'MISSED'}; "
        f"{first[3]:,} per CPU second, which other load on the machine does not skew)"
    )
    return {"rate": first[0], "stored": first[2], "dups": again[2] - first[2], "ok": ok}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--monitors", type=int, default=200)
    parser.add_argument("--hit-rate", type=float, default=0.01)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bedside-e2e-") as tmpdir:
        tmp = Path(tmpdir)
        data = tmp / "items.jsonl"
        started = time.perf_counter()
        expected = generate(data, args.items, args.monitors, args.hit_rate)
        size = data.stat().st_size
        print(
            f"generated {args.items:,} items ({size / 1e6:.0f} MB, {size / args.items:.0f} B/item), "
            f"{expected:,} hits over {args.monitors} monitors in {time.perf_counter() - started:.1f} s"
        )
        run_on("sqlite", f"sqlite:///{tmp / 'e2e.sqlite3'}", data, expected, args.monitors, tmp)
        pg = os.environ.get("DATABASE_URL", "")
        if pg.startswith(("postgres://", "postgresql://")):
            import psycopg

            name = f"bedside_e2e_{os.getpid()}"
            base = pg.rsplit("/", 1)[0]
            with psycopg.connect(pg, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                run_on("postgresql", f"{base}/{name}", data, expected, args.monitors, tmp)
            finally:
                with psycopg.connect(pg, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print("  [postgresql] skipped: set DATABASE_URL=postgres://... to run it too")


if __name__ == "__main__":
    main()
