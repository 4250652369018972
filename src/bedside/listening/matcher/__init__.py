"""Social-listening matcher: every monitor of every practice in one automaton.

Pure Python plus the daachorse extension; no Django. Public API::

    spec = MonitorSpec(practice_id=1, monitor_id=7, phrases=["Café Clínica", "#flushot"],
                       exclude=["cafe clinica closed"])
    matcher = build_matcher([spec, ...])
    matcher.match("Loved CAFE clinica!")          # [Match(1, 7, "Café Clínica", 6, 18)]
    matcher.match_sparse(posts)                     # {index: [Match, ...]} for hits only
    matcher.match_many(posts)                       # one list per post

    holder = MatcherHolder(load_specs_from_db); holder.start()
    ticket = holder.request_rebuild(); holder.wait_for(ticket, timeout=10)
    holder.upsert(spec); holder.remove(practice_id, monitor_id)   # visible at once
    holder.matcher.match_sparse(posts)              # take `holder.matcher` once per batch

Matching rules (see `normalize`): whole words and phrases, case-, accent- and
punctuation-insensitive ("Dr. Smith's" contains "dr smith"); "#" and "@" are
ignored, so "#FluShot" matches the phrase "#flushot" (and "flushot"). Offsets
(`start`, `end`) index the original text (Python str indices).
"""

from .engine import BATCH, BuildReport, Match, Matcher, MonitorSpec, build_matcher
from .holder import LayeredMatcher, MatcherHolder
from .normalize import fold

__all__ = [
    "BATCH",
    "BuildReport",
    "LayeredMatcher",
    "Match",
    "Matcher",
    "MatcherHolder",
    "MonitorSpec",
    "build_matcher",
    "fold",
]
