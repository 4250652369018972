"""Bluesky Jetstream over a local WebSocket: posts, cursor resume, dropped connections, SSRF."""

from __future__ import annotations

import threading

import pytest

from bedside.listening.models import Mention, Source
from bedside.listening.polling import source_stream_run
from bedside.listening.sources.bluesky import REWIND_US, url_with_cursor
from tests.fakes.listening_jetstream import JetstreamFake, post_event

pytestmark = pytest.mark.django_db(transaction=True)
T0 = 1_763_700_000_000_000


@pytest.fixture
def jetstream():
    with JetstreamFake() as js:
        js.events = [
            post_event("did:plc:a", "r1", "Maple Family Clinic was great", T0),
            post_event("did:plc:b", "r2", "unrelated post", T0 + 1000),
            post_event("did:plc:c", "r3", "Leaving #MapleClinic now", T0 + 2000),
        ]
        yield js


def _run(source, rt, http, **kw):  # type: ignore[no-untyped-def]
    source_stream_run(
        source=source, rt=rt, http=http, stop=threading.Event(), once=True, idle_timeout=2, **kw
    )
    source.refresh_from_db()


def test_posts_become_mentions_and_cursor_is_saved(monitor, jetstream, make_source, rt, http):
    rt.build_now()
    source = make_source(f"bluesky:{jetstream.url}")
    _run(source, rt, http)
    mention = Mention.objects.order_by("external_id").first()
    assert (mention.external_id, mention.author, mention.url) == (
        "at://did:plc:a/app.bsky.feed.post/r1", "did:plc:a", "https://bsky.app/profile/did:plc:a/post/r1",
    )  # fmt: skip
    assert Mention.objects.count() == 2
    assert (source.status, source.cursor, source.items_seen) == ("ok", str(T0 + 2000), 3)
    assert jetstream.cursors == [None]


def test_restart_resumes_from_the_cursor_without_duplicates(
    monitor, jetstream, make_source, rt, http
):
    rt.build_now()
    source = make_source(f"bluesky:{jetstream.url}", cursor=str(T0 + 1500 + REWIND_US))
    _run(source, rt, http)
    assert jetstream.cursors == [str(T0 + 1500)]  # rewound 5 s, as Jetstream advises
    assert list(Mention.objects.values_list("external_id", flat=True)) == [
        "at://did:plc:c/app.bsky.feed.post/r3"
    ]
    _run(source, rt, http)  # the 5 s rewind replays r1 too; it is new, so stored
    _run(source, rt, http)  # replayed events are not stored twice
    assert Mention.objects.count() == 2


def test_dropped_mid_message_keeps_what_was_read_and_reconnects(
    monitor, jetstream, make_source, rt, http
):
    rt.build_now()
    jetstream.drop_after = 1
    source = make_source(f"bluesky:{jetstream.url}")
    _run(source, rt, http)
    assert source.status == Source.Status.ERROR
    assert "dropped" in source.last_error
    assert source.cursor == str(T0)  # the one event read before the cut
    assert Mention.objects.count() == 1
    _run(source, rt, http)  # the next run resumes and completes
    assert jetstream.cursors[-1] == str(max(T0 - REWIND_US, 0))
    assert (source.status, Mention.objects.count()) == ("ok", 2)


def test_invalid_events_are_skipped(monitor, jetstream, make_source, rt, http):
    jetstream.raw_before = ["{not json", '{"did": 5}', "[]"]
    rt.build_now()
    source = make_source(f"bluesky:{jetstream.url}")
    _run(source, rt, http)
    assert (source.status, Mention.objects.count()) == ("ok", 2)


def test_metadata_address_is_refused(monitor, make_source, rt, http):
    rt.build_now()
    source = make_source("bluesky:ws://169.254.169.254/subscribe")
    _run(source, rt, http)
    assert source.status == Source.Status.DISABLED
    assert source.last_error.startswith("This address is not allowed")


def test_cursor_url_keeps_the_query():
    url = url_with_cursor(
        "wss://js.example/subscribe?wantedCollections=app.bsky.feed.post", str(10 * REWIND_US)
    )
    assert (
        url
        == f"wss://js.example/subscribe?wantedCollections=app.bsky.feed.post&cursor={9 * REWIND_US}"
    )
