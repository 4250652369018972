from datetime import UTC, datetime, timedelta

import pytest

from bedside.channels.connectors.base import (
    IDEMPOTENT_PUBLISH,
    Credentials,
    CredentialValidator,
    Media,
    MetricsSource,
    Publisher,
    PublishRequest,
    RecentPost,
    RecentPostsSource,
    connector_class,
    connector_types,
    find_recent_match,
    get_connector,
    publish_is_idempotent,
)
from bedside.core.http import TerminalError


def test_every_registered_type_imports_and_declares_its_flags():
    assert (
        set(connector_types())
        == set(IDEMPOTENT_PUBLISH)
        == {
            "mastodon",
            "bluesky",
            "x",
            "facebook",
            "instagram",
            "linkedin",
            "gbp",
            "webhook",
            "email",
        }
    )
    for name in connector_types():
        cls = connector_class(name)
        assert cls.type == name
        assert cls.idempotent_publish is publish_is_idempotent(name)
        assert (
            isinstance(cls.publish, object) and hasattr(cls, "delete") and hasattr(cls, "validate")
        )


def test_idempotent_networks():
    assert {t for t in connector_types() if publish_is_idempotent(t)} == {
        "mastodon",
        "bluesky",
        "webhook",
    }


def test_capabilities_per_network(http):
    settings = {
        "base_url": "https://example.com",
        "url": "https://example.com/h",
        "page_id": "1",
        "ig_user_id": "1",
        "author": "urn:li:organization:1",
        "account_id": "1",
        "location_id": "2",
        "host": "smtp.example.com",
        "from": "a@example.com",
        "to": ["b@example.com"],
    }
    recent = {"mastodon", "bluesky", "x", "facebook", "instagram", "linkedin", "gbp"}
    metrics = {"mastodon", "bluesky", "x", "facebook", "instagram", "linkedin"}
    for name in connector_types():
        c = get_connector(
            name, settings=settings, credentials=Credentials(access_token="t"), http=http
        )
        assert isinstance(c, Publisher) and isinstance(c, CredentialValidator)
        assert isinstance(c, RecentPostsSource) is (name in recent), name
        assert isinstance(c, MetricsSource) is (name in metrics), name


def test_unknown_type_is_config_error(http):
    with pytest.raises(TerminalError) as err:
        get_connector("myspace", settings={}, credentials=Credentials(), http=http)
    assert err.value.kind == "config"


def test_credentials_never_show_secrets():
    creds = Credentials(
        access_token="acc-secret-1", refresh_token="ref-secret-2", extra={"client_secret": "cs-3"}
    )
    for text in (repr(creds), str(creds), repr([creds]), f"{creds}"):
        assert "acc-secret-1" not in text and "ref-secret-2" not in text and "cs-3" not in text
    assert set(creds.secrets()) == {"acc-secret-1", "ref-secret-2", "cs-3"}


def test_refresh_without_new_refresh_token_keeps_the_old_one():
    creds = Credentials(access_token="a1", refresh_token="r1", extra={"did": "d"})
    when = datetime(2030, 1, 1, tzinfo=UTC)
    new = creds.refreshed(access_token="a2", expires_at=when)
    assert (new.access_token, new.refresh_token, new.expires_at, new.extra) == (
        "a2",
        "r1",
        when,
        {"did": "d"},
    )
    assert creds.refreshed(access_token="a3", refresh_token="r2").refresh_token == "r2"


def test_publish_request_requires_key_and_media_repr_hides_bytes():
    with pytest.raises(ValueError):
        PublishRequest(text="x", idempotency_key="")
    assert "bytes=3" in repr(Media(b"abc", "image/png", "alt"))


def test_find_recent_match():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    posts = [
        RecentPost("3", "Something else", now),
        RecentPost("2", "Flu  shots\nSaturday 9–12 at Riverside https://t.co/abc", now),
        RecentPost("1", "Flu shots Saturday", now - timedelta(days=2)),
    ]
    hit = find_recent_match(posts, "Flu shots Saturday 9–12 at Riverside https://www.cdc.gov/flu")
    assert hit.external_id == "2"  # X shortened the link: still the same post
    assert (
        find_recent_match(posts, "flu shots saturday", not_before=now - timedelta(hours=1)) is None
    )
    assert find_recent_match(posts, "Flu shots Saturday").external_id == "1"
    assert find_recent_match(posts, "Something else").external_id == "3"
