"""One automaton for every monitor of every practice.

Engine: daachorse (a double-array Aho-Corasick automaton in Rust), chosen by
measurement (bench/listening/run.py, docs in the module `bedside.listening.matcher`).
Posts are folded a batch at a time into one buffer, the automaton runs once over
the buffer, and only the rare hits go back to Python to find their post, their
offsets in the original text and their monitors.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import daachorse

from .normalize import SEP, collapse_spaces, fold_batch, fold_phrases, token_spans

log = logging.getLogger(__name__)

BATCH = 1024  # posts folded and scanned per automaton call
RUN = b"  "  # two spaces: a post that has them is collapsed and scanned again


@dataclass(frozen=True, slots=True)
class MonitorSpec:
    """What one monitor listens for: any of `phrases`, unless any of `exclude` is present."""

    practice_id: int
    monitor_id: int
    phrases: Sequence[str]
    exclude: Sequence[str] = ()


class Match(NamedTuple):
    """One phrase of one monitor found in a text; `text[start:end]` is what to highlight."""

    practice_id: int
    monitor_id: int
    phrase: str
    start: int
    end: int


# One target of a folded pattern: (practice_id, monitor_id, phrase, is_exclusion).
_Target = tuple[int, int, str, bool]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What went into a matcher: counts, skipped phrases (nothing left after folding), time."""

    monitors: int
    phrases: int
    patterns: int
    skipped: tuple[tuple[int, int, str], ...] = field(default=())
    seconds: float = 0.0


class Matcher:
    """Immutable; safe to share between threads. Build with `build_matcher`."""

    __slots__ = ("_automaton", "_targets", "report")

    def __init__(
        self,
        automaton: daachorse.DoubleArrayAhoCorasick | None,
        targets: list[tuple[_Target, ...]],
        report: BuildReport,
    ) -> None:
        self._automaton = automaton
        self._targets = targets
        self.report = report

    def match(self, text: str) -> list[Match]:
        """All matches in `text`, ordered by position."""
        return self.match_sparse([text]).get(0, [])

    def match_many(self, texts: Sequence[str]) -> list[list[Match]]:
        """Matches for each text, in order (an empty list for most of them)."""
        hits = self.match_sparse(texts)
        return [hits.get(i, []) for i in range(len(texts))]

    def match_sparse(self, texts: Sequence[str]) -> dict[int, list[Match]]:
        """{index in `texts`: its matches}, only for texts that matched: the fast call."""
        out: dict[int, list[Match]] = {}
        if self._automaton is None:
            return out
        for base in range(0, len(texts), BATCH):
            chunk = list(texts[base : base + BATCH])
            data = fold_batch(chunk, collapse=False)
            raw = self._automaton.find_overlapping(data)
            if raw:
                self._resolve(chunk, base, data, raw, out)
        return out

    def _resolve(
        self,
        chunk: list[str],
        base: int,
        data: bytes,
        raw: list[tuple[int, int, int]],
        out: dict[int, list[Match]],
    ) -> None:
        """Turn automaton hits (buffer offsets) into per-post Matches.

        The buffer was not collapsed, so a post with a run of spaces may hide a
        phrase ("dr  smith"). The automaton also reports b"  " (the last pattern):
        those posts are collapsed and scanned again, on their own.
        """
        run_pid = len(self._targets)
        per_post, runs = _by_post(data, raw, run_pid)
        if runs:
            posts = sorted(runs)
            again = collapse_spaces(SEP.join([data[runs[p][0] : runs[p][1]] for p in posts]))
            fixed, _ = _by_post(again, self._automaton.find_overlapping(again), run_pid)
            for i, post in enumerate(posts):
                if i in fixed:
                    per_post[post] = fixed[i]
                else:
                    per_post.pop(post, None)
        for post, hits in per_post.items():
            matches = self._post_matches(chunk[post], hits)
            if matches:
                out[base + post] = matches

    def _post_matches(self, text: str, hits: list[tuple[int, int, int]]) -> list[Match]:
        targets = self._targets
        excluded = {(t[0], t[1]) for h in hits for t in targets[h[2]] if t[3]}
        found = [
            (practice_id, monitor_id, phrase, first, last)
            for first, last, pid in hits
            for practice_id, monitor_id, phrase, is_exclusion in targets[pid]
            if not is_exclusion and (practice_id, monitor_id) not in excluded
        ]
        return _with_text_offsets(text, found) if found else []


_CHILD = (
    "import sys, daachorse; p = sys.stdin.buffer.read().split(b'\\n'); "
    "sys.stdout.buffer.write(daachorse.DoubleArrayAhoCorasick(p).serialize())"
)


