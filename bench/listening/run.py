"""Listening benchmark: `python bench/listening/run.py [--posts N] [--quick] [--engines]`.

For pattern sets of 1,000, 20,000 and 200,000 phrases it prints build time, RSS,
posts/s and MB/s for our matcher and, in the same run, pyahocorasick, a Python `re`
alternation (sampled) and the floor (iterating and lower-casing alone); then the
JSON decode cost of a Jetstream-like event (json, orjson, msgspec), the JSONL
reader's rate, the "add one monitor -> visible" latency with 200,000 phrases, and
the targets with PASS/MISS. Figures are for one thread (one core); the machine is
shared, so run it more than once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

from corpus import make_phrases, make_posts  # noqa: E402
from peers import (  # noqa: E402
    cpu_timed,
    engine_candidates,
    floor,
    folded_batches,
    pyahocorasick_peer,
    re_peer,
    timed,
)

from bedside.listening.matcher import (  # noqa: E402
    BATCH,
    MatcherHolder,
    MonitorSpec,
    build_matcher,
)

TARGET_RATE = 350_000
TARGET_BUILD_S = 10.0
TARGET_RSS_MB = 500.0
TARGET_VISIBLE_S = 10.0


def specs_for(phrases: list[str]) -> list[MonitorSpec]:
    """10 phrases a monitor, 5 monitors a practice, an exclusion on every 7th monitor."""
    return [
        MonitorSpec(
            practice_id=i // 50,
            monitor_id=i // 10,
            phrases=phrases[i : i + 10],
            exclude=["job opening"] if (i // 10) % 7 == 0 else [],
        )
        for i in range(0, len(phrases), 10)
    ]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def probe(n: int, isolated: bool) -> None:
    """Child process: build alone and report build time and RSS as JSON."""
    phrases = make_phrases(n)
    specs = specs_for(phrases)
    before = rss_mb()
    cpu_before = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    seconds, matcher = timed(lambda: build_matcher(specs, isolated=isolated))
    cpu_s = sum(
        (after.ru_utime + after.ru_stime) - (then.ru_utime + then.ru_stime)
        for then, after in zip(
            cpu_before,
            (
                resource.getrusage(resource.RUSAGE_SELF),
                resource.getrusage(resource.RUSAGE_CHILDREN),
            ),
            strict=True,
        )
    )
    posts = list(make_posts(20_000, phrases))
    matcher.match_sparse(posts)
    del posts
    print(
        json.dumps(
            {
                "build_s": seconds,
                "build_cpu_s": cpu_s,
                "rss_before_mb": before,
                "rss_mb": rss_mb(),
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def run_probe(n: int, isolated: bool = False) -> dict[str, float]:
    flag = "--probe-isolated" if isolated else "--probe"
    out = subprocess.run(
        [sys.executable, __file__, flag, str(n)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def rate(label: str, seconds: float, posts: int, nbytes: int, extra: str = "") -> str:
    per_s = posts / seconds if seconds else float("inf")
    mb_s = nbytes / seconds / 1e6 if seconds else float("inf")
    return f"  {label:<34} {per_s:>12,.0f} posts/s {mb_s:>8.1f} MB/s  {extra}"


CPU_NOTE = "rates are per CPU-second of this process (one core), builds and latencies wall-clock"


def best_of(repeat: int, fn) -> tuple[float, object]:
    best = None
    for _ in range(repeat):
        seconds, result = cpu_timed(fn)
        if best is None or seconds < best[0]:
            best = (seconds, result)
    assert best is not None
    return best


def bench_set(n: int, args: argparse.Namespace, results: dict) -> None:
    print(f"\n== {n:,} phrases ==")
    phrases = make_phrases(n)
    specs = specs_for(phrases)
    posts = list(make_posts(args.posts, phrases, non_ascii_rate=args.non_ascii))
    nbytes = sum(len(p.encode()) for p in posts)
    print(
        f"  {len(posts):,} posts, {nbytes / len(posts):.0f} bytes each on average, "
        f"{sum(not p.isascii() for p in posts) / len(posts):.0%} non-ASCII"
    )

    pr = run_probe(n)
    iso = run_probe(n, isolated=True)
    for label, p in (("in-process build", pr), ("isolated build (child process)", iso)):
        print(
            f"  ours, {label}: {p['build_s']:.2f} s ({p['build_cpu_s']:.2f} CPU s); RSS {p['rss_mb']:.0f} MB after build + 20k posts, "
            f"peak {p['peak_mb']:.0f} MB ({p['rss_before_mb']:.0f} MB before build; own process)"
        )
    matcher = build_matcher(specs)
    matcher.match_sparse(posts[:20_000])  # warm caches
    seconds, hits = best_of(args.repeat, lambda: matcher.match_sparse(posts))
    matched = len(hits)
    print(
        rate(
            f"ours (daachorse, batch {BATCH})",
            seconds,
            len(posts),
            nbytes,
            f"{matched / len(posts):.2%} of posts matched; best of {args.repeat}",
        )
    )
    results[n] = {"rate": len(posts) / seconds, **pr, "iso_peak_mb": iso["peak_mb"]}

    peer_posts = posts[: args.peer_posts]
    build_s, run = pyahocorasick_peer(phrases)
    s, _ = cpu_timed(lambda: run(peer_posts))
    print(
        rate(
            "pyahocorasick (lower + iter)",
            s,
            len(peer_posts),
            nbytes * len(peer_posts) // len(posts),
            f"build {build_s:.2f} s",
        )
    )

    build_s, run = re_peer(phrases)
    sample: list[str] = []
    started = time.process_time()
    for post in posts:
        run([post])
        sample.append(post)
        if len(sample) >= args.re_sample or time.process_time() - started > args.re_budget:
            break
    s = time.process_time() - started
    print(
        rate(
            "re alternation (SAMPLED)",
            s,
            len(sample),
            sum(len(p.encode()) for p in sample),
            f"compile {build_s:.2f} s; {len(sample):,} posts sampled, extrapolated",
        )
    )

    s, _ = best_of(args.repeat, lambda: floor(posts))
    print(rate("floor (iterate + lower)", s, len(posts), nbytes))

    if args.engines and n == max(args.sets):
        print("  engines on our folded batches (scan only, the engine choice):")
        batches = folded_batches(posts[:200_000], BATCH)
        scanned = min(len(posts), 200_000)
        for name, (build_s, scan) in engine_candidates(phrases).items():
            s, _ = best_of(args.repeat, lambda scan=scan: [scan(b) for b in batches])
            print(
                rate(
                    f"  {name}",
                    s,
                    scanned,
                    nbytes * scanned // len(posts),
                    f"build {build_s:.2f} s",
                )
            )


def bench_json(args: argparse.Namespace) -> None:
    print("\n== decoding a Jetstream-like event ==")
    from events import EVENT

    raw = json.dumps(EVENT).encode()
    lines = [raw] * args.json_events
    decoders = {"json": json.loads}
    try:
        import orjson

        decoders["orjson"] = orjson.loads
    except ImportError:
        pass
    try:
        import msgspec
        from events import Event

        decoders["msgspec (generic)"] = msgspec.json.Decoder().decode
        decoders["msgspec (typed Struct)"] = msgspec.json.Decoder(Event).decode
    except ImportError:
        pass
    print(f"  event of {len(raw)} bytes, {len(lines):,} decodes each")
    for name, decode in decoders.items():

        def decode_all(decode=decode) -> None:
            for line in lines:
                decode(line)  # results dropped at once, as a streaming consumer would

        s, _ = best_of(args.repeat, decode_all)
        print(f"  {name:<26} {s / len(lines) * 1e6:6.2f} µs/event")


def bench_jsonl(args: argparse.Namespace) -> float | None:
    try:
        from bedside.listening.jsonl import read_items
    except ImportError:
        return None
    import io

    print("\n== JSONL reader (bedside.listening.jsonl) ==")
    n = args.json_events
    rows = [
        json.dumps(
            {
                "id": i,
                "text": f"post {i} about dr smith and the flu shot",
                "author": "a",
                "created_at": "2026-11-21T08:40:00Z",
            }
        ).encode()
        for i in range(n)
    ]
    data = b"\n".join(rows) + b"\n"
    s, _ = best_of(args.repeat, lambda: sum(1 for _ in read_items(io.BytesIO(data))))
    print(f"  {n / s:,.0f} lines/s ({len(data) / s / 1e6:.0f} MB/s), with created_at parsed")
    return n / s


def bench_visible(args: argparse.Namespace) -> tuple[float, float, float]:
    """Seconds until a new monitor matches: via `upsert` (overlay), and via a full rebuild."""
    n = max(args.sets)
    print(f"\n== add one monitor -> visible, {n:,} phrases ==")
    phrases = make_phrases(n)
    specs = specs_for(phrases)
    holder = MatcherHolder(lambda: specs)
    holder.rebuild_now()
    holder.start()
    posts = list(make_posts(50_000, phrases))
    try:
        upserts, rebuilds = [], []
        for load in (False, True):
            stop = threading.Event()
            reader = threading.Thread(
                target=lambda stop=stop: [
                    holder.matcher.match_sparse(posts) for _ in iter(stop.is_set, True)
                ]
            )
            if load:
                reader.start()
            text = f"a brand new phrase {int(load)}"
            spec = MonitorSpec(999_999, 999_999 + load, [f"brand new phrase {int(load)}"])
            specs.append(spec)
            started = time.perf_counter()
            ticket = holder.upsert(spec)
            upsert_s = time.perf_counter() - started
            visible_now = bool(holder.matcher.match(text))
            ok = holder.wait_for(ticket, timeout=120)
            rebuild_s = time.perf_counter() - started
            visible = ok and bool(holder.matcher.match(text))
            stop.set()
            if load:
                reader.join()
            label = "while a reader matches" if load else "idle"
            print(
                f"  {label:<24} upsert {upsert_s * 1000:6.1f} ms (visible: {visible_now}); "
                f"full rebuild {rebuild_s:6.2f} s (visible: {visible})"
            )
            upserts.append(upsert_s)
            rebuilds.append(rebuild_s)
        return max(upserts), rebuilds[0], rebuilds[1]
    finally:
        holder.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument(
        "--quick", action="store_true", help="100k posts, smaller samples, one repeat"
    )
    parser.add_argument("--engines", action="store_true", help="also compare candidate automata")
    parser.add_argument(
        "--non-ascii", type=float, default=0.1, help="share of posts with non-ASCII"
    )
    parser.add_argument(
        "--sets", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 20000, 200000]
    )
    parser.add_argument("--probe", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--probe-isolated", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe or args.probe_isolated:
        probe(args.probe or args.probe_isolated, isolated=bool(args.probe_isolated))
        return
    if args.quick:
        args.posts = min(args.posts, 100_000)
    args.repeat = 1 if args.quick else 2
    args.peer_posts = min(args.posts, 100_000 if args.quick else 300_000)
    args.re_sample, args.re_budget = (200, 5.0) if args.quick else (1000, 15.0)
    args.json_events = 100_000 if args.quick else 300_000

    print(
        f"listening benchmark: Python {platform.python_version()}, {os.cpu_count()} cpus "
        f"(one thread measured), {args.posts:,} posts, sets {args.sets}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"  {CPU_NOTE}; load from other work still skews both")
    results: dict = {}
    for n in args.sets:
        bench_set(n, args, results)
    bench_json(args)
    jsonl_rate = bench_jsonl(args)
    upsert_s, idle, loaded = bench_visible(args)

    n = max(args.sets)
    r = results[n]
    print(f"\n== targets ({n:,} phrases, one core) ==")
    checks = [
        (
            f"matcher >= {TARGET_RATE:,} posts/s",
            r["rate"] >= TARGET_RATE,
            f"{r['rate']:,.0f} posts/s",
        ),
        (
            f"build <= {TARGET_BUILD_S:.0f} s",
            r["build_cpu_s"] <= TARGET_BUILD_S,
            f"{r['build_cpu_s']:.2f} CPU s (in-process build; {r['build_s']:.2f} s wall at load "
            f"{os.getloadavg()[0]:.1f})",
        ),
        (
            f"RSS <= {TARGET_RSS_MB:.0f} MB",
            r["peak_mb"] <= TARGET_RSS_MB,
            f"peak {r['peak_mb']:.0f} MB (in-process build); "
            f"{r['iso_peak_mb']:.0f} MB serving with the holder's isolated build",
        ),
        (
            f"add monitor visible <= {TARGET_VISIBLE_S:.0f} s",
            upsert_s <= TARGET_VISIBLE_S,
            f"{upsert_s * 1000:.0f} ms with upsert; full rebuild {idle:.2f} s idle, "
            f"{loaded:.2f} s with a reader (wall, load {os.getloadavg()[0]:.1f})",
        ),
    ]
    if jsonl_rate is not None:
        checks.append(
            (
                "JSONL reader ~1M lines/s (goal)",
                jsonl_rate >= 1_000_000,
                f"{jsonl_rate:,.0f} lines/s",
            )
        )
    for label, ok, figure in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {label:<36} {figure}")


if __name__ == "__main__":
    main()
