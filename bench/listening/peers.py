"""The peers our matcher is measured against, each written the way one would.

* pyahocorasick: lower-case each post, pad with spaces, iterate the automaton of
  " phrase " keys (whole words by the padding; no accent or punctuation folding).
* re: one alternation \\b(?:p1|p2|...)\\b, IGNORECASE; sampled (it is slow).
* floor: iterate the posts and lower-case them, nothing else.
* engines: the candidate automata on our own folded batches (the choice of engine).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from bedside.listening.matcher.normalize import fold_batch, fold_phrase


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Wall-clock seconds (builds, latencies)."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def cpu_timed(fn: Callable[[], object]) -> tuple[float, object]:
    """CPU seconds of this process: one-core throughput even when others load the machine."""
    started = time.process_time()
    result = fn()
    return time.process_time() - started, result


def pyahocorasick_peer(phrases: Sequence[str]) -> tuple[float, Callable[[list[str]], int]]:
    import ahocorasick

    def build() -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for i, phrase in enumerate(phrases):
            automaton.add_word(" " + phrase.lower() + " ", i)
        automaton.make_automaton()
        return automaton

    seconds, automaton = timed(build)

    def run(posts: list[str]) -> int:
        hits = 0
        it = automaton.iter
        for post in posts:
            for _ in it(" " + post.lower() + " "):
                hits += 1
        return hits

    return seconds, run


def re_peer(phrases: Sequence[str]) -> tuple[float, Callable[[list[str]], int]]:
    alternation = "|".join(re.escape(p.lower()) for p in phrases)
    seconds, pattern = timed(lambda: re.compile(r"\b(?:" + alternation + r")\b", re.IGNORECASE))

    def run(posts: list[str]) -> int:
        return sum(1 for post in posts for _ in pattern.finditer(post))

    return seconds, run


def floor(posts: list[str]) -> int:
    n = 0
    for post in posts:
        post.lower()
        n += 1
    return n


def engine_candidates(phrases: Sequence[str]) -> dict[str, tuple[float, Callable[[bytes], int]]]:
    """Each available automaton built on our folded phrases: {name: (build s, scan)}."""
    patterns = sorted({p for p in map(fold_phrase, phrases) if p})
    out: dict[str, tuple[float, Callable[[bytes], int]]] = {}
    import daachorse

    s, d = timed(lambda: daachorse.DoubleArrayAhoCorasick(patterns))
    out["daachorse"] = (s, lambda data: len(d.find_overlapping(data)))
    try:
        import ahocorasick_rs as ars

        s, a = timed(lambda: ars.BytesAhoCorasick(patterns))
        out["ahocorasick-rs"] = (
            s,
            lambda data: len(a.find_matches_as_indexes(data, overlapping=True)),
        )
    except ImportError:
        pass
    try:
        import hyperscan as hs

        def build_hs() -> object:
            db = hs.Database(mode=hs.HS_MODE_BLOCK)
            db.compile(expressions=patterns, ids=list(range(len(patterns))), flags=0, literal=True)
            return db

        s, db = timed(build_hs)
        scratch = hs.Scratch(db)

        def scan_hs(data: bytes) -> int:
            found = []
            db.scan(data, match_event_handler=lambda *a: found.append(a[0]), scratch=scratch)
            return len(found)

        out["hyperscan literal"] = (s, scan_hs)
    except ImportError:
        pass
    import ahocorasick

    def build_pyac() -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for i, p in enumerate(patterns):
            automaton.add_word(p.decode(), i)
        automaton.make_automaton()
        return automaton

    s, pa = timed(build_pyac)
    out["pyahocorasick"] = (s, lambda data: sum(1 for _ in pa.iter(data.decode())))
    return out


def folded_batches(posts: list[str], size: int) -> list[bytes]:
    return [fold_batch(posts[i : i + size], collapse=False) for i in range(0, len(posts), size)]
