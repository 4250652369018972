"""Invariants the database holds: a mention is stored once, sources are unique per owner."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bedside.listening.models import Mention, Source

pytestmark = pytest.mark.django_db


def _mention(monitor, source, external_id="x1", **kw):  # type: ignore[no-untyped-def]
    return Mention.objects.create(
        practice=monitor.practice,
        monitor=monitor,
        source=source,
        phrase="Maple Family Clinic",
        external_id=external_id,
        text=kw.pop("text", "I love Maple Family Clinic"),
        match_start=kw.pop("match_start", 7),
        match_end=kw.pop("match_end", 26),
        published_at=timezone.now(),
        **kw,
    )


def test_same_item_for_same_monitor_and_source_is_stored_once(monitor, make_source):
    source = make_source("jsonl:/tmp/a.jsonl")
    _mention(monitor, source)
    with pytest.raises(IntegrityError), transaction.atomic():
        _mention(monitor, source)
    assert Mention.objects.count() == 1


def test_same_item_from_another_source_is_another_mention(monitor, make_source):
    _mention(monitor, make_source("jsonl:/tmp/a.jsonl"))
    _mention(monitor, make_source("jsonl:/tmp/b.jsonl"))
    assert Mention.objects.count() == 2


def test_highlight_splits_text_at_the_match(monitor, make_source):
    m = _mention(monitor, make_source("jsonl:-"))
    assert m.highlighted == ("I love ", "Maple Family Clinic", "")


def test_highlight_with_bad_offsets_shows_plain_text(monitor, make_source):
    m = _mention(monitor, make_source("jsonl:-"), match_start=5, match_end=500)
    assert m.highlighted == ("I love Maple Family Clinic", "", "")


def test_global_source_uri_is_unique(make_source, practice):
    make_source("rss:https://feeds.example/a.xml")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source("rss:https://feeds.example/a.xml")
    make_source("rss:https://feeds.example/a.xml", practice=practice)  # a practice's own is fine
    assert Source.objects.count() == 2


def test_source_kind_is_the_uri_scheme(make_source):
    assert make_source("mastodon-stream:https://social.example/tags/flu").kind == "mastodon-stream"
