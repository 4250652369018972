"""Alert e-mails through a real SMTP server (aiosmtpd on 127.0.0.1), via the compliance guard."""

from __future__ import annotations

import socket
import sys
import types
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

import pytest
import time_machine
from aiosmtpd.controller import Controller

from bedside.listening.alerts import alerts_sweep, digests_send_due
from bedside.listening.models import AlertLog, AlertSettings, Mention, Monitor, Source

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 21, 14, 5, tzinfo=UTC)  # 08:05 in Chicago
PHI = "Dr. Park treated my husband John Smith for diabetes, born 03/04/1970, MRN 1234567"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = message_from_bytes(envelope.content, policy=default)
        self.messages.append(
            (sorted(envelope.rcpt_tos), msg["Subject"], msg.get_content().replace("\r\n", "\n"))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        controller.port,
        False,
    )
    settings.BEDSIDE_BASE_URL = "https://bedside.example"
    yield inbox
    controller.stop()


@pytest.fixture
def source(db):
    return Source.objects.create(uri="jsonl:-", name="Import")


def _mention(monitor, source, n, text, **kw):  # type: ignore[no-untyped-def]
    return Mention.objects.create(
        practice=monitor.practice, monitor=monitor, source=source, phrase=monitor.phrases[0],
        external_id=f"e{n}", text=text, published_at=NOW, url=f"https://x.example/{n}", **kw,
    )  # fmt: skip


MANAGERS = ["admin@maple.test", "editor@maple.test", "owner@maple.test"]


@pytest.fixture
def riverside(practice, monitor):
    """A practice name the compliance engine passes (it flags "Maple" as a first name)."""
    practice.name = "Riverside Clinic"
    practice.save()
    monitor.name, monitor.phrases = "Riverside Clinic", ["Riverside Clinic"]
    monitor.save()
    return monitor


@time_machine.travel(NOW, tick=False)
def test_negative_mention_is_e_mailed_once_to_listening_managers(smtp, personas, riverside, source):
    mention = _mention(
        riverside, source, 1, "Riverside Clinic was rude and awful", sentiment="negative",
        alert_pending=True, author="@sam",
    )  # fmt: skip
    assert alerts_sweep() == 1
    [(to, subject, body)] = smtp.messages
    assert to == MANAGERS
    assert subject == "Bedside: 1 negative mention of Riverside Clinic"
    assert "Riverside Clinic was rude and awful" in body
    assert "@sam" not in body  # authors stay in Bedside
    assert "https://bedside.example/listening/?sentiment=negative" in body
    log = AlertLog.objects.get()
    assert (log.kind, log.status, log.recipients, log.verdict, log.redacted, log.mention_ids) == (
        "negative", "sent", 3, "pass", False, [mention.pk],
    )  # fmt: skip
    mention.refresh_from_db()
    assert mention.alert_pending is False
    assert alerts_sweep() == 0  # running again sends nothing
    assert len(smtp.messages) == 1


@time_machine.travel(NOW, tick=False)
def test_blocked_text_is_replaced_by_a_redacted_notice(smtp, personas, monitor, source):
    _mention(monitor, source, 1, PHI, sentiment="negative", alert_pending=True)
    alerts_sweep()
    [(to, subject, body)] = smtp.messages
    assert subject == "Bedside: a mention needs your attention"
    assert body.startswith("A mention needs your attention.")
    assert "https://bedside.example/listening/" in body
    for secret in ("John Smith", "diabetes", "1234567", "03/04/1970", "Maple Family Clinic"):
        assert secret not in body and secret not in subject
    log = AlertLog.objects.get()
    assert (log.verdict, log.redacted, log.status) == ("block", True, "sent")


@time_machine.travel(NOW, tick=False)
def test_compliance_service_is_used_when_present(smtp, personas, monitor, source, monkeypatch):
    calls = []

    def text_check(*, practice, text, kind, channel_type=None, actor=None):  # type: ignore[no-untyped-def]
        calls.append((practice.pk, kind, channel_type))
        return types.SimpleNamespace(verdict="block", findings=[object()])

    fake = types.ModuleType("bedside.compliance.services")
    fake.text_check = text_check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bedside.compliance.services", fake)
    _mention(
        monitor,
        source,
        1,
        "Maple Family Clinic was awful",
        sentiment="negative",
        alert_pending=True,
    )
    alerts_sweep()
    assert calls == [(monitor.practice_id, "message", "email")]
    assert smtp.messages[0][1] == "Bedside: a mention needs your attention"


