"""`bedside listen`: JSONL imports end to end, re-runs, bad URIs, polling and streams with --once."""

from __future__ import annotations

from io import StringIO

import orjson
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bedside.listening.models import Mention, Source
from tests.fakes.listening_feeds import FeedsFake
from tests.fakes.listening_jetstream import JetstreamFake, post_event

pytestmark = pytest.mark.django_db(transaction=True)


def _listen(*args: str) -> str:
    out = StringIO()
    call_command("listen", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def loopback(settings):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]


def test_jsonl_import_stores_every_mention_once_and_reports_items_per_second(monitor, tmp_path):
    path = tmp_path / "items.jsonl"
    rows = [
        {"id": f"i{n}", "text": f"post {n}" + (" at Maple Family Clinic" if n % 100 == 0 else "")}
        for n in range(5000)
    ]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n{bad line\n")
    out = _listen("--source", f"jsonl:{path}", "--once")
    assert f"jsonl:{path}: 5,000 items in " in out
    assert " per CPU second of this process); 50 new mentions (50 stored for this source)" in out
    assert "1 invalid line(s) skipped" in out
    out = _listen("--source", f"jsonl:{path}", "--once")
    assert "; 0 new mentions (50 stored for this source)" in out
    assert Mention.objects.count() == 50
    source = Source.objects.get()
    assert (source.uri, source.practice, source.items_seen) == (f"jsonl:{path}", None, 10000)
    assert source.last_error.startswith("1 invalid line(s) skipped")


def test_unknown_source_uri_exits_2_with_one_line():
    with pytest.raises(CommandError) as exc:
        _listen("--source", "ftp://example.org/feed", "--once")
    assert exc.value.returncode == 2
    assert str(exc.value).startswith("Unknown source 'ftp://example.org/feed'")
    assert Source.objects.count() == 0


def test_no_sources_exits_2():
    with pytest.raises(CommandError) as exc:
        _listen("--once")
    assert exc.value.returncode == 2


def test_missing_file_is_recorded_not_crashing(monitor):
    out = _listen("--source", "jsonl:/nope/x.jsonl", "--once")
    assert "0 items" in out
    assert Source.objects.get().last_error == "Cannot read /nope/x.jsonl: No such file or directory"


def test_once_polls_feeds_and_records_refused_addresses(monitor, server, loopback):
    feeds = FeedsFake(server)
    feeds.rss_items = [("n1", "Maple Family Clinic news", "")]
    out = _listen(
        "--source", f"rss:{server.url}/rss.xml", "--source", "rss:http://169.254.169.254/latest/", "--once",
    )  # fmt: skip
    assert f"rss:{server.url}/rss.xml: ok" in out
    assert "rss:http://169.254.169.254/latest/: error: This address is not allowed" in out
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["n1"]
    assert Source.objects.get(uri="rss:http://169.254.169.254/latest/").status == "disabled"


def test_once_reads_a_stream_until_it_ends(monitor, loopback):
    # One source per test: the in-memory SQLite of the test run cannot take concurrent
    # writers from several threads (SQLITE_LOCKED); a file database in WAL mode can.
    with JetstreamFake() as js:
        js.events = [
            post_event("did:plc:z", "k1", "#MapleClinic on bluesky", 1_763_700_000_000_000)
        ]
        _listen("--source", f"bluesky:{js.url}", "--once", "--idle", "1")
    assert list(Mention.objects.values_list("external_id", flat=True)) == [
        "at://did:plc:z/app.bsky.feed.post/k1"
    ]
    assert Source.objects.get(uri=f"bluesky:{js.url}").cursor == "1763700000000000"


@pytest.mark.slow
def test_running_ingestor_matches_a_monitor_added_meanwhile_within_ten_seconds(
    editor, server, loopback
):
    """The command polls a feed in a loop; a monitor created elsewhere is live within 10 s."""
    import threading
    import time

    from bedside.listening.services import monitor_create

    feeds = FeedsFake(server)
    feeds.rss_items = [("old", "Flu clinic hours", "")]
    uri = f"rss:{server.url}/rss.xml"
    Source.objects.create(uri=uri, poll_interval_seconds=1)
    runner = threading.Thread(target=_listen, args=("--source", uri, "--for", "14"))
    runner.start()
    try:
        time.sleep(1.5)  # the first poll happened: nothing matched
        assert Mention.objects.count() == 0
        monitor_create(actor=editor, name="Flu", phrases=["flu clinic"])
        created = time.monotonic()
        n = 0
        while not Mention.objects.exists() and time.monotonic() - created < 10:
            n += 1  # a new post a second, as a live feed would have
            feeds.rss_items.append((f"new-{n}", f"Flu clinic news {n}", ""))
            feeds.version += 1  # the feed changed: a 200, not a 304
            time.sleep(1.0)
        visible_after = time.monotonic() - created
        assert visible_after < 10, "the new monitor matched nothing for 10 s"
        assert Mention.objects.filter(external_id__startswith="new-").exists()
    finally:
        runner.join(20)
    assert not runner.is_alive()
