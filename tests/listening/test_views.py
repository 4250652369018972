"""Pages: the stream (highlight, filters, htmx state, chart + table), monitors, sources, alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from bedside.listening.models import AlertSettings, Mention, Monitor, Source

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


def _mention(monitor, source, n, text, start, end, **kw):  # type: ignore[no-untyped-def]
    return Mention.objects.create(
        practice=monitor.practice, monitor=monitor, source=source, phrase="Maple Family Clinic",
        external_id=f"e{n}", text=text, match_start=start, match_end=end,
        published_at=kw.pop("published_at", NOW), **kw,
    )  # fmt: skip


@pytest.fixture
def mentions(monitor):
    source = Source.objects.create(uri="jsonl:-", name="Import")
    return [
        _mention(monitor, source, 1, "Rude staff at maple family clinic <script>", 14, 33, sentiment="negative"),
        _mention(monitor, source, 2, "Maple Family Clinic is lovely", 0, 19, sentiment="positive",
                 published_at=datetime(2026, 11, 19, 15, 0, tzinfo=UTC)),
    ]  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_stream_highlights_the_phrase_and_escapes_text(login, viewer, mentions):
    response = login(viewer).get("/listening/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<mark title="matched: Maple Family Clinic">maple family clinic</mark> &lt;script&gt;'
        in html
    )
    assert "<script>" not in html.split("<main")[1]
    assert f'id="state-{mentions[0].pk}"' not in html  # viewers cannot change state


@time_machine.travel(NOW, tick=False)
def test_stream_filters_by_sentiment_and_date(login, viewer, mentions):
    client = login(viewer)
    html = client.get("/listening/", {"sentiment": "positive"}).content.decode()
    assert "is lovely" in html and "Rude staff" not in html
    html = client.get("/listening/", {"since": "2026-11-20"}).content.decode()
    assert "Rude staff" in html and "is lovely" not in html


@time_machine.travel(NOW, tick=False)
def test_chart_has_an_accessible_table(login, viewer, mentions):
    html = login(viewer).get("/listening/").content.decode()
    assert '<svg role="img" aria-labelledby="chart-title"' in html
    assert "2 mentions over 14 days, 1 negative; busiest day 1." in html
    assert '<th scope="row">Nov 21</th><td>1</td><td>0</td><td>0</td><td>1</td>' in html
    assert '<th scope="row">Nov 19</th><td>0</td><td>0</td><td>1</td><td>1</td>' in html


def test_htmx_state_change_returns_the_mention_fragment(login, editor, mentions):
    mention = mentions[0]
    response = login(editor).post(
        f"/listening/mentions/{mention.pk}/state/", {"state": "answered"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li class="card" id="mention-{mention.pk}">')
    assert "<strong>Answered</strong>" in html
    mention.refresh_from_db()
    assert mention.state == "answered"


def test_viewer_cannot_change_state(login, viewer, mentions):
    response = login(viewer).post(
        f"/listening/mentions/{mentions[0].pk}/state/", {"state": "ignored"}
    )
    assert response.status_code == 403
    mentions[0].refresh_from_db()
    assert mentions[0].state == "new"


def test_monitor_create_edit_delete(login, editor):
    client = login(editor)
    response = client.post(
        "/listening/monitors/new/",
        {"name": "Flu", "phrases": "flu shot\n#FluShot\n", "exclude": "bird flu", "languages": "en es",
         "kind": "topic", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    monitor = Monitor.objects.get()
    assert (monitor.phrases, monitor.exclude, monitor.languages) == (
        ["flu shot", "#FluShot"],
        ["bird flu"],
        ["en", "es"],
    )
    response = client.post(
        f"/listening/monitors/{monitor.pk}/", {"name": "Flu", "phrases": "!!!", "kind": "topic"}
    )
    assert response.status_code == 200
    assert "has no letters or digits to match." in response.content.decode()
    monitor.refresh_from_db()
    assert monitor.phrases == ["flu shot", "#FluShot"]
    client.post(f"/listening/monitors/{monitor.pk}/delete/")
    assert not Monitor.objects.exists()


def test_default_monitors_button(login, editor, practice):
    login(editor).post("/listening/monitors/defaults/")
    assert Monitor.objects.filter(practice=practice, kind="practice_name").count() == 1


def test_source_status_page_shows_the_last_error(login, viewer, practice):
    source = Source.objects.create(
        practice=practice, uri="rss:http://169.254.169.254/", status="disabled",
        last_error="This address is not allowed: Bedside only connects to public internet addresses.",
    )  # fmt: skip
    html = login(viewer).get(f"/listening/sources/{source.pk}/").content.decode()
    assert "Stopped: needs attention" in html
    assert (
        "This address is not allowed: Bedside only connects to public internet addresses." in html
    )
    listing = login(viewer).get("/listening/sources/").content.decode()
    assert "This address is not allowed" in listing


def test_add_source_refuses_a_bad_uri(login, editor):
    response = login(editor).post(
        "/listening/sources/new/", {"uri": "gopher://x", "poll_interval_seconds": 300}
    )
    assert response.status_code == 200
    assert "Unknown source" in response.content.decode()
    assert not Source.objects.exists()


def test_retry_clears_backoff(login, editor, practice):
    source = Source.objects.create(
        practice=practice, uri="rss:https://f.example/x.xml", status="disabled", error_count=4
    )
    login(editor).post(f"/listening/sources/{source.pk}/retry/")
    source.refresh_from_db()
    assert (source.status, source.error_count, source.backoff_until) == ("pending", 0, None)


def test_alert_settings_page(login, editor, viewer, practice):
    html = login(viewer).get("/listening/alerts/").content.decode()
    assert "No alerts sent yet." in html
    response = login(editor).post(
        "/listening/alerts/",
        {
            "instant_negative": "on",
            "spike_threshold": 3,
            "spike_window_minutes": 30,
            "digest_hour": 7,
        },
    )
    assert response.status_code == 302
    conf = AlertSettings.objects.get(practice=practice)
    assert (conf.instant_negative, conf.misinformation_spike, conf.spike_threshold, conf.daily_digest) == (
        True, False, 3, False,
    )  # fmt: skip
    assert login(viewer).post("/listening/alerts/", {"digest_hour": 1}).status_code == 403


def test_stream_query_count_is_flat(login, viewer, monitor, django_assert_max_num_queries):
    source = Source.objects.create(uri="jsonl:-")
    for n in range(30):
        _mention(monitor, source, n, "Maple Family Clinic", 0, 19)
    client = login(viewer)
    with django_assert_max_num_queries(20):
        client.get("/listening/")


def test_dashboard_tile_counts_new_mentions(login, viewer, mentions):
    mentions[1].state = "seen"
    mentions[1].save()
    html = login(viewer).get("/").content.decode()
    assert (
        '<div class="value">1</div><div class="label"><a href="/listening/?state=new">New mentions</a>'
        in html
    )


def test_shared_import_path_is_not_shown_to_practices(login, viewer):
    source = Source.objects.create(uri="jsonl:/srv/imports/secret-name.jsonl")
    html = login(viewer).get(f"/listening/sources/{source.pk}/").content.decode()
    assert "secret-name" not in html
    assert "jsonl: (an import)" in html
