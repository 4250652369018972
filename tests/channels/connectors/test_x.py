from datetime import UTC, datetime, timedelta

import pytest

from bedside.channels.connectors.base import (
    Credentials,
    Media,
    PublishRequest,
    find_recent_match,
    get_connector,
    publish_is_idempotent,
)
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.x import XFake


@pytest.fixture
def xf():
    with XFake() as fake:
        yield fake


def make(xf, http, creds=None, saved=None):
    if creds is None:
        access, refresh = xf.issue()
        creds = Credentials(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) + timedelta(hours=2),
        )
    return get_connector(
        "x",
        settings={"base_url": xf.url, "client_id": xf.client_id, "username": "riversideclinic"},
        credentials=Credentials(**{**creds.__dict__, "extra": {"client_secret": xf.client_secret}}),
        http=http,
        on_credentials_refreshed=(saved.append if saved is not None else None),
    )


def req(text="Flu shots: walk in Saturdays 9-12 🩺", key="d-1", **kw):
    return PublishRequest(text=text, idempotency_key=key, **kw)


def test_publish_with_media_and_alt_text(xf, http):
    c = make(xf, http)
    result = c.publish(
        req(media=[Media(b"\x89PNG", "image/png", "Flu clinic sign")], link="https://cdc.gov/flu")
    )
    upload, meta, tweet = xf.requests
    assert upload.path == "/2/media/upload" and upload.multipart()["media"][0] == b"\x89PNG"
    assert upload.multipart()["media_category"][0] == b"tweet_image"
    media_id = next(iter(xf.media))
    assert meta.json() == {"id": media_id, "metadata": {"alt_text": {"text": "Flu clinic sign"}}}
    assert tweet.headers["content-type"] == "application/json"
    assert tweet.json() == {
        "text": "Flu shots: walk in Saturdays 9-12 🩺\n\nhttps://cdc.gov/flu",
        "media": {"media_ids": [media_id]},
    }
    assert result.external_id in xf.tweets
    assert result.url == f"https://x.com/riversideclinic/status/{result.external_id}"
    assert xf.violations == []
    assert publish_is_idempotent("x") is False


def test_expired_access_token_refreshes_and_stores_rotated_refresh_token(xf, http):
    saved = []
    c = make(xf, http, saved=saved)
    old_refresh = c.credentials.refresh_token
    xf.expire_access_tokens()
    c.publish(req())
    assert [r.path for r in xf.requests] == ["/2/tweets", "/2/oauth2/token", "/2/tweets"]
    token_req = xf.requests[1]
    assert token_req.form()["grant_type"] == ["refresh_token"]
    assert token_req.form()["refresh_token"] == [old_refresh]
    assert token_req.form()["client_id"] == [xf.client_id]
    (new,) = saved
    assert new.refresh_token in xf.refresh and new.refresh_token != old_refresh
    assert new.expires_at > datetime.now(UTC) + timedelta(minutes=100)
    assert new.extra["client_secret"] == xf.client_secret
    assert len(xf.tweets) == 1 and xf.violations == []


def test_token_about_to_expire_is_refreshed_first(xf, http):
    access, refresh = xf.issue()
    saved = []
    c = make(
        xf,
        http,
        Credentials(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) + timedelta(seconds=10),
        ),
        saved,
    )
    c.publish(req())
    assert [r.path for r in xf.requests] == ["/2/oauth2/token", "/2/tweets"]
    assert len(saved) == 1


def test_revoked_refresh_token_is_auth_error(xf, http):
    c = make(
        xf, http, Credentials(access_token="gone-access-123", refresh_token="gone-refresh-456")
    )
    with pytest.raises(TerminalError) as err:
        c.publish(req())
    assert err.value.kind == "auth"
    assert err.value.user_message.startswith("The connection to X has expired")
    for secret in ("gone-access-123", "gone-refresh-456", xf.client_secret):
        assert secret not in repr(err.value) and secret not in str(err.value)


def test_network_error_during_refresh_stays_retryable(xf, http):
    access, refresh = xf.issue()
    c = make(
        xf,
        http,
        Credentials(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) - timedelta(seconds=1),
        ),
    )
    xf.fail_next(1, "503")
    with pytest.raises(RetryableError):
        c.publish(req())
    assert refresh in xf.refresh  # not consumed: the channel stays connected


def test_too_long_and_duplicate_are_rejected(xf, http):
    c = make(xf, http)
    with pytest.raises(TerminalError) as err:
        c.publish(req(text="日本語" * 50))  # 300 weighted
    assert err.value.kind == "rejected" and "too long" in err.value.user_message
    c.publish(req())
    with pytest.raises(TerminalError) as err:
        c.publish(req(key="d-2"))
    assert err.value.kind == "rejected" and "already posted" in err.value.user_message


def test_rate_limit_uses_reset_header(xf, http):
    c = make(xf, http)
    xf.fail_next(1, "429", retry_after=15)
    with pytest.raises(RetryableError) as err:
        c.publish(req())
    assert err.value.retry_after == 15


def test_unknown_outcome_then_recent_posts_check(xf, http):
    c = make(xf, http)
    xf.fail_next(1, "drop")
    with pytest.raises(UnknownOutcomeError):
        c.publish(req(text="Holiday hours: closed Dec 25"))
    # not idempotent: dispatch reads recent posts instead of re-sending
    match = find_recent_match(c.recent_posts(5), "Holiday hours: closed Dec 25")
    assert match is None  # the dropped request never reached the handler
    c.publish(req(text="Holiday hours: closed Dec 25"))
    match = find_recent_match(c.recent_posts(5), "Holiday hours: closed Dec 25")
    assert match is not None and match.created_at is not None


def test_validate_metrics_delete(xf, http):
    c = make(xf, http)
    info = c.validate()
    assert (info.external_id, info.handle) == ("2244994945", "@riversideclinic")
    result = c.publish(req())
    assert c.fetch_metrics(result.external_id) == {
        "likes": 5,
        "reposts": 2,
        "replies": 1,
        "quotes": 0,
        "impressions": 120,
    }
    c.delete(result.external_id)
    c.delete(result.external_id)
    assert xf.tweets == {} and xf.violations == []


def test_unknown_outcome_during_refresh_or_upload_is_retryable(xf, http):
    access, refresh = xf.issue()
    c = make(
        xf,
        http,
        Credentials(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) - timedelta(seconds=1),
        ),
    )
    xf.fail_next(1, "500")  # the token endpoint fails after receiving the request
    with pytest.raises(RetryableError, match="nothing was posted"):
        c.publish(req())
    xf.fail_next(1, "drop")  # refresh now works; the media upload is dropped
    with pytest.raises(RetryableError, match="nothing was posted"):
        c.publish(req(media=[Media(b"\x89PNG", "image/png", "alt")]))
    assert xf.tweets == {}