@time_machine.travel(NOW, tick=False)
def test_instant_alerts_can_be_switched_off(smtp, personas, monitor, source):
    AlertSettings.objects.create(practice=monitor.practice, instant_negative=False)
    mention = _mention(
        monitor, source, 1, "awful Maple Family Clinic", sentiment="negative", alert_pending=True
    )
    assert alerts_sweep() == 0
    mention.refresh_from_db()
    assert (smtp.messages, mention.alert_pending) == ([], False)


@time_machine.travel(NOW, tick=False)
def test_misinformation_spike_alerts_once_per_window(smtp, personas, practice, source):
    practice.name = "Riverside Clinic"
    practice.save()
    AlertSettings.objects.create(practice=practice, spike_threshold=3, spike_window_minutes=60)
    myths = Monitor.objects.create(
        practice=practice, name="Myths", kind="myth", phrases=["vaccines cause autism"]
    )
    for n in range(2):
        _mention(myths, source, n, "vaccines cause autism", misinformation=True)
    assert alerts_sweep() == 0  # below the threshold
    _mention(myths, source, 9, "vaccines cause autism!!", misinformation=True)
    assert alerts_sweep() == 1
    [(to, subject, body)] = smtp.messages
    assert subject == "Bedside: health misinformation is spiking around Riverside Clinic"
    assert body.startswith(
        "3 mentions repeating health myths in the last 60 minutes (your threshold: 3)."
    )
    assert alerts_sweep() == 0


def test_daily_digest_at_the_practice_hour_once_a_day(smtp, personas, riverside, source):
    monitor = riverside
    with time_machine.travel(
        datetime(2026, 11, 21, 13, 5, tzinfo=UTC), tick=False
    ):  # 07:05 Chicago
        _mention(monitor, source, 1, "Maple Family Clinic", sentiment="positive")
        _mention(monitor, source, 2, "Maple Family Clinic meh", sentiment="negative")
        assert digests_send_due() == 0
    with time_machine.travel(NOW, tick=False):
        assert digests_send_due() == 1
        assert digests_send_due() == 0
    [(to, subject, body)] = smtp.messages
    assert to == MANAGERS
    assert subject == "Bedside: daily listening digest for Riverside Clinic"
    assert "Mentions in the last 24 hours: 2\n  negative 1 · neutral 0 · positive 1" in body
    assert "Busiest monitors: Riverside Clinic (2)" in body
    assert "meh" not in body  # numbers only, no mention texts
    assert AlertLog.objects.get().key == "digest:2026-11-21"


@time_machine.travel(NOW, tick=False)
def test_smtp_failure_is_recorded_and_retried_when_smtp_is_back(
    smtp, settings, personas, riverside, source
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = _free_port(), 2  # nothing listens there
    _mention(
        riverside, source, 1, "awful Riverside Clinic", sentiment="negative", alert_pending=True
    )
    assert alerts_sweep() == 0
    log = AlertLog.objects.get()
    assert (log.status, log.attempts, log.error) == (
        "failed", 1, "ConnectionRefusedError: could not send the e-mail",
    )  # fmt: skip
    settings.EMAIL_PORT = port  # SMTP is back
    assert alerts_sweep() == 1
    log.refresh_from_db()
    assert (log.status, log.attempts, log.error) == ("sent", 2, "")
    [(to, subject, body)] = smtp.messages
    assert subject == "Bedside: 1 negative mention of Riverside Clinic"
    assert "awful Riverside Clinic" in body
    assert alerts_sweep() == 0


@time_machine.travel(NOW, tick=False)
def test_retries_stop_after_three_attempts(settings, personas, riverside, source):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    _mention(
        riverside, source, 1, "awful Riverside Clinic", sentiment="negative", alert_pending=True
    )
    for _ in range(5):
        alerts_sweep()
    log = AlertLog.objects.get()
    assert (log.status, log.attempts) == ("failed", 3)


@time_machine.travel(NOW, tick=False)
def test_periodic_tasks_call_the_sweepers(smtp, personas, riverside, source):
    from bedside.listening.tasks import alerts_sweep_periodic, digest_sweep

    _mention(
        riverside, source, 1, "Riverside Clinic was awful", sentiment="negative", alert_pending=True
    )
    assert alerts_sweep_periodic.call_local() == 1
    assert digest_sweep.call_local() == 1
    assert sorted(AlertLog.objects.values_list("kind", flat=True)) == ["digest", "negative"]
