"""Site benchmark: `python bench/site/run.py [--duration S] [--connections N] [--workers N]`.

Starts Bedside in its production mode (gunicorn, several sync workers, DEBUG off,
BEDSIDE_SECRET_KEY set, a fresh SQLite database in a temporary data directory with
the embedded database cache), seeds one practice with a thread of 200 replies, and
measures requests/s and p95 latency of:

  static   a plain static file served by the same server (WhiteNoise) — the ceiling
  home     the practice home page /p/<slug>/
  thread   a thread page with 200 replies /p/<slug>/threads/<id>/

with wrk (Debian's package) when installed, else a small bounded Python load
generator (threads + http.client; it is slower than wrk, so its figures are a floor).
Both share this machine's cores with the server. Targets: home within 3x of the
static ceiling (home rps >= static rps / 3); thread page p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bedside(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "bedside", *args], env=env, check=True, cwd=ROOT)


def wait_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def run_wrk(url: str, duration: int, connections: int, cookie: str = "") -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(HERE / "latency.lua"),
         *headers, url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def run_python(url: str, duration: int, connections: int, cookie: str = "") -> dict:
    """Bounded: `connections` threads, keep-alive, each sending requests back to back."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                conn.request("GET", parts.path, headers={"Cookie": cookie} if cookie else {})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": q[49],
            "p95": q[94], "p99": q[98], "errors": errors[0], "non2xx": 0}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--python-loadgen", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--cache-url", default="", help="BEDSIDE_CACHE_URL (e.g. redis://127.0.0.1:6379/9)"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a disposable PostgreSQL database (default: a fresh SQLite file in a temp dir)",
    )
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="bedside-bench-site-"))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "DJANGO_SETTINGS_MODULE": "bedside.config.settings",
        "BEDSIDE_DATA_DIR": str(data),
        "BEDSIDE_SECRET_KEY": secrets.token_urlsafe(40),
        "BEDSIDE_DEBUG": "0",
        "BEDSIDE_TESTING": "0",
        "BEDSIDE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEDSIDE_LOG_LEVEL": "WARNING",
    }
    env.pop("BEDSIDE_CACHE_URL", None)
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.cache_url:
        env["BEDSIDE_CACHE_URL"] = args.cache_url
    server = None
    try:
        bedside(env, "migrate", "--noinput", "-v0")
        bedside(env, "createcachetable")
        seeded = json.loads(
            subprocess.run([sys.executable, str(HERE / "seed.py")], env=env, check=True,
                           capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bedside.config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "sync", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        wait_up(port)
        base = f"http://127.0.0.1:{port}"
        urls = {
            "static": f"{base}/static/community/site.css",
            "home": f"{base}/p/{seeded['slug']}/",
            "thread": f"{base}/p/{seeded['slug']}/threads/{seeded['thread']}/",
        }
        use_wrk = shutil.which("wrk") is not None and not args.python_loadgen
        load = run_wrk if use_wrk else run_python
        member_cookie = f"sessionid={seeded['session']}"
        for url in urls.values():  # warm every worker's imports and the page cache
            run_python(url, 1, args.workers * 2)
        run_python(urls["thread"], 1, args.workers * 2, member_cookie)
        results = {name: load(url, args.duration, args.connections) for name, url in urls.items()}
        # Informational: a signed-in member's thread page is rendered per request (forms,
        # CSRF token, own held posts); only its 200-post list is cached (per thread version).
        results["thread (member)"] = load(
            urls["thread"], args.duration, args.connections, member_cookie
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)

    gen = "wrk 2 threads" if use_wrk else "Python load generator (threads, keep-alive)"
    cache_kind = "Redis cache" if args.cache_url else "database cache"
    db_kind = "PostgreSQL" if args.database_url else "SQLite"
    print(f"bench-site: gunicorn {args.workers} sync workers, DEBUG off, {db_kind} + {cache_kind}; "
          f"load: {gen}, {args.connections} connections, {args.duration}s per URL; "
          f"{os.cpu_count()} CPU cores shared by server and load generator")  # fmt: skip
    print(f"{'page':<16} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:<16} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p95']:>8.2f} {r['p99']:>8.2f} "
              f"{r['errors'] + r['non2xx']:>7}")  # fmt: skip
    ratio = results["static"]["rps"] / max(results["home"]["rps"], 1e-9)
    home_ok = ratio <= 3.0
    thread_ok = results["thread"]["p95"] < 100.0
    print(f"target  home within 3x of the static ceiling: static/home = {ratio:.2f}x "
          f"-> {'PASS' if home_ok else 'MISS'}")  # fmt: skip
    print(f"target  thread page (200 replies) p95 < 100 ms: {results['thread']['p95']:.1f} ms "
          f"-> {'PASS' if thread_ok else 'MISS'}")  # fmt: skip
    member_p95 = results["thread (member)"]["p95"]
    print(f"info    same thread page signed in as a member (rendered per request): p95 "
          f"{member_p95:.1f} ms -> {'PASS' if member_p95 < 100 else 'MISS'} against the same target")  # fmt: skip
    errors = sum(r["errors"] + r["non2xx"] for r in results.values())
    return 0 if home_ok and thread_ok and errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
