"""Channel accounts: encrypted credentials, rotation, URL guard, test connection, refresh."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bedside.audit.models import AuditEvent
from bedside.channels import crypto
from bedside.channels.connectors.base import Credentials
from bedside.channels.models import ChannelAccount
from bedside.channels.services import (
    channel_create,
    channel_credentials_refreshed,
    channel_test,
)
from tests.fakes.mastodon import MastodonFake
from tests.helpers import WEBHOOK_SECRET, webhook_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback(settings):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]


def test_webhook_secret_is_encrypted_and_never_returned(owner, api, loopback, caplog):
    caplog.set_level(logging.DEBUG)
    response = api(owner).post(
        "/api/v1/channels",
        json={
            "type": "webhook",
            "name": "Site hook",
            "settings": {"url": "http://127.0.0.1:8080/hook", "secret": WEBHOOK_SECRET},
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert {"id", "type", "name", "status"} <= set(body)
    assert body["type"] == "webhook" and body["status"] == "connected"
    assert body["settings"] == {"url": "http://127.0.0.1:8080/hook"}
    assert body["has_credentials"] is True
    channel = ChannelAccount.objects.get(pk=body["id"])
    assert WEBHOOK_SECRET not in channel.credentials_encrypted
    assert WEBHOOK_SECRET not in str(channel.settings)
    assert channel.credentials().extra["secret"] == WEBHOOK_SECRET
    listed = api(owner).get("/api/v1/channels")
    assert listed.json()["count"] == 1
    assert WEBHOOK_SECRET not in listed.content.decode()
    assert WEBHOOK_SECRET not in caplog.text
    event = AuditEvent.objects.get(action="channel.created")
    assert WEBHOOK_SECRET not in str(event.data)
    assert WEBHOOK_SECRET not in repr(channel.credentials())


def test_webhook_to_private_address_is_refused_unless_allowed(owner, api, settings):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = []
    payload = {
        "type": "webhook",
        "name": "Internal",
        "settings": {"url": "http://10.0.0.5/hook", "secret": "s3cret-s3cret"},
    }
    response = api(owner).post("/api/v1/channels", json=payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "settings"]
    assert "not allowed" in response.json()["detail"][0]["msg"]
    assert ChannelAccount.objects.count() == 0
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["10.0.0.0/8"]
    assert api(owner).post("/api/v1/channels", json=payload).status_code == 201


def test_webhook_needs_a_secret(owner, loopback):
    with pytest.raises(ValidationError) as exc:
        channel_create(
            actor=owner, type="webhook", name="Hook", settings={"url": "http://127.0.0.1/h"}
        )
    assert "secret" in exc.value.message_dict["settings"][0]


def test_unknown_type_is_refused(owner, api):
    response = api(owner).post("/api/v1/channels", json={"type": "myspace", "name": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "type"]


def test_editor_cannot_connect_channels(editor, api):
    response = api(editor).post("/api/v1/channels", json={"type": "mastodon", "name": "x"})
    assert response.status_code == 403
    assert ChannelAccount.objects.count() == 0


def test_production_refuses_to_store_credentials_without_keys(settings, owner, loopback):
    settings.DEBUG, settings.TESTING, settings.BEDSIDE_ENCRYPTION_KEYS = False, False, []
    with pytest.raises(crypto.CredentialsUnavailable):
        webhook_channel(owner)
    assert ChannelAccount.objects.count() == 0


def test_rotate_keys_reencrypts_with_the_newest_key(settings, owner, loopback, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.BEDSIDE_ENCRYPTION_KEYS = [old]
    channel = webhook_channel(owner)
    before = channel.credentials_encrypted
    settings.BEDSIDE_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_keys")
    assert "1 channel" in capsys.readouterr().out
    channel.refresh_from_db()
    assert channel.credentials_encrypted != before
    settings.BEDSIDE_ENCRYPTION_KEYS = [new]  # the old key is gone: still readable
    assert channel.credentials().extra["secret"] == WEBHOOK_SECRET


def test_refresh_keeps_the_refresh_token(owner):
    channel = channel_create(
        actor=owner,
        type="mastodon",
        name="Toots",
        settings={"access_token": "old-access", "refresh_token": "keep-me-refresh"},
    )
    channel_credentials_refreshed(
        channel_id=channel.pk, credentials=Credentials(access_token="new-access")
    )
    channel.refresh_from_db()
    creds = channel.credentials()
    assert (creds.access_token, creds.refresh_token) == ("new-access", "keep-me-refresh")


@pytest.fixture
def masto(settings):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    with MastodonFake() as fake:
        yield fake


def _masto_channel(owner, masto, token=None):
    return channel_create(
        actor=owner,
        type="mastodon",
        name="Toots",
        settings={"base_url": masto.url, "access_token": token or masto.token},
    )


def test_test_connection_ok(owner, masto, http):
    channel = _masto_channel(owner, masto)
    ok, message = channel_test(actor=owner, channel=channel, http=http)
    assert ok and message == "Connected as @clinic."
    assert ChannelAccount.objects.get(pk=channel.pk).status == "connected"


def test_bad_token_marks_the_channel_needs_reconnect(owner, masto, http):
    channel = _masto_channel(owner, masto, token="wrong-token-0000000")
    ok, message = channel_test(actor=owner, channel=channel, http=http)
    assert not ok
    assert "Reconnect the account" in message
    assert ChannelAccount.objects.get(pk=channel.pk).status == "needs_reconnect"


def test_a_transient_error_never_disconnects(owner, masto, http):
    channel = _masto_channel(owner, masto)
    masto.fail_next(1, "503")
    ok, message = channel_test(actor=owner, channel=channel, http=http)
    assert not ok and "try again" in message
    assert ChannelAccount.objects.get(pk=channel.pk).status == "connected"


def test_pages_show_status_and_test_button(owner, login, loopback):
    channel = webhook_channel(owner)
    client = login(owner)
    assert "Site hook" in client.get("/settings/channels/").content.decode()
    page = client.get(f"/settings/channels/{channel.pk}/").content.decode()
    assert "Test connection" in page and WEBHOOK_SECRET not in page
    response = client.post(
        "/settings/channels/new/",
        {"type": "webhook", "name": "Bad", "url": "http://192.168.1.10/x", "secret": "abcdefgh1"},
    )
    assert response.status_code == 200
    assert "not allowed" in response.content.decode()
    assert not ChannelAccount.objects.filter(name="Bad").exists()
