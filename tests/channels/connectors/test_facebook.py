import json
import logging

import pytest

from bedside.channels.connectors.base import (
    Credentials,
    Media,
    PublishRequest,
    find_recent_match,
    get_connector,
)
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.meta import MetaGraphFake

TOKEN = "EAAG-page-token-0123456789"


@pytest.fixture
def graph():
    with MetaGraphFake(token=TOKEN) as fake:
        yield fake


def make(graph, http, token=TOKEN):
    return get_connector(
        "facebook",
        settings={"base_url": graph.graph_url, "page_id": graph.page_id},
        credentials=Credentials(access_token=token),
        http=http,
    )


def req(text="Flu shots this Saturday.", key="d-1", **kw):
    return PublishRequest(text=text, idempotency_key=key, **kw)


def test_text_post_with_link(graph, http):
    result = make(graph, http).publish(req(link="https://www.cdc.gov/flu"))
    (call,) = graph.requests
    assert (call.method, call.path) == ("POST", f"/v21.0/{graph.page_id}/feed")
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.form() == {
        "message": ["Flu shots this Saturday."],
        "link": ["https://www.cdc.gov/flu"],
        "access_token": [TOKEN],
    }
    assert "access_token" not in call.query  # never in the URL of a POST
    assert result.external_id in graph.posts
    assert result.url == f"https://www.facebook.com/{result.external_id}"
    assert graph.violations == []


def test_single_photo_post(graph, http):
    result = make(graph, http).publish(
        req(media=[Media(b"\xff\xd8jpeg", "image/jpeg", "Our clinic")])
    )
    (call,) = graph.requests
    assert call.path.endswith("/photos")
    parts = call.multipart()
    assert parts["source"][0] == b"\xff\xd8jpeg"
    assert parts["message"][0] == b"Flu shots this Saturday."
    assert parts["alt_text_custom"][0] == b"Our clinic"
    assert parts["published"][0] == b"true"
    assert graph.posts[result.external_id]["photo"]
    assert graph.violations == []


def test_multi_photo_post_uses_attached_media(graph, http):
    media = [Media(b"\x89PNG1", "image/png", "one"), Media(b"\x89PNG2", "image/png", "two")]
    result = make(graph, http).publish(req(media=media))
    assert [r.path.rsplit("/", 1)[1] for r in graph.requests] == ["photos", "photos", "feed"]
    assert all(r.multipart()["published"][0] == b"false" for r in graph.requests[:2])
    attached = graph.posts[result.external_id]["attached"]
    assert [a["media_fbid"] for a in attached] == list(graph.photos)
    assert json.loads(graph.requests[2].form()["attached_media[0]"][0]) == attached[0]
    assert graph.violations == []


def test_expired_token_is_auth_and_redacted(graph, http, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TerminalError) as err:
        make(graph, http, token="EAAG-expired-999999999").publish(req())
    assert err.value.kind == "auth" and "Reconnect" in err.value.user_message
    with pytest.raises(TerminalError):
        make(graph, http, token="EAAG-expired-999999999").recent_posts(5)  # token in the query
    for text in (str(err.value), repr(err.value), caplog.text):
        assert "EAAG-expired-999999999" not in text


@pytest.mark.parametrize(
    ("mode", "exc"),
    [
        ("429", RetryableError),
        ("500", UnknownOutcomeError),
        ("503", RetryableError),
        ("drop", UnknownOutcomeError),
    ],
)
def test_failures(graph, http, mode, exc):
    graph.fail_next(1, mode)
    with pytest.raises(exc):
        make(graph, http).publish(req())


def test_too_long_is_rejected(graph, http):
    with pytest.raises(TerminalError) as err:
        make(graph, http).publish(req(text="a" * 63207))
    assert err.value.kind == "rejected" and "too long" in err.value.user_message


def test_validate_recent_metrics_delete(graph, http):
    c = make(graph, http)
    assert c.validate().name == "Riverside Clinic"
    result = c.publish(req(text="Open on Monday"))
    posts = c.recent_posts(5)
    assert find_recent_match(posts, "Open on Monday").external_id == result.external_id
    assert posts[0].created_at is not None
    assert c.fetch_metrics(result.external_id) == {"reactions": 4, "comments": 1, "shares": 2}
    c.delete(result.external_id)
    c.delete(result.external_id)
    assert graph.posts == {} and graph.violations == []
