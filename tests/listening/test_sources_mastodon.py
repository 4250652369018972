"""Mastodon public timelines over REST (since_id cursor) and the streaming API (SSE)."""

from __future__ import annotations

import threading

import pytest

from bedside.listening.models import Mention, Source
from bedside.listening.polling import source_poll, source_stream_run
from tests.fakes.listening_social import SocialFake, status

pytestmark = pytest.mark.django_db


@pytest.fixture
def social(server):
    return SocialFake(server)


def test_hashtag_timeline_polls_newer_posts_only(monitor, social, server, make_source, rt, http):
    social.statuses = [status(1, "Maple Family Clinic <b>rocks</b>"), status(2, "unrelated")]
    rt.build_now()
    source = make_source(f"mastodon:{server.url}/tags/springfield")
    assert source_poll(source_id=source.pk, rt=rt, http=http, force=True) == "ok"
    source.refresh_from_db()
    assert (source.cursor, source.items_seen) == ("2", 2)
    mention = Mention.objects.get()
    assert (mention.external_id, mention.url, mention.author, mention.text) == (
        "https://social.example/users/alice/statuses/1",
        "https://social.example/@alice/1",
        "alice@social.example",
        "Maple Family Clinic rocks",
    )
    assert server.requests[0].path == "/api/v1/timelines/tag/springfield"
    social.statuses.append(status(3, "again Maple Family Clinic"))
    source_poll(source_id=source.pk, rt=rt, http=http, force=True)
    assert server.requests[1].query["since_id"] == ["2"]
    assert Mention.objects.count() == 2
    assert server.violations == []


def test_public_local_timeline(monitor, social, server, make_source, rt, http):
    social.statuses = [status(5, "Maple Family Clinic")]
    rt.build_now()
    source = make_source(f"mastodon:{server.url}/public/local")
    source_poll(source_id=source.pk, rt=rt, http=http, force=True)
    assert server.requests[0].path == "/api/v1/timelines/public"
    assert server.requests[0].query["local"] == ["true"]
    assert Mention.objects.count() == 1


def test_non_json_answer_is_recorded(monitor, server, make_source, rt, http):
    from tests.fakes.server import FakeResponse

    server.route("GET", "/api/v1/timelines/tag/x", lambda req: FakeResponse(200, "<html>oops"))
    rt.build_now()
    source = make_source(f"mastodon:{server.url}/tags/x")
    assert source_poll(source_id=source.pk, rt=rt, http=http, force=True) == "error"
    source.refresh_from_db()
    assert source.last_error.startswith("Mastodon answered something that is not JSON")


def test_streaming_api_reads_updates_and_survives_a_broken_event(
    monitor, social, server, make_source, rt, http
):
    social.statuses = [status(10, "Maple Family Clinic is open late"), status(11, "nothing")]
    social.stream_extra = (
        b"event: update\ndata: {not json\n\nevent: update\ndata: "
        + (
            b'{"id": "12", "uri": "u12", "content": "<p>#MapleClinic again</p>", "account": {"acct": "bob"}}'
        )
        + b"\n\n"
    )
    rt.build_now()
    source = make_source(f"mastodon-stream:{server.url}/tags/springfield")
    source_stream_run(source=source, rt=rt, http=http, stop=threading.Event(), once=True)
    source.refresh_from_db()
    assert server.requests[0].path == "/api/v1/streaming/hashtag"
    assert server.requests[0].query["tag"] == ["springfield"]
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == [
        "https://social.example/users/alice/statuses/10", "u12",
    ]  # fmt: skip
    assert (source.status, source.cursor, source.items_seen) == ("ok", "12", 3)


def test_stream_error_is_recorded_with_backoff(monitor, server, make_source, rt, http):
    rt.build_now()
    source = make_source(f"mastodon-stream:{server.url}/tags/none")
    server.fail_next(1, "503")
    source_stream_run(source=source, rt=rt, http=http, stop=threading.Event(), once=True)
    source.refresh_from_db()
    assert source.status == Source.Status.ERROR
    assert source.last_error.startswith("Temporary problem, will retry")
    assert source.backoff_until is not None


def test_stream_reconnect_fills_the_gap_from_the_rest_timeline(
    monitor, social, server, make_source, rt, http
):
    social.statuses = [status(20, "Maple Family Clinic one"), status(21, "Maple Family Clinic two")]
    rt.build_now()
    source = make_source(f"mastodon-stream:{server.url}/tags/springfield", cursor="20")
    source_stream_run(source=source, rt=rt, http=http, stop=threading.Event(), once=True)
    assert [r.path for r in server.requests] == [
        "/api/v1/timelines/tag/springfield",
        "/api/v1/streaming/hashtag",
    ]
    assert server.requests[0].query["since_id"] == ["20"]
    assert (
        Mention.objects.count() == 2
    )  # 21 from the gap, 20 and 21 again from the stream: once each


def test_stream_line_over_the_cap_is_refused(monitor, server, make_source, rt, http):
    from tests.fakes.server import FakeResponse

    server.route(
        "GET", "/api/v1/streaming/public",
        lambda req: FakeResponse(200, b"data: " + b"x" * (2 * 1024 * 1024), {"Content-Type": "text/event-stream"}),
    )  # fmt: skip
    rt.build_now()
    source = make_source(f"mastodon-stream:{server.url}/public")
    source_stream_run(source=source, rt=rt, http=http, stop=threading.Event(), once=True)
    source.refresh_from_db()
    assert "size limit" in source.last_error


def test_stream_redirect_is_refused(monitor, server, make_source, rt, http):
    from tests.fakes.server import FakeResponse

    server.route(
        "GET", "/api/v1/streaming/public",
        lambda req: FakeResponse(302, b"", {"Location": "http://169.254.169.254/"}),
    )  # fmt: skip
    rt.build_now()
    source = make_source(f"mastodon-stream:{server.url}/public")
    source_stream_run(source=source, rt=rt, http=http, stop=threading.Event(), once=True)
    source.refresh_from_db()
    assert source.status == "disabled"
    assert Mention.objects.count() == 0
