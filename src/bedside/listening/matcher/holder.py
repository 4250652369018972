"""Keeps the current matcher and rebuilds it in a background thread.

Readers take `holder.matcher` (one attribute read: atomic under the GIL) and use
that matcher for a whole batch, so they never see a half-built one. A rebuild
builds a new matcher off to the side and swaps the reference; requests that
arrive while a build runs are coalesced into one more build.

A full rebuild with 200,000 phrases takes seconds. `upsert` and `remove` make a
change visible at once: the changed monitors go into a small overlay matcher
layered over the full one (their old version hidden) until the full rebuild
that includes them is swapped in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from .engine import Match, Matcher, MonitorSpec, build_matcher

log = logging.getLogger(__name__)

SpecLoader = Callable[[], Iterable[MonitorSpec]]
MonitorKey = tuple[int, int]  # (practice_id, monitor_id)


def _order(m: Match) -> tuple[int, int, int, int]:
    return m.start, m.end, m.practice_id, m.monitor_id


class LayeredMatcher:
    """A full matcher, minus `hidden` monitors, plus a small overlay matcher.

    Same reading API as `Matcher`; immutable.
    """

    __slots__ = ("base", "overlay", "hidden", "report")

    def __init__(self, base: Matcher, overlay: Matcher, hidden: frozenset[MonitorKey]) -> None:
        self.base = base
        self.overlay = overlay
        self.hidden = hidden
        self.report = base.report

    def match(self, text: str) -> list[Match]:
        return self.match_sparse([text]).get(0, [])

    def match_many(self, texts: Sequence[str]) -> list[list[Match]]:
        hits = self.match_sparse(texts)
        return [hits.get(i, []) for i in range(len(texts))]

    def match_sparse(self, texts: Sequence[str]) -> dict[int, list[Match]]:
        out: dict[int, list[Match]] = {}
        hidden = self.hidden
        for i, found in self.base.match_sparse(texts).items():
            kept = [m for m in found if (m.practice_id, m.monitor_id) not in hidden]
            if kept:
                out[i] = kept
        for i, found in self.overlay.match_sparse(texts).items():
            merged = out.get(i, []) + found
            merged.sort(key=_order)
            out[i] = merged
        return out


class MatcherHolder:
    """The live matcher of a process, with background rebuilds.

    `loader` returns every monitor's spec (the Django layer reads them from the
    database; it runs in the rebuild thread, so it should close its database
    connection when done). `isolated` builds the automaton in a child process
    (see `build_matcher`). Call `start()` once, then `request_rebuild()`
    whenever monitors change (in every process that matches: each holds its
    own matcher), and `wait_for(ticket)` where the change must be visible.
    """

    def __init__(
        self, loader: SpecLoader, *, initial: Matcher | None = None, isolated: bool = True
    ) -> None:
        self._loader = loader
        self._isolated = isolated  # build the automaton in a child process
        self._base: Matcher = initial if initial is not None else build_matcher(())
        self.matcher: Matcher | LayeredMatcher = self._base
        # monitors changed since the base was built: key -> (ticket, spec or None if removed)
        self._pending: dict[MonitorKey, tuple[int, MonitorSpec | None]] = {}
        self.version = 0  # number of the build now serving (0: the initial matcher)
        self.last_error: BaseException | None = None
        self.last_build_seconds = 0.0
        self._started = 0  # builds started so far; each build gets the next number
        self._finished = 0  # number of the last build that finished, well or not
        self._wanted = 0  # highest build number asked for
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    # reading -----------------------------------------------------------------
    def match(self, text: str) -> list[Match]:
        return self.matcher.match(text)

    def match_many(self, texts: Sequence[str]) -> list[list[Match]]:
        return self.matcher.match_many(texts)

    def match_sparse(self, texts: Sequence[str]) -> dict[int, list[Match]]:
        return self.matcher.match_sparse(texts)

    # rebuilding --------------------------------------------------------------
    def request_rebuild(self) -> int:
        """Ask for a rebuild after monitors changed; returns a ticket for `wait_for`.

        The ticket is the number of the next build to start: it reads the
        monitors after this call, so it (and every later build) has the change.
        Requests made while a build runs are coalesced into one more build.
        """
        with self._cond:
            ticket = self._started + 1
            self._wanted = max(self._wanted, ticket)
            self._cond.notify_all()
            return ticket

    def upsert(self, spec: MonitorSpec) -> int:
        """Serve `spec` (a new or changed monitor) at once; returns the full rebuild's ticket.

        Call it after the change is committed where the loader reads it: the
        full rebuild it requests then carries the change and retires the overlay.
        """
        return self._change((spec.practice_id, spec.monitor_id), spec)

    def remove(self, practice_id: int, monitor_id: int) -> int:
        """Stop serving a monitor at once; returns the full rebuild's ticket."""
        return self._change((practice_id, monitor_id), None)

    def _change(self, key: MonitorKey, spec: MonitorSpec | None) -> int:
        with self._cond:
            ticket = self.request_rebuild()
            self._pending[key] = (ticket, spec)
            self._publish()
            return ticket

    def _publish(self) -> None:
        """Point `matcher` at the base, layered with the pending changes (lock held)."""
        if not self._pending:
            self.matcher = self._base
            return
        overlay = build_matcher([spec for _, spec in self._pending.values() if spec is not None])
        self.matcher = LayeredMatcher(self._base, overlay, frozenset(self._pending))

    def rebuild_now(self) -> bool:
        """Build in the calling thread and swap; False (old matcher kept) on error."""
        with self._cond:
            self._started += 1
            number = self._started
        return self._build(number)

    def wait_for(self, ticket: int, timeout: float | None = None) -> bool:
        """Block until build `ticket` finished; True if its change is being served."""
        with self._cond:
            self._cond.wait_for(lambda: self._finished >= ticket, timeout)
            return self.version >= ticket

    def start(self) -> None:
        """Start the background rebuild thread (idempotent)."""
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="matcher-rebuild", daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopping or self._wanted > self._started)
                if self._stopping:
                    return
                self._started += 1
                number = self._started
            self._build(number)

    def _build(self, number: int) -> bool:
        started = time.perf_counter()
        try:
            new = build_matcher(list(self._loader()), isolated=self._isolated)
        except Exception as exc:  # keep serving the previous matcher
            log.exception("matcher build %d failed; keeping the previous matcher", number)
            with self._cond:
                self.last_error = exc
                self._finished = max(self._finished, number)
                self._cond.notify_all()
            return False
        with self._cond:
            if number > self.version:  # never swap an older build over a newer one
                self._base = new
                # changes requested before this build started are in it now
                self._pending = {k: v for k, v in self._pending.items() if v[0] > number}
                self._publish()
                self.version = number
                self.last_build_seconds = time.perf_counter() - started
                self.last_error = None
            self._finished = max(self._finished, number)
            self._cond.notify_all()
        return True
