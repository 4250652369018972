import hashlib
import hmac
import json
import subprocess
import sys
from datetime import UTC, datetime
from urllib.request import urlopen

import pytest

from bedside.channels.connectors.base import (
    Credentials,
    Media,
    Publisher,
    PublishRequest,
    get_connector,
    publish_is_idempotent,
)
from bedside.channels.connectors.webhook.connector import build_body, sign
from bedside.core.http import (
    HttpClient,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
    UnsafeURLError,
)
from tests.fakes.webhook import WebhookFake

SECRET = "whsec_0123456789abcdef0123"


@pytest.fixture
def hook():
    with WebhookFake(secret=SECRET) as fake:
        yield fake


def connector(hook, http, **settings):
    return get_connector(
        "webhook",
        settings={"url": f"{hook.url}/hook", "secret": SECRET, **settings},
        credentials=Credentials(),
        http=http,
    )


def request(key="dlv-1", **kw):
    return PublishRequest(
        text=kw.pop("text", "Flu shots are in. Book at the front desk. 💉"),
        media=kw.pop("media", []),
        idempotency_key=key,
        metadata={
            "post_id": 12,
            "delivery_id": 34,
            "scheduled_at": datetime(2026, 3, 1, 15, 0, tzinfo=UTC),
        },
        **kw,
    )


def test_publish_sends_exact_shape_and_signature(hook, http):
    c = connector(hook, http)
    assert isinstance(c, Publisher)
    media = [
        Media(b"\x89PNG", "image/png", "A nurse giving a flu shot", "https://cdn.example/a.png")
    ]
    result = c.publish(request(media=media))
    assert result.external_id == "wh_1"
    assert result.url == f"{hook.url}/posts/wh_1"
    (req,) = hook.requests
    assert req.method == "POST" and req.path == "/hook"
    assert req.headers["content-type"] == "application/json"
    assert req.headers["idempotency-key"] == "dlv-1"
    expected_sig = "sha256=" + hmac.new(SECRET.encode(), req.body, hashlib.sha256).hexdigest()
    assert req.headers["x-bedside-signature"] == expected_sig
    assert json.loads(req.body) == {
        "post_id": 12,
        "delivery_id": 34,
        "text": "Flu shots are in. Book at the front desk. 💉",
        "media": [
            {
                "url": "https://cdn.example/a.png",
                "mime": "image/png",
                "alt_text": "A nurse giving a flu shot",
            }
        ],
        "scheduled_at": "2026-03-01T15:00:00+00:00",
    }
    assert hook.violations == []


def test_media_without_url_is_inlined_base64(hook, http):
    body = json.loads(build_body(request(media=[Media(b"abc", "image/png", "alt")])))
    assert body["media"] == [
        {"url": None, "mime": "image/png", "alt_text": "alt", "data_base64": "YWJj"}
    ]


def test_resend_same_key_is_deduplicated_by_receiver(hook, http):
    c = connector(hook, http)
    first = c.publish(request())
    again = c.publish(request())
    assert first == again
    assert hook.stats() == {
        "unique": 1,
        "total": 2,
        "duplicates": 1,
        "bad_signature": 0,
        "rejected": 0,
    }
    assert publish_is_idempotent("webhook") is True


def test_wrong_secret_is_auth_error(hook, http):
    c = connector(hook, http, secret="wrong-secret-xyz")
    with pytest.raises(TerminalError) as err:
        c.publish(request())
    assert err.value.kind == "auth"
    assert hook.stats()["bad_signature"] == 1
    assert "wrong-secret-xyz" not in repr(err.value)


def test_plain_2xx_without_json_uses_key_as_id(http, server):
    from tests.fakes.server import FakeResponse

    server.route("POST", "/h", lambda r: FakeResponse(204, b""))
    c = get_connector(
        "webhook",
        settings={"url": f"{server.url}/h", "secret": SECRET},
        credentials=Credentials(),
        http=http,
    )
    assert c.publish(request("k-9")).external_id == "k-9"


@pytest.mark.parametrize(
    ("mode", "exc"),
    [
        ("503", RetryableError),
        ("500", UnknownOutcomeError),
        ("drop", UnknownOutcomeError),
        ("429", RetryableError),
    ],
)
def test_failures_are_classified(hook, http, mode, exc):
    hook.fail_next(1, mode, retry_after=3)
    with pytest.raises(exc):
        connector(hook, http).publish(request())
    assert connector(hook, http).publish(request()).external_id == "wh_1"


def test_private_webhook_url_refused_by_default(hook):
    with HttpClient(allowed_networks=[]) as strict:
        c = get_connector(
            "webhook",
            settings={"url": f"{hook.url}/hook", "secret": SECRET},
            credentials=Credentials(),
            http=strict,
        )
        with pytest.raises(UnsafeURLError):
            c.validate()
        with pytest.raises(UnsafeURLError):
            c.publish(request())
    assert hook.requests == []


def test_missing_url_is_config_error(http):
    with pytest.raises(TerminalError) as err:
        get_connector("webhook", settings={}, credentials=Credentials(), http=http)
    assert err.value.kind == "config"


def test_sign_matches_documented_format():
    assert sign("k", b"{}") == "sha256=" + hmac.new(b"k", b"{}", hashlib.sha256).hexdigest()


def test_standalone_fake_serves_stats():
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.webhook", "--port", "0", "--secret", SECRET],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:")
        base = line.split("listening on ", 1)[1]
        with HttpClient(allowed_networks=["127.0.0.1/32"]) as client:
            c = get_connector(
                "webhook",
                settings={"url": f"{base}/hook", "secret": SECRET},
                credentials=Credentials(),
                http=client,
            )
            c.publish(request("a"))
            c.publish(request("a"))
            c.publish(request("b"))
        with urlopen(f"{base}/_stats", timeout=2) as resp:
            assert json.load(resp) == {
                "unique": 2,
                "total": 3,
                "duplicates": 1,
                "bad_signature": 0,
                "rejected": 0,
            }
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_fake_counts_concurrent_deliveries_exactly(hook):
    from concurrent.futures import ThreadPoolExecutor

    hook.keep_log = False
    with HttpClient(allowed_networks=["127.0.0.1/32"]) as client:
        c = get_connector(
            "webhook",
            settings={"url": f"{hook.url}/hook", "secret": SECRET},
            credentials=Credentials(),
            http=client,
        )
        keys = [f"k{i % 150}" for i in range(300)]  # 150 unique, each sent twice
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda k: c.publish(request(k)), keys))
    assert hook.stats() == {
        "unique": 150,
        "total": 300,
        "duplicates": 150,
        "bad_signature": 0,
        "rejected": 0,
    }
