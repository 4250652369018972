"""Demo listening data for Maple Family Clinic: default monitors and a few mentions.

Idempotent: monitors are created by name once, mentions by their unique key.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bedside.core.models import Practice
from bedside.listening.analysis import is_bedside_myth, sentiment
from bedside.listening.ingest import best_per_monitor, source_for_uri
from bedside.listening.matcher import MonitorSpec, build_matcher
from bedside.listening.models import Mention, Monitor
from bedside.listening.services import monitor_defaults_create

SAMPLES = [
    (
        "demo-1",
        "Maple Family Clinic got me in the same day, great care and friendly nurses!",
        "@sam",
    ),
    ("demo-2", "Waited two hours at Maple Family Clinic, rude front desk. Never again.", "@jlee"),
    ("demo-3", "Dr. Priya Raman explained everything so clearly, thank you!", "@parent_of_3"),
    ("demo-4", "Reminder: the flu shot gives you the flu, skip it this year", "@healthtruths"),
    ("demo-5", "Anyone been to Maple Family Clinic for a sports physical?", "@coach_b"),
]


def seed() -> None:
    practice = Practice.objects.filter(slug="maple-family-clinic").first()
    if practice is None:
        return
    monitor_defaults_create(practice=practice)
    monitors = list(Monitor.objects.filter(practice=practice, active=True))
    matcher = build_matcher(
        MonitorSpec(practice.pk, m.pk, tuple(m.phrases), tuple(m.exclude)) for m in monitors
    )
    kinds = {m.pk: m.kind for m in monitors}
    source = source_for_uri(uri="rss:https://maple.example/demo-feed.xml", practice=practice)
    source.name = source.name or "Demo feed"
    source.active = False  # not a real address: never fetched
    source.save(update_fields=["name", "active"])
    now = timezone.now()
    for n, (ident, text, author) in enumerate(SAMPLES):
        for match in best_per_monitor(matcher.match(text)):
            Mention.objects.get_or_create(
                monitor_id=match.monitor_id,
                source=source,
                external_id=ident,
                defaults={
                    "practice": practice,
                    "phrase": match.phrase,
                    "url": f"https://social.example/{ident}",
                    "author": author,
                    "text": text,
                    "match_start": match.start,
                    "match_end": match.end,
                    "published_at": now - timedelta(hours=7 * n + 1),
                    "sentiment": sentiment(text),
                    "misinformation": is_bedside_myth(text) or kinds[match.monitor_id] == "myth",
                },
            )
