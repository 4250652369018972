import logging
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from bedside.core.http import (
    HttpClient,
    ResponseTooLargeError,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
    UnsafeURLError,
    check_url,
    parse_retry_after,
)
from tests.fakes.server import FakeResponse

TOKEN = "tok_SuperSecret_0123456789abcdef"


def ok(_req):
    return FakeResponse(200, {"ok": True})


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",  # loopback
        "[::1]",
        "10.1.2.3",  # RFC1918
        "172.16.0.1",
        "192.168.1.10",
        "[fc00::1]",  # ULA
        "[fd12:3456::1]",
        "169.254.169.254",  # link-local / cloud metadata
        "[fe80::1]",
        "224.0.0.1",  # multicast
        "[ff02::1]",
        "240.0.0.1",  # reserved
        "0.0.0.0",  # unspecified
        "[::]",
        "100.64.0.1",  # CGNAT
        "[::ffff:127.0.0.1]",  # IPv4-mapped loopback
    ],
)
def test_refuses_each_non_public_address_class(host):
    with HttpClient(allowed_networks=[]) as client, pytest.raises(UnsafeURLError) as err:
        client.get(f"http://{host}/latest/meta-data")
    assert err.value.kind == "config"
    assert "Refusing to connect" in str(err.value)


def test_refuses_host_name_resolving_to_private_address():
    client = HttpClient(allowed_networks=[], resolver=lambda h, p: ["10.0.0.5"])
    with pytest.raises(UnsafeURLError, match=r"internal\.example \(10\.0\.0\.5\).*private"):
        client.get("https://internal.example/")


def test_refuses_when_any_resolved_address_is_private():
    client = HttpClient(allowed_networks=[], resolver=lambda h, p: ["93.184.215.14", "127.0.0.1"])
    with pytest.raises(UnsafeURLError):
        client.get("https://mixed.example/")


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("ftp://example.com/x", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.com/", "scheme"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://user@example.com/", "credentials"),
    ],
)
def test_refuses_bad_scheme_and_credentials_in_url(url, match):
    with HttpClient(allowed_networks=[]) as client, pytest.raises(UnsafeURLError, match=match):
        client.get(url)


def test_allowed_network_is_honoured(server):
    server.route("GET", "/ping", ok)
    with HttpClient(allowed_networks="127.0.0.0/8") as client:
        assert client.get(f"{server.url}/ping").json() == {"ok": True}


def test_allowed_networks_default_from_environment(monkeypatch, server):
    server.route("GET", "/ping", ok)
    from django.conf import settings

    monkeypatch.setenv("BEDSIDE_ALLOWED_PRIVATE_NETWORKS", "10.0.0.0/8, 127.0.0.1/32")
    if settings.configured:  # inside the product the Django setting is the source
        monkeypatch.setattr(
            settings, "BEDSIDE_ALLOWED_PRIVATE_NETWORKS", ["10.0.0.0/8", "127.0.0.1/32"]
        )
    with HttpClient() as client:
        assert client.get(f"{server.url}/ping").status_code == 200
    monkeypatch.delenv("BEDSIDE_ALLOWED_PRIVATE_NETWORKS")
    if settings.configured:
        monkeypatch.setattr(settings, "BEDSIDE_ALLOWED_PRIVATE_NETWORKS", [])
    with HttpClient() as client, pytest.raises(UnsafeURLError):
        client.get(f"{server.url}/ping")


def test_connects_to_the_checked_address_keeping_host_header(server):
    server.route("GET", "/x", ok)
    calls = []

    def resolver(host, port):
        calls.append(host)
        return ["127.0.0.1"]

    with HttpClient(allowed_networks=["127.0.0.1/32"], resolver=resolver) as client:
        assert client.get(f"http://fake.test:{server.port}/x").status_code == 200
    assert calls == ["fake.test"]
    assert server.requests[0].headers["host"] == f"fake.test:{server.port}"


