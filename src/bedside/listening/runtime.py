"""The process's live matcher over every active monitor, kept fresh.

One `ListeningRuntime` per process (`runtime()`): the `bedside listen` command,
a Huey worker running poll tasks, or a web process. Monitors change in any
process, so each runtime watches a cheap signature of the monitor table (row
count and latest `updated_at`) with `refresh_if_changed()`; the ingest loops call
it every couple of seconds, and monitor services call `notify_changed()` on
commit for the local process. A change is served within one rebuild (seconds).
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max

from bedside.listening.matcher import MatcherHolder, MonitorSpec
from bedside.listening.myths import myth_specs

CHECK_EVERY = 2.0  # seconds between signature checks


class MonitorInfo(NamedTuple):
    practice_id: int
    kind: str
    languages: frozenset[str]


class ListeningRuntime:
    """A MatcherHolder fed from the database, plus per-monitor facts the ingestor needs."""

    def __init__(self, *, isolated: bool = True) -> None:
        self.monitors: dict[int, MonitorInfo] = {}
        # isolated: the automaton is built in a child process (see build_matcher)
        self.holder = MatcherHolder(self._load, isolated=isolated)
        self._signature: tuple | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _load(self) -> list[MonitorSpec]:
        from bedside.listening.models import Monitor

        in_thread = threading.current_thread() is not threading.main_thread()
        try:
            rows = list(
                Monitor.objects.filter(active=True).values_list(
                    "id", "practice_id", "phrases", "exclude", "kind", "languages"
                )
            )
        finally:
            if in_thread:
                connection.close()
        specs, info = [], {}
        for mid, pid, phrases, exclude, kind, languages in rows:
            specs.append(MonitorSpec(pid, mid, tuple(phrases or ()), tuple(exclude or ())))
            info[mid] = MonitorInfo(pid, kind, frozenset(x.lower() for x in languages or ()))
        specs.extend(myth_specs())  # Bedside's myth list rides in the same automaton
        # New monitors appear here before the matcher that reports them is swapped in
        # (harmless); deleted ones vanish first, so their last hits are dropped.
        self.monitors = info
        return specs

    @staticmethod
    def signature() -> tuple:
        from bedside.listening.models import Monitor

        agg = Monitor.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
        return agg["n"], agg["latest"]

    def build_now(self) -> None:
        """Build in this thread (startup, tests); the signature is taken first."""
        self._signature = self.signature()
        self._checked = time.monotonic()
        self.holder.rebuild_now()

    def start(self) -> None:
        """Build once, then rebuild in the background on every change."""
        with self._lock:
            if self._signature is None:
                self.build_now()
            self.holder.start()

    def refresh_if_changed(self, *, force: bool = False) -> int | None:
        """Request a background rebuild if monitors changed; returns its ticket."""
        now = time.monotonic()
        if not force and now - self._checked < CHECK_EVERY:
            return None
        self._checked = now
        sig = self.signature()
        if sig == self._signature:
            return None
        self._signature = sig
        return self.holder.request_rebuild()

    def notify_changed(self) -> None:
        if self._signature is not None:
            self.refresh_if_changed(force=True)

    def stop(self) -> None:
        self.holder.stop()


_runtime: ListeningRuntime | None = None
_runtime_lock = threading.Lock()


def runtime(*, start: bool = True) -> ListeningRuntime:
    """This process's runtime, started (built) on first use."""
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = ListeningRuntime()
            if start:  # (huey's db_task manages the worker's connections)
                _runtime.start()
        return _runtime


def notify_monitors_changed() -> None:
    """Called on commit by monitor services: rebuild this process's matcher if it has one."""
    if _runtime is not None:
        _runtime.notify_changed()


def reset_runtime() -> None:
    """Tests: forget this process's runtime."""
    global _runtime
    with _runtime_lock:
        if _runtime is not None:
            _runtime.stop()
        _runtime = None
