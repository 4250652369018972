from datetime import UTC, datetime, timedelta

import pytest

from bedside.channels.connectors.base import Credentials, Media, PublishRequest, get_connector
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.gbp import GoogleBusinessFake


@pytest.fixture
def g():
    with GoogleBusinessFake() as fake:
        yield fake


def make(g, http, creds=None, saved=None):
    if creds is None:
        access, refresh = g.issue()
        creds = Credentials(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
    return get_connector(
        "gbp",
        settings={
            "base_url": g.url,
            "account_id": g.account,
            "location_id": g.location,
            "token_url": f"{g.url}/token",
            "client_id": g.client_id,
            "location_name": "Riverside",
        },
        credentials=Credentials(
            access_token=creds.access_token,
            refresh_token=creds.refresh_token,
            expires_at=creds.expires_at,
            extra={"client_secret": g.client_secret},
        ),
        http=http,
        on_credentials_refreshed=saved.append if saved is not None else None,
    )


def req(text="Flu shots available now.", key="d-1", **kw):
    return PublishRequest(text=text, idempotency_key=key, **kw)


def test_publish_local_post_field_by_field(g, http):
    media = [Media(b"jpg", "image/jpeg", "Clinic front", url="https://cdn.example.org/front.jpg")]
    result = make(g, http).publish(req(link="https://riverside.example/flu", media=media))
    (call,) = g.requests
    assert call.path == f"/v4/accounts/{g.account}/locations/{g.location}/localPosts"
    assert call.json() == {
        "languageCode": "en-US",
        "summary": "Flu shots available now.",
        "topicType": "STANDARD",
        "callToAction": {"actionType": "LEARN_MORE", "url": "https://riverside.example/flu"},
        "media": [{"mediaFormat": "PHOTO", "sourceUrl": "https://cdn.example.org/front.jpg"}],
    }
    assert result.external_id.startswith(f"accounts/{g.account}/locations/{g.location}/localPosts/")
    assert result.url.startswith("https://local.google.com/place")
    assert g.violations == []


def test_expired_token_refresh_keeps_refresh_token_google_sends_none(g, http):
    access, refresh = g.issue()
    saved = []
    c = make(
        g,
        http,
        Credentials(
            access_token=access,
            refresh_token=refresh,
            expires_at=datetime.now(UTC) - timedelta(minutes=1),
        ),
        saved,
    )
    c.publish(req())
    assert [r.path.rsplit("/", 1)[-1] for r in g.requests] == ["token", "localPosts"]
    form = g.requests[0].form()
    assert form["client_secret"] == [g.client_secret] and form["grant_type"] == ["refresh_token"]
    (new,) = saved
    assert new.refresh_token == refresh  # never lost
    assert new.access_token != access and new.expires_at > datetime.now(UTC)


def test_summary_limit_checked_before_sending(g, http):
    with pytest.raises(TerminalError) as err:
        make(g, http).publish(req(text="a" * 1501))
    assert err.value.kind == "rejected" and "1500" in err.value.user_message
    assert g.requests == []


def test_revoked_refresh_is_auth(g, http):
    c = make(
        g, http, Credentials(access_token="ya29.bad-123456", refresh_token="1//bad-refresh-123456")
    )
    with pytest.raises(TerminalError) as err:
        c.publish(req())
    assert err.value.kind == "auth"
    assert "1//bad-refresh-123456" not in repr(err.value)


@pytest.mark.parametrize(
    ("mode", "exc"),
    [
        ("429", RetryableError),
        ("503", RetryableError),
        ("500", UnknownOutcomeError),
        ("drop", UnknownOutcomeError),
    ],
)
def test_failures(g, http, mode, exc):
    g.fail_next(1, mode)
    with pytest.raises(exc):
        make(g, http).publish(req())


def test_validate_recent_delete(g, http):
    c = make(g, http)
    assert c.validate().name == "Riverside"
    result = c.publish(req())
    assert c.recent_posts(5)[0].external_id == result.external_id
    c.delete(result.external_id)
    c.delete(result.external_id)
    assert g.posts == {} and g.violations == []
