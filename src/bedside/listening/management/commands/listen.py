"""`bedside listen [--source URI ...] [--once]`: run the listening ingestors.

Without --source every active source in the database runs; with it, the given
URIs (created as global sources on first use). JSONL files are read first and
report their own items/s. With --once each source runs one round (a poll, one
stream connection until idle, a file) and the command exits; without, polling
sources are polled when due and streams reconnect until Ctrl-C / SIGTERM.
Shard across machines by giving each ingestor its own --source list.
"""

from __future__ import annotations

import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from bedside.core.http import HttpClient
from bedside.listening.ingest import source_for_uri
from bedside.listening.models import Mention, Source
from bedside.listening.polling import (
    source_file_run,
    source_poll,
    source_stream_run,
    sources_due,
)
from bedside.listening.runtime import ListeningRuntime
from bedside.listening.sources import POLLING, STREAMING, SourceURIError, split_uri


class Command(BaseCommand):
    help = "Run the listening ingestors (feeds, Mastodon, Bluesky, Reddit, JSONL files)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            metavar="URI",
            help="rss:URL, atom:URL, mastodon:URL, mastodon-stream:URL, bluesky:jetstream, "
            "reddit:URL, jsonl:FILE or jsonl:- (repeatable)",
        )
        parser.add_argument(
            "--once", action="store_true", help="One round of each source, then exit."
        )
        parser.add_argument(
            "--for",
            dest="run_for",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Without --once: stop after this many seconds (default: until SIGINT/SIGTERM).",
        )
        parser.add_argument(
            "--idle",
            type=float,
            default=5.0,
            help="With --once: stop a stream after this many quiet seconds (default 5).",
        )

    def handle(self, *args, source, once, idle, run_for=None, **options):  # type: ignore[no-untyped-def]
        for uri in source:
            try:
                split_uri(uri)
            except SourceURIError as exc:
                raise CommandError(str(exc), returncode=2) from None
        sources = (
            [source_for_uri(uri=uri) for uri in source]
            if source
            else list(Source.objects.filter(active=True))
        )
        if not sources:
            raise CommandError(
                "No sources: add one on the Sources page or pass --source URI.", returncode=2
            )
        rt = ListeningRuntime()
        rt.build_now()
        self.stdout.write(
            f"matcher: {rt.holder.matcher.report.monitors} monitors, "
            f"{rt.holder.matcher.report.patterns} patterns"
        )
        stop = threading.Event()
        if not once:
            rt.holder.start()
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(sig, lambda *_: stop.set())
            if run_for:
                timer = threading.Timer(run_for, stop.set)
                timer.daemon = True
                timer.start()
        http = HttpClient()
        try:
            self._files(sources, rt)
            threads = self._streams(sources, rt, http, stop, once, idle)
            if threads or any(s.kind in POLLING for s in sources):
                self._polls(sources, rt, http, stop, once)
            for t in threads:
                t.join()
        finally:
            stop.set()
            rt.stop()
            http.close()

    def _files(self, sources, rt) -> None:  # type: ignore[no-untyped-def]
        for src in sources:
            if src.kind != "jsonl":
                continue
            before = Mention.objects.filter(source=src).count()
            cpu = time.process_time()
            items, seconds = source_file_run(source=src, rt=rt)
            cpu = time.process_time() - cpu
            after = Mention.objects.filter(source=src).count()
            src.refresh_from_db()
            rate = items / seconds if seconds else 0.0
            per_cpu = items / cpu if cpu else 0.0
            self.stdout.write(
                f"{src.uri}: {items:,} items in {seconds:.2f} s = {rate:,.0f} items/s "
                f"({per_cpu:,.0f} per CPU second of this process); "
                f"{after - before:,} new mentions ({after:,} stored for this source)"
            )
            if src.last_error:
                self.stderr.write(f"{src.uri}: {src.last_error}")

    def _streams(self, sources, rt, http, stop, once, idle):  # type: ignore[no-untyped-def]
        threads = []
        for src in sources:
            if src.kind not in STREAMING:
                continue
            kw = {"idle_timeout": idle} if (once and src.kind == "bluesky") else {}
            t = threading.Thread(
                target=_stream_thread,
                args=(src, rt, http, stop, once, kw),
                name=f"listen-{src.pk}",
                daemon=True,
            )
            t.start()
            threads.append(t)
        return threads

    def _polls(self, sources, rt, http, stop, once) -> None:  # type: ignore[no-untyped-def]
        polling = [s.pk for s in sources if s.kind in POLLING]
        if once:
            for pk in polling:
                outcome = source_poll(source_id=pk, rt=rt, http=http, force=True)
                src = Source.objects.get(pk=pk)
                self.stdout.write(
                    f"{src.uri}: {outcome}{': ' + src.last_error if src.last_error else ''}"
                )
            return
        while not stop.is_set():
            rt.refresh_if_changed()
            for pk in set(sources_due()) & set(polling):
                source_poll(source_id=pk, rt=rt, http=http)
            stop.wait(1.0)


def _stream_thread(src, rt, http, stop, once, kw) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    try:
        source_stream_run(source=src, rt=rt, http=http, stop=stop, once=once, **kw)
    finally:
        connection.close()
        time.sleep(0)
