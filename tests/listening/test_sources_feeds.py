"""RSS and Atom (Google Alerts) against a local fake: conditional GET, bad feeds, SSRF."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from bedside.listening.models import Mention, Source
from bedside.listening.polling import source_poll, sources_due
from tests.fakes.listening_feeds import LAST_MODIFIED, FeedsFake

pytestmark = pytest.mark.django_db


@pytest.fixture
def feeds(server):
    return FeedsFake(server)


def _poll(source, rt, http):  # type: ignore[no-untyped-def]
    outcome = source_poll(source_id=source.pk, rt=rt, http=http, force=True)
    source.refresh_from_db()
    return outcome


def test_rss_items_become_mentions_and_unchanged_feed_costs_a_304(
    monitor, feeds, server, make_source, rt, http
):
    feeds.rss_items = [
        ("n1", "Maple Family Clinic opens Saturdays", "Good news for <b>Springfield</b>"),
        ("n2", "Weather", "Sunny"),
    ]
    rt.build_now()
    source = make_source(f"rss:{server.url}/rss.xml")
    assert _poll(source, rt, http) == "ok"
    mention = Mention.objects.get()
    assert (mention.external_id, mention.url, mention.author) == (
        "n1", "https://news.example/n1", "reporter@news.example (Reporter)",
    )  # fmt: skip
    assert mention.text == "Maple Family Clinic opens Saturdays\nGood news for Springfield"
    assert mention.published_at.isoformat() == "2026-11-21T07:00:00+00:00"
    assert (source.status, source.items_seen, source.etag, source.last_modified) == (
        "ok", 2, '"v1"', LAST_MODIFIED,
    )  # fmt: skip
    assert _poll(source, rt, http) == "not_modified"
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert server.requests[-1].headers["if-modified-since"] == LAST_MODIFIED
    assert (feeds.hits, source.items_seen, Mention.objects.count()) == (1, 2, 1)


def test_google_alerts_atom_unwraps_links_and_strips_html(
    monitor, feeds, server, make_source, rt, http
):
    feeds.atom_items = [
        (
            "tag:google.com,2013:alert/1",
            "<b>Maple Family Clinic</b> wins award",
            "Local &lt;news&gt;",
        )
    ]
    rt.build_now()
    source = make_source(f"atom:{server.url}/alerts.xml")
    assert _poll(source, rt, http) == "ok"
    mention = Mention.objects.get()
    assert mention.url == "https://local.example/tag:google.com,2013:alert/1"
    assert mention.text.startswith("Maple Family Clinic wins award")
    assert mention.highlighted[1] == "Maple Family Clinic"


def test_malformed_feed_is_recorded_and_keeps_stored_mentions(
    monitor, feeds, server, make_source, rt, http
):
    feeds.rss_items = [("n1", "Maple Family Clinic", "")]
    rt.build_now()
    source = make_source(f"rss:{server.url}/rss.xml")
    _poll(source, rt, http)
    source.uri = f"rss:{server.url}/broken.xml"
    source.save()
    with time_machine.travel(timezone.now(), tick=False):
        assert _poll(source, rt, http) == "error"
        assert source.status == Source.Status.ERROR
        assert source.last_error.startswith("The feed could not be read as RSS or Atom:")
        assert source.error_count == 1
        assert (source.backoff_until - timezone.now()).total_seconds() == 30
        _poll(source, rt, http)
        assert (source.backoff_until - timezone.now()).total_seconds() == 60  # doubles
    assert Mention.objects.count() == 1  # nothing already stored is lost


def test_feed_with_recoverable_errors_is_read_and_noted(
    monitor, feeds, server, make_source, rt, http
):
    rt.build_now()
    source = make_source(f"rss:{server.url}/half-broken.xml")
    assert _poll(source, rt, http) == "ok"
    assert source.status == "ok"
    assert "entries were read anyway" in source.last_error
    assert Mention.objects.get().external_id == "hb-1"


def test_huge_feed_is_cut_off_with_a_clear_message(monitor, feeds, server, make_source, rt, http):
    rt.build_now()
    source = make_source(f"rss:{server.url}/huge.xml")
    assert _poll(source, rt, http) == "error"
    assert source.status == "error"
    assert "size limit" in source.last_error
    assert Mention.objects.count() == 0


def test_metadata_address_is_refused_and_source_stops(monitor, make_source, rt, http):
    rt.build_now()
    source = make_source("rss:http://169.254.169.254/latest/meta-data/")
    assert _poll(source, rt, http) == "error"
    assert source.status == Source.Status.DISABLED
    assert source.last_error.startswith("This address is not allowed")
    assert "169.254.169.254" in source.last_error
    assert source.pk not in sources_due()  # the sweeper leaves it alone until edited


def test_server_errors_back_off_and_recover(monitor, feeds, server, make_source, rt, http):
    feeds.rss_items = [("n1", "Maple Family Clinic", "")]
    rt.build_now()
    source = make_source(f"rss:{server.url}/rss.xml")
    server.fail_next(1, "503")
    assert _poll(source, rt, http) == "error"
    assert source.last_error.startswith("Temporary problem, will retry")
    assert source.pk not in sources_due()  # backing off
    assert _poll(source, rt, http) == "ok"
    assert (source.status, source.error_count, source.backoff_until, source.last_error) == (
        "ok",
        0,
        None,
        "",
    )


def test_poll_claims_the_source_so_a_second_run_is_harmless(
    monitor, feeds, server, make_source, rt, http
):
    rt.build_now()
    source = make_source(f"rss:{server.url}/rss.xml")
    assert source.pk in sources_due()
    assert source_poll(source_id=source.pk, rt=rt, http=http) == "ok"
    assert source_poll(source_id=source.pk, rt=rt, http=http) == "not_due"
    assert len(server.requests) == 1


def test_sweeper_enqueues_one_poll_per_due_source(make_source, monkeypatch):
    from bedside.listening import tasks

    due = make_source("rss:https://feeds.example/due.xml")
    make_source(
        "rss:https://feeds.example/later.xml",
        next_poll_at=timezone.now() + timezone.timedelta(hours=1),
    )
    make_source("bluesky:jetstream")  # streams are not polled
    calls = []
    monkeypatch.setattr(tasks, "source_poll_task", calls.append)
    assert tasks.sources_sweep.call_local() == 1
    assert calls == [due.pk]


def test_poll_task_uses_the_process_matcher(monitor, feeds, server, make_source, settings):
    from bedside.listening.tasks import source_poll_task

    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    feeds.rss_items = [("t1", "Maple Family Clinic in the news", "")]
    source = make_source(f"rss:{server.url}/rss.xml")
    assert source_poll_task.call_local(source.pk) == "ok"
    assert source_poll_task.call_local(source.pk) == "not_due"  # run twice: harmless
    assert Mention.objects.get().external_id == "t1"
