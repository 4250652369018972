"""Keeps the current matcher and rebuilds it in a background thread.

Readers take `holder.matcher` (one attribute read: atomic under the GIL) and use
that matcher for a whole batch, so they never see a half-built one. A rebuild
builds a new matcher off to the side and swaps the reference; requests that
arrive while a build runs are coalesced into one more build.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from .engine import Match, Matcher, MonitorSpec, build_matcher

log = logging.getLogger(__name__)

SpecLoader = Callable[[], Iterable[MonitorSpec]]


class MatcherHolder:
    """The live matcher of a process, with background rebuilds.

    `loader` returns every monitor's spec (the Django layer reads them from the
    database); it runs in the rebuild thread. `isolated` builds the automaton in
    a child process (see `build_matcher`). Call `start()` once; then `request_rebuild()` whenever monitors
    change, and `wait_for(version)` in tests or benchmarks.
    """

    def __init__(
        self, loader: SpecLoader, *, initial: Matcher | None = None, isolated: bool = True
    ) -> None:
        self._loader = loader
        self._isolated = isolated  # build the automaton in a child process
        self.matcher: Matcher = initial if initial is not None else build_matcher(())
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
                self.matcher = new
                self.version = number
                self.last_build_seconds = time.perf_counter() - started
                self.last_error = None
            self._finished = max(self._finished, number)
            self._cond.notify_all()
        return True
