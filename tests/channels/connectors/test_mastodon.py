import logging

import pytest

from bedside.channels.connectors.base import (
    Credentials,
    CredentialValidator,
    Media,
    MetricsSource,
    Publisher,
    PublishRequest,
    RecentPostsSource,
    find_recent_match,
    get_connector,
)
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.mastodon import MastodonFake

TOKEN = "masto-token-0123456789"


@pytest.fixture
def masto():
    with MastodonFake(token=TOKEN) as fake:
        yield fake


def make(masto, http, token=TOKEN, **settings):
    return get_connector(
        "mastodon",
        settings={"base_url": masto.url, "media_poll_interval": 0.01, **settings},
        credentials=Credentials(access_token=token),
        http=http,
    )


def req(key="d-1", text="Flu clinic Saturday 9-12.", **kw):
    return PublishRequest(text=text, idempotency_key=key, **kw)


def test_capabilities(masto, http):
    c = make(masto, http)
    for proto in (Publisher, CredentialValidator, RecentPostsSource, MetricsSource):
        assert isinstance(c, proto)


def test_publish_with_media_field_by_field(masto, http):
    c = make(masto, http, language="en")
    image = Media(b"\x89PNG\r\n", "image/png", "Our front desk")
    result = c.publish(req(media=[image], link="https://www.cdc.gov/flu"))
    upload, create = masto.requests
    assert (upload.method, upload.path) == ("POST", "/api/v2/media")
    assert upload.headers["authorization"] == f"Bearer {TOKEN}"
    parts = upload.multipart()
    assert parts["file"][0] == b"\x89PNG\r\n"
    assert parts["file"][1]["content-type"] == "image/png"
    assert parts["description"][0] == b"Our front desk"
    assert (create.method, create.path) == ("POST", "/api/v1/statuses")
    assert create.headers["idempotency-key"] == "d-1"
    assert create.headers["content-type"] == "application/json"
    media_id = next(iter(masto.media))
    assert create.json() == {
        "status": "Flu clinic Saturday 9-12.\n\nhttps://www.cdc.gov/flu",
        "visibility": "public",
        "media_ids": [media_id],
        "language": "en",
    }
    status = masto.statuses[result.external_id]
    assert result.url == status["url"] == f"{masto.url}/@clinic/{result.external_id}"
    assert masto.violations == []


def test_async_media_processing_is_awaited(masto, http):
    masto.process_media_async = True
    result = make(masto, http).publish(req(media=[Media(b"img", "image/jpeg", "alt")]))
    assert [r.path for r in masto.requests][:2] == [
        "/api/v2/media",
        f"/api/v1/media/{next(iter(masto.media))}",
    ]
    assert masto.statuses[result.external_id]["media_attachments"][0]["url"]
    assert masto.violations == []


def test_same_idempotency_key_returns_same_status(masto, http):
    c = make(masto, http)
    assert c.publish(req()) == c.publish(req())
    assert len(masto.statuses) == 1


def test_expired_token_is_auth_error_and_redacted(masto, http, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TerminalError) as err:
        make(masto, http, token="expired-token-abcdefgh").publish(req())
    assert err.value.kind == "auth"
    assert "Mastodon" in err.value.user_message and "Reconnect" in err.value.user_message
    for text in (str(err.value), repr(err.value), caplog.text):
        assert "expired-token-abcdefgh" not in text


def test_injected_401_is_auth(masto, http):
    masto.fail_next(1, "401")
    with pytest.raises(TerminalError) as err:
        make(masto, http).publish(req())
    assert err.value.kind == "auth"


def test_too_long_is_rejected_with_network_reason(masto, http):
    with pytest.raises(TerminalError) as err:
        make(masto, http).publish(req(text="a" * 501))
    assert err.value.kind == "rejected"
    assert "character limit of 500" in err.value.user_message


@pytest.mark.parametrize(
    ("mode", "exc"),
    [
        ("429", RetryableError),
        ("503", RetryableError),
        ("500", UnknownOutcomeError),
        ("drop", UnknownOutcomeError),
    ],
)
def test_failures_classified_and_retry_is_safe(masto, http, mode, exc):
    c = make(masto, http)
    masto.fail_next(1, mode, retry_after=5)
    with pytest.raises(exc) as err:
        c.publish(req())
    if mode == "429":
        assert err.value.retry_after == 5.0
    c.publish(req())
    assert len(masto.statuses) == 1


def test_read_timeout_then_retry_does_not_duplicate(masto):
    from bedside.core.http import HttpClient

    with HttpClient(allowed_networks=["127.0.0.1/32"], read_timeout=0.2) as http:
        c = make(masto, http)
        masto.fail_next(1, "delay", delay=0.4)
        with pytest.raises(UnknownOutcomeError):
            c.publish(req())
        first = c.publish(req())  # the delayed request was applied; the key dedups
    assert len(masto.statuses) == 1
    assert first.external_id in masto.statuses


def test_delete_validate_recent_metrics(masto, http):
    c = make(masto, http)
    published = c.publish(req(text="Walk-in hours & <changes>"))
    info = c.validate()
    assert (info.external_id, info.name, info.handle) == (
        masto.account_id,
        "Riverside Clinic",
        "@clinic",
    )
    posts = c.recent_posts(5)
    assert posts[0].external_id == published.external_id
    assert posts[0].text == "Walk-in hours & <changes>"
    assert (
        find_recent_match(posts, "Walk-in hours & <changes>").external_id == published.external_id
    )
    assert c.fetch_metrics(published.external_id) == {"likes": 0, "reposts": 0, "replies": 0}
    c.delete(published.external_id)
    c.delete(published.external_id)  # already gone: fine
    assert masto.statuses == {}
    assert masto.violations == []


def test_unknown_outcome_during_media_upload_is_retryable(masto, http):
    masto.fail_next(1, "drop")
    with pytest.raises(RetryableError, match="nothing was posted"):
        make(masto, http).publish(req(media=[Media(b"img", "image/png", "alt")]))
    assert masto.statuses == {}
