"""`bedside run`: the web server and a queue worker under one process tree.

Both are child processes; Ctrl-C (SIGINT) or SIGTERM stops both, and if one
dies the other is stopped too, so nothing is left running half-way.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Start the web server (gunicorn) and, unless --no-worker, one Huey worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Start only the web server.")
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes.")

    def handle(self, *args, host, port, no_worker, web_workers, **options):
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port", returncode=2)
        web = [
            sys.executable, "-m", "gunicorn", "bedside.config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(web_workers), "--threads", "4",
            "--access-logfile", "-", "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(M)sms',
            "--graceful-timeout", "5",
        ]  # fmt: skip
        children = {"web": subprocess.Popen(web)}
        if not no_worker:
            children["worker"] = subprocess.Popen([sys.executable, "-m", "bedside", "worker"])
        self.stdout.write(f"Bedside is running on http://{host}:{port}/ (Ctrl-C stops it)")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    self.stderr.write(f"{name} exited with status {proc.returncode}; stopping")
                    exit_code = proc.returncode or 1
                    stopping = True
            time.sleep(0.3)
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        self.stdout.write("Bedside stopped.")
        if exit_code:
            raise SystemExit(exit_code)
