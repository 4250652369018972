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
    assert " items/s; 50 new mentions (50 stored for this source)" in out
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


def test_once_polls_feeds_and_reads_streams(monitor, server, loopback):
    feeds = FeedsFake(server)
    feeds.rss_items = [("n1", "Maple Family Clinic news", "")]
    with JetstreamFake() as js:
        js.events = [
            post_event("did:plc:z", "k1", "#MapleClinic on bluesky", 1_763_700_000_000_000)
        ]
        out = _listen(
            "--source", f"rss:{server.url}/rss.xml",
            "--source", f"bluesky:{js.url}",
            "--source", "rss:http://169.254.169.254/latest/",
            "--once", "--idle", "1",
        )  # fmt: skip
    assert f"rss:{server.url}/rss.xml: ok" in out
    assert "rss:http://169.254.169.254/latest/: error: This address is not allowed" in out
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == [
        "at://did:plc:z/app.bsky.feed.post/k1", "n1",
    ]  # fmt: skip
    assert Source.objects.get(uri=f"bluesky:{js.url}").cursor == "1763700000000000"