def _automaton(patterns: list[bytes], isolated: bool) -> daachorse.DoubleArrayAhoCorasick:
    """Folded patterns never contain b"\\n" (a break), so they travel one a line."""
    if isolated:
        try:
            out = subprocess.run(
                [sys.executable, "-c", _CHILD],
                input=b"\n".join(patterns),
                capture_output=True,
                check=True,
                timeout=600,
            ).stdout
            return daachorse.DoubleArrayAhoCorasick.deserialize(out)
        except (OSError, subprocess.SubprocessError, ValueError):
            log.exception("isolated matcher build failed; building in this process")
    automaton = daachorse.DoubleArrayAhoCorasick(patterns)
    _release_freed_memory()
    return automaton


def _release_freed_memory() -> None:
    """Give the build's freed heap back to the OS (glibc keeps it otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _by_post(
    data: bytes, raw: list[tuple[int, int, int]], run_pid: int
) -> tuple[dict[int, list[tuple[int, int, int]]], dict[int, tuple[int, int]]]:
    """Group buffer hits by post.

    Returns ({post: [(first_token, last_token, pid)]}, {post with a run of
    spaces: (segment start, segment end)}). Token numbers count the spaces
    before the hit in its segment, which is right only without runs.
    """
    per_post: dict[int, list[tuple[int, int, int]]] = {}
    runs: dict[int, tuple[int, int]] = {}
    post = 0
    counted_to = 0
    for start, end, pid in sorted(raw):
        post += data.count(SEP, counted_to, start)
        counted_to = start
        if post in runs:
            continue
        seg = data.rfind(SEP, 0, start) + 1
        if pid == run_pid:
            seg_end = data.find(SEP, start)
            seg_end = len(data) if seg_end < 0 else seg_end
            if data.count(b" ", start, seg_end) < seg_end - start:  # trailing runs hide nothing
                runs[post] = (seg, seg_end)
            continue
        first = data.count(b" ", seg, start + 1) - 1
        last = first + data.count(b" ", start + 1, end - 1)
        per_post.setdefault(post, []).append((first, last, pid))
    return per_post, runs


def _with_text_offsets(text: str, found: list[tuple[int, int, str, int, int]]) -> list[Match]:
    """Map token numbers to offsets in `text`."""
    spans = token_spans(text, upto=max(f[4] for f in found))
    matches = []
    for practice_id, monitor_id, phrase, first_token, last_token in found:
        first, last = spans[first_token][0], spans[last_token][1]
        if phrase[:1] in "#@" and first > 0 and text[first - 1] == phrase[0]:
            first -= 1  # highlight the "#" of "#flushot" too
        matches.append(Match(practice_id, monitor_id, phrase, first, last))
    matches.sort(key=lambda m: (m.start, m.end, m.practice_id, m.monitor_id))
    return matches


def build_matcher(specs: Iterable[MonitorSpec], *, isolated: bool = False) -> Matcher:
    """Compile all monitors into one matcher. Phrases that fold to nothing are skipped.

    With `isolated`, the automaton is built in a child process and handed back
    serialized: building 200,000 phrases peaks at ~300 MB and holds the GIL for
    about a second, the child takes both off the serving process (which then
    holds ~26 MB for it). Falls back to building here if the child fails.
    """
    started = time.perf_counter()
    specs = list(specs)
    texts: list[str] = []  # every phrase and exclusion, spec after spec, folded in one go
    for spec in specs:
        for group in (spec.phrases, spec.exclude):
            if isinstance(group, str):  # a bare string would be read as one phrase per letter
                raise TypeError(f"monitor {spec.monitor_id}: phrases and exclude must be lists")
            texts.extend(group)
    folded = iter(fold_phrases(texts))
    index: dict[bytes, int] = {}
    patterns: list[bytes] = []
    targets: list[list[_Target]] = []
    skipped: list[tuple[int, int, str]] = []
    for spec in specs:
        seen: set[tuple[bytes, bool]] = set()
        for is_exclusion, group in ((False, spec.phrases), (True, spec.exclude)):
            for phrase in group:
                pattern = next(folded)
                if not pattern:
                    skipped.append((spec.practice_id, spec.monitor_id, phrase))
                    continue
                if (pattern, is_exclusion) in seen:
                    continue  # "Dr. Smith" and "dr smith" of one monitor: report once
                seen.add((pattern, is_exclusion))
                pid = index.get(pattern)
                if pid is None:
                    pid = index[pattern] = len(patterns)
                    patterns.append(pattern)
                    targets.append([])
                targets[pid].append((spec.practice_id, spec.monitor_id, phrase, is_exclusion))
    # the last pattern finds runs of spaces (see Matcher._resolve)
    automaton = _automaton([*patterns, RUN], isolated) if patterns else None
    report = BuildReport(
        monitors=len(specs),
        phrases=len(texts),
        patterns=len(patterns),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - started,
    )
    return Matcher(automaton, [tuple(t) for t in targets], report)