def test_dns_rebinding_after_precheck_is_refused_at_connect():
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])

    def rebinding(host, port):
        return next(answers)

    # A pre-check (e.g. when the webhook URL was saved) saw a public address...
    from bedside.core import netguard

    netguard.resolve_checked("rebind.example", 80, (), rebinding)
    # ...but the connection resolves again, checks, and is refused.
    with (
        HttpClient(allowed_networks=[], resolver=rebinding) as client,
        pytest.raises(UnsafeURLError, match="loopback"),
    ):
        client.get("http://rebind.example/")


def test_check_url_refuses_private_webhook_url():
    with pytest.raises(UnsafeURLError, match="private"):
        check_url("https://192.168.0.10/hook", allowed_networks=[])
    check_url("https://192.168.0.10/hook", allowed_networks=["192.168.0.0/16"])


def test_redirect_to_private_address_is_refused(server):
    server.route(
        "GET", "/r", lambda r: FakeResponse(302, b"", {"Location": "http://169.254.169.254/"})
    )
    with (
        HttpClient(allowed_networks=["127.0.0.1/32"]) as client,
        pytest.raises(UnsafeURLError, match="link-local"),
    ):
        client.get(f"{server.url}/r")


def test_redirects_followed_and_limited(server):
    for i in range(7):
        server.route(
            "GET", f"/hop{i}", lambda r, i=i: FakeResponse(302, b"", {"Location": f"/hop{i + 1}"})
        )
    server.route("GET", "/end", ok)
    server.route("GET", "/three", lambda r: FakeResponse(301, b"", {"Location": "/hop5"}))
    server.route("GET", "/hop7", lambda r: FakeResponse(307, b"", {"Location": "/end"}))
    with HttpClient(allowed_networks=["127.0.0.1/32"]) as client:
        assert client.get(f"{server.url}/three").json() == {"ok": True}  # 4 hops
        with pytest.raises(TerminalError, match="Too many redirects") as err:
            client.get(f"{server.url}/hop0")  # 8 hops
    assert err.value.kind == "config"


def test_cross_origin_redirect_drops_authorization(server):
    server.route(
        "GET",
        "/start",
        lambda r: FakeResponse(302, b"", {"Location": f"http://other.test:{server.port}/end"}),
    )
    server.route("GET", "/end", ok)
    with HttpClient(allowed_networks=["127.0.0.1/32"], resolver=lambda h, p: ["127.0.0.1"]) as c:
        c.get(f"{server.url}/start", headers={"Authorization": f"Bearer {TOKEN}"})
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in server.requests[1].headers


def test_response_size_cap_declared_length(server):
    server.route("GET", "/big", lambda r: FakeResponse(200, b"x" * 5000))
    with (
        HttpClient(allowed_networks=["127.0.0.1/32"], max_response_bytes=1000) as client,
        pytest.raises(ResponseTooLargeError, match="1000-byte limit"),
    ):
        client.get(f"{server.url}/big")
        assert len(client.get(f"{server.url}/big", max_response_bytes=6000).content) == 5000


