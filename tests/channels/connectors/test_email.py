import logging
import socket

import pytest

from bedside.channels.connectors.base import Credentials, Media, PublishRequest, get_connector
from bedside.channels.connectors.email.connector import message_id_for
from bedside.core.http import (
    HttpClient,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
    UnsafeURLError,
)
from tests.fakes.smtp import SmtpFake

SENDER = "news@clinic.example"
SUBSCRIBERS = ["ann@example.org", "bo@example.net"]
PASSWORD = "smtp-password-0123456789"


def make(http, port, password=PASSWORD, **settings):
    return get_connector(
        "email",
        settings={
            "host": "127.0.0.1",
            "port": port,
            "from": SENDER,
            "to": SUBSCRIBERS,
            "security": "none",
            "timeout": 2,
            **settings,
        },
        credentials=Credentials(extra={"password": password} if password else {}),
        http=http,
    )


def req(key="d-1", **kw):
    return PublishRequest(
        text=kw.pop("text", "Flu season is here.\n\nBook your shot."),
        idempotency_key=key,
        metadata={"subject": "March newsletter"},
        **kw,
    )


def test_sends_newsletter_over_starttls_with_login(http):
    with SmtpFake(tls=True, password=PASSWORD) as smtp:
        c = make(http, smtp.port, security="starttls", ca_file=smtp.ca_file)
        result = c.publish(req(link="https://www.cdc.gov/flu"))
        (got,) = smtp.messages
    assert got.mail_from == SENDER and got.rcpt_tos == SUBSCRIBERS
    msg = got.message
    assert msg["Subject"] == "March newsletter"
    assert msg["From"] == SENDER and msg["To"] == SENDER  # subscribers never in headers
    assert all(s not in got.raw.decode() for s in SUBSCRIBERS)
    assert msg["Message-ID"] == message_id_for("d-1", SENDER) == result.external_id
    assert msg["Message-ID"].endswith("@clinic.example>")
    assert (
        msg.get_content().replace("\r\n", "\n").strip()
        == "Flu season is here.\n\nBook your shot.\n\nhttps://www.cdc.gov/flu"
    )


def test_message_id_is_deterministic():
    assert (
        message_id_for("k", SENDER) == message_id_for("k", SENDER) != message_id_for("k2", SENDER)
    )


def test_images_inline_with_alt_text(http):
    with SmtpFake() as smtp:
        make(http, smtp.port, password=None).publish(
            req(media=[Media(b"\x89PNG", "image/png", 'Nurse "Kim"')])
        )
        msg = smtp.messages[0].message
    html = msg.get_body(("html",)).get_content()
    assert 'alt="Nurse &quot;Kim&quot;"' in html
    image = next(p for p in msg.walk() if p.get_content_type() == "image/png")
    assert image.get_content() == b"\x89PNG" and f"cid:{image['Content-ID'][1:-1]}" in html


def test_wrong_password_is_auth_and_redacted(http, caplog):
    caplog.set_level(logging.DEBUG)
    with SmtpFake(tls=True, password=PASSWORD) as smtp:
        c = make(
            http,
            smtp.port,
            password="wrong-password-987654",
            security="starttls",
            ca_file=smtp.ca_file,
        )
        with pytest.raises(TerminalError) as err:
            c.publish(req())
    assert err.value.kind == "auth"
    assert "wrong-password-987654" not in repr(err.value) + str(err.value) + caplog.text


def test_untrusted_certificate_is_config_error(http):
    with SmtpFake(tls=True) as smtp, pytest.raises(TerminalError) as err:
        make(http, smtp.port, password=None, security="starttls").publish(req())
    assert err.value.kind == "config" and "TLS" in str(err.value)


def test_connection_refused_is_retryable(http):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RetryableError):
        make(http, port).publish(req())


def test_private_host_refused_without_allowed_network():
    with HttpClient(allowed_networks=[]) as strict, pytest.raises(UnsafeURLError):
        make(strict, 2525).publish(req())


def test_temporary_and_permanent_refusals(http):
    with SmtpFake() as smtp:
        c = make(http, smtp.port, password=None)
        smtp.fail_next("451")
        with pytest.raises(RetryableError):
            c.publish(req())
        smtp.fail_next("554")
        with pytest.raises(TerminalError) as err:
            c.publish(req())
        assert err.value.kind == "rejected"
        smtp.refuse.update(SUBSCRIBERS)
        with pytest.raises(TerminalError) as err:
            c.publish(req())
        assert err.value.kind == "rejected"


def test_timeout_after_data_is_unknown_outcome(http):
    with SmtpFake() as smtp:
        smtp.hang_seconds = 1.5
        smtp.fail_next("hang")
        with pytest.raises(UnknownOutcomeError):
            make(http, smtp.port, password=None, timeout=0.3).publish(req())
        assert (
            len(smtp.messages) == 1
        )  # it was in fact accepted: hence "unknown", never resent blindly


def test_validate_and_no_delete(http):
    with SmtpFake() as smtp:
        c = make(http, smtp.port, password=None)
        assert c.validate().external_id == SENDER
        with pytest.raises(TerminalError):
            c.delete("<x@y>")
