import pytest

from bedside.channels.connectors.base import Credentials, Media, PublishRequest, get_connector
from bedside.core.http import RetryableError, TerminalError
from tests.fakes.meta import MetaGraphFake
from tests.fakes.server import FakeResponse

TOKEN = "EAAG-ig-token-0123456789"
IMG = Media(b"\xff\xd8jpeg", "image/jpeg", "Team photo", url="https://cdn.example.org/team.jpg")


@pytest.fixture
def graph():
    with MetaGraphFake(token=TOKEN) as fake:
        yield fake


def make(graph, http):
    return get_connector(
        "instagram",
        settings={
            "base_url": graph.graph_url,
            "ig_user_id": graph.ig_user_id,
            "poll_interval": 0.01,
        },
        credentials=Credentials(access_token=TOKEN),
        http=http,
    )


def req(text="Meet our team! #teamwork", key="d-1", **kw):
    return PublishRequest(text=text, idempotency_key=key, **kw)


def test_container_then_publish(graph, http):
    graph.container_polls_before_finished = 2
    result = make(graph, http).publish(req(media=[IMG]))
    steps = [(r.method, r.path.rsplit("/", 1)[1]) for r in graph.requests]
    container = next(iter(graph.containers))
    assert steps == [
        ("POST", "media"),
        ("GET", container),
        ("GET", container),
        ("GET", container),
        ("POST", "media_publish"),
        ("GET", result.external_id),
    ]
    create = graph.requests[0].form()
    assert create == {
        "image_url": [IMG.url],
        "caption": ["Meet our team! #teamwork"],
        "alt_text": ["Team photo"],
        "access_token": [TOKEN],
    }
    assert graph.requests[4].form()["creation_id"] == [container]
    assert result.url == f"https://www.instagram.com/p/FAKE{result.external_id}/"
    assert graph.violations == []


def test_carousel(graph, http):
    media = [IMG, Media(b"2", "image/jpeg", "Lobby", url="https://cdn.example.org/lobby.jpg")]
    result = make(graph, http).publish(req(media=media))
    carousel = graph.ig_media[result.external_id]["container"]
    assert carousel["media_type"] == "CAROUSEL" and len(carousel["children"].split(",")) == 2
    assert graph.violations == []


def test_image_required(graph, http):
    with pytest.raises(TerminalError) as err:
        make(graph, http).publish(req())
    assert err.value.kind == "rejected" and "Instagram needs an image" in err.value.user_message
    with pytest.raises(TerminalError, match="public address"):
        make(graph, http).publish(req(media=[Media(b"x", "image/jpeg", "alt")]))
    assert graph.requests == []


def test_caption_limits_checked_before_sending(graph, http):
    with pytest.raises(TerminalError, match="2200"):
        make(graph, http).publish(req(text="a" * 2201, media=[IMG]))
    assert graph.requests == []


def test_publishing_limit_is_retryable(graph, http):
    graph.fail_next(1, "429")
    with pytest.raises(RetryableError):
        make(graph, http).publish(req(media=[IMG]))


def test_delete_not_supported_and_validate_recent_metrics(graph, http):
    c = make(graph, http)
    result = c.publish(req(media=[IMG]))
    with pytest.raises(TerminalError) as err:
        c.delete(result.external_id)
    assert err.value.kind == "config"
    assert c.validate().handle == "@riversideclinic"
    assert c.recent_posts(3)[0].text == "Meet our team! #teamwork"
    assert c.fetch_metrics(result.external_id) == {"likes": 7, "comments": 2}


def test_failure_after_publish_still_reports_success(graph, http):
    real_dispatch = graph._dispatch

    def dispatch(req):  # the permalink read (GET of the new media) fails
        if req.method == "GET" and req.path.rsplit("/", 1)[1] in graph.ig_media:
            return FakeResponse(503, {"error": {"message": "busy", "code": 2}})
        return real_dispatch(req)

    graph._dispatch = dispatch
    result = make(graph, http).publish(req(media=[IMG]))
    assert result.external_id in graph.ig_media and result.url is None


def test_unknown_outcome_while_creating_container_is_retryable(graph, http):
    graph.fail_next(1, "drop")
    with pytest.raises(RetryableError, match="nothing was posted"):
        make(graph, http).publish(req(media=[IMG]))
    assert graph.ig_media == {}