def test_response_size_cap_while_streaming_without_length():
    def handler(request):
        return httpx.Response(200, stream=httpx.ByteStream(b"y" * 4096))

    class Chunked(httpx.SyncByteStream):
        def __iter__(self):
            for _ in range(100):
                yield b"z" * 100

    transport = httpx.MockTransport(lambda r: httpx.Response(200, stream=Chunked()))
    with (
        HttpClient(transport=transport, max_response_bytes=1000) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.get("https://example.com/stream")


@pytest.mark.parametrize(
    ("status", "exc", "kind"),
    [
        (400, TerminalError, "rejected"),
        (401, TerminalError, "auth"),
        (403, TerminalError, "auth"),
        (404, TerminalError, "not_found"),
        (410, TerminalError, "not_found"),
        (413, TerminalError, "rejected"),
        (422, TerminalError, "rejected"),
        (500, UnknownOutcomeError, None),
        (501, UnknownOutcomeError, None),
        (502, RetryableError, None),
        (503, RetryableError, None),
        (504, RetryableError, None),
    ],
)
def test_status_classification_for_post(server, http, status, exc, kind):
    server.route("POST", "/p", lambda r: FakeResponse(status, {"error": "nope"}))
    with pytest.raises(exc) as err:
        http.post(f"{server.url}/p", json={}, service="Mastodon")
    assert err.value.status == status
    if kind:
        assert err.value.kind == kind


def test_auth_error_has_plain_user_message(server, http):
    server.route("POST", "/p", lambda r: FakeResponse(401, {"error": "expired"}))
    with pytest.raises(TerminalError) as err:
        http.post(f"{server.url}/p", service="Mastodon")
    assert err.value.user_message == (
        "The connection to Mastodon has expired or was revoked. "
        "Reconnect the account in Settings → Channels."
    )


def test_500_on_get_is_retryable(server, http):
    server.route("GET", "/g", lambda r: FakeResponse(500, {}))
    with pytest.raises(RetryableError):
        http.get(f"{server.url}/g")


def test_429_honours_retry_after_seconds_and_date(server, http):
    server.route("POST", "/p", ok)
    server.fail_next(1, "429", retry_after=7)
    with pytest.raises(RetryableError) as err:
        http.post(f"{server.url}/p")
    assert err.value.retry_after == 7.0
    when = datetime.now(UTC) + timedelta(seconds=120)
    server.fail_next(1, "429", retry_after=format_datetime(when, usegmt=True))
    with pytest.raises(RetryableError) as err:
        http.post(f"{server.url}/p")
    assert 110 <= err.value.retry_after <= 121
    assert http.post(f"{server.url}/p").status_code == 200


def test_parse_retry_after_variants():
    assert parse_retry_after({"retry-after": "30"}) == 30.0
    assert parse_retry_after({"x-rate-limit-reset": "1000000100"}, now=1000000000) == 100.0
    assert (
        parse_retry_after(
            {"x-ratelimit-reset": "2030-01-01T00:00:10+00:00"},
            now=datetime(2030, 1, 1, tzinfo=UTC).timestamp(),
        )
        == 10.0
    )
    assert parse_retry_after({}) is None


def test_connection_refused_is_retryable(http):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(RetryableError, match="Could not connect"):
        http.post(f"http://127.0.0.1:{port}/p", json={})


def test_dns_failure_is_retryable():
    def fail(host, port):
        raise socket.gaierror(-2, "Name or service not known")

    with HttpClient(resolver=fail) as client, pytest.raises(RetryableError, match="DNS"):
        client.post("https://nowhere.example/p")


def test_connect_timeout_is_retryable():
    def boom(request):
        raise httpx.ConnectTimeout("timed out", request=request)

    with (
        HttpClient(transport=httpx.MockTransport(boom)) as client,
        pytest.raises(RetryableError, match="Connect timeout"),
    ):
        client.post("https://example.com/p")


def test_read_timeout_after_send_is_unknown_outcome(server):
    server.route("POST", "/p", ok)
    server.route("GET", "/p", ok)
    server.fail_next(2, "delay", delay=0.5)
    with (
        HttpClient(allowed_networks=["127.0.0.1/32"], read_timeout=0.1) as client,
        pytest.raises(UnknownOutcomeError, match="may have been applied"),
    ):
        client.post(f"{server.url}/p", json={"a": 1})
        with pytest.raises(RetryableError):  # a GET changes nothing: safe to retry
            client.get(f"{server.url}/p")


def test_dropped_connection_after_send_is_unknown_outcome(server, http):
    server.route("POST", "/p", ok)
    server.fail_next(1, "drop")
    with pytest.raises(UnknownOutcomeError, match="Connection lost"):
        http.post(f"{server.url}/p", json={"a": 1})
    assert server.requests[0].body == b'{"a":1}'


def test_tokens_never_in_errors_or_logs(server, http, caplog):
    caplog.set_level(logging.DEBUG)
    server.route("POST", "/p", lambda r: FakeResponse(500, {"error": f"bad token {TOKEN}"}))
    server.route("GET", "/g", ok)
    errors = []
    for call in (
        lambda: http.post(
            f"{server.url}/p",
            headers={"Authorization": f"Bearer {TOKEN}"},
            params={"access_token": TOKEN},
        ),
        lambda: http.get(f"{server.url}/p", params={"access_token": TOKEN}),  # 404 route
    ):
        try:
            call()
        except Exception as exc:
            errors.append(exc)
    server.fail_next(1, "drop")
    try:
        http.post(
            f"{server.url}/p?access_token={TOKEN}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
    except UnknownOutcomeError as exc:
        errors.append(exc)
    try:
        HttpClient(allowed_networks=[]).get(f"https://10.0.0.1/?access_token={TOKEN}")
    except UnsafeURLError as exc:
        errors.append(exc)
    from bedside.core.http import Response, classify_status

    resp = Response(400, httpx.Headers(), b"", "https://x")
    errors.append(
        classify_status(
            resp, method="POST", service="X", reason=f"token {TOKEN} bad", secrets=[TOKEN]
        )
    )
    logging.getLogger("httpx").info("HTTP Request: POST %s", f"https://a/?access_token={TOKEN}")
    assert len(errors) >= 4
    for exc in errors:
        assert TOKEN not in str(exc)
        assert TOKEN not in repr(exc)
        assert TOKEN not in getattr(exc, "user_message", "")
    assert TOKEN not in caplog.text
    assert "REDACTED" in caplog.text


def test_timeout_fault_mode_is_unknown_outcome_for_post(server):
    server.route("POST", "/p", ok)
    server.fail_next(1, "timeout", delay=0.3)
    with (
        HttpClient(allowed_networks=["127.0.0.1/32"], read_timeout=0.1) as client,
        pytest.raises(UnknownOutcomeError),
    ):
        client.post(f"{server.url}/p")


def test_allowed_networks_read_lazily_from_django_settings_when_configured():
    import subprocess
    import sys

    code = (
        "from django.conf import settings\n"
        "settings.configure(BEDSIDE_ALLOWED_PRIVATE_NETWORKS=['10.0.0.0/8', '127.0.0.1/32'])\n"
        "from bedside.core.netguard import configured_allowed_networks\n"
        "print(','.join(str(n) for n in configured_allowed_networks()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        env={
            "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
            "BEDSIDE_ALLOWED_PRIVATE_NETWORKS": "192.168.0.0/16",
        },
    )
    assert out.stdout.strip() == "10.0.0.0/8,127.0.0.1/32", out.stderr


def test_503_honours_retry_after(server, http):
    server.route("POST", "/p", ok)
    server.fail_next(1, "503", retry_after=12)
    with pytest.raises(RetryableError) as err:
        http.post(f"{server.url}/p")
    assert err.value.retry_after == 12.0 and err.value.status == 503


def test_redirect_methods_307_keeps_body_303_becomes_get(server, http):
    server.route("POST", "/a", lambda r: FakeResponse(307, b"", {"Location": "/b"}))
    server.route("POST", "/b", lambda r: FakeResponse(200, {"got": r.json()}))
    server.route("POST", "/c", lambda r: FakeResponse(303, b"", {"Location": "/d"}))
    server.route(
        "GET", "/d", lambda r: FakeResponse(200, {"method": r.method, "body": r.body.decode()})
    )
    assert http.post(f"{server.url}/a", json={"x": 1}).json() == {"got": {"x": 1}}
    assert http.post(f"{server.url}/c", json={"x": 1}).json() == {"method": "GET", "body": ""}
