"""Alert e-mails: instant for negative mentions of the practice or its clinicians
and for misinformation spikes, and a daily digest. Each e-mail passes the
compliance guard (`guard_check`); a blocked text is never sent as is: a redacted
notice ("a mention needs your attention" and a link) goes instead.

Rows are the truth: `Mention.alert_pending` marks what still needs an instant
alert, and `AlertLog.key` (unique per practice) makes every send idempotent,
so the sweeper may run twice, or on two workers, without double e-mails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm, role_has
from bedside.core.models import Practice
from bedside.listening.models import AlertLog, AlertSettings, Mention

log = logging.getLogger(__name__)

CLAIM = 50  # mentions per instant alert e-mail
MAX_ATTEMPTS = 3  # sends of one alert e-mail before it stays failed
REDACTED = "A mention needs your attention."


@dataclass(frozen=True)
class GuardResult:
    verdict: str  # block | warn | pass
    findings: int


def guard_check(*, practice: Practice, text: str) -> GuardResult:
    """The compliance guard for an outgoing alert e-mail; the one place it is called.

    `bedside.compliance.services.text_check` with the practice's context (kind
    "message", channel "email"). Any failure of the guard counts as a block, so
    an alert is never sent unchecked.
    """
    from bedside.compliance.services import text_check

    try:
        result = text_check(practice=practice, text=text, kind="message", channel_type="email")
        return GuardResult(str(result.verdict), len(result.findings))
    except Exception:
        log.exception("compliance guard failed for a listening alert; sending the redacted notice")
        return GuardResult("block", 0)


def recipients(practice: Practice) -> list[str]:
    """Members who manage listening receive its alerts."""
    return sorted(
        m.user.email
        for m in Membership.objects.filter(practice=practice, user__is_active=True).select_related(
            "user"
        )
        if role_has(m.role, Perm.MANAGE_LISTENING)
    )


def _url(name: str, query: str = "") -> str:
    return settings.BEDSIDE_BASE_URL.rstrip("/") + reverse(name) + query


def _send(
    *, practice: Practice, kind: str, key: str, subject: str, body: str, mention_ids=()
) -> AlertLog | None:  # type: ignore[no-untyped-def]
    """Guard, then send once per (practice, key); None when it was sent before."""
    try:
        with transaction.atomic():
            entry = AlertLog.objects.create(
                practice=practice, kind=kind, key=key, mention_ids=list(mention_ids)
            )
    except IntegrityError:
        return None
    return _deliver(entry, practice, subject, body)


def _deliver(entry: AlertLog, practice: Practice, subject: str, body: str) -> AlertLog:
    to = recipients(practice)
    guard = guard_check(practice=practice, text=f"{subject}\n{body}")
    entry.verdict = guard.verdict
    entry.redacted = guard.verdict == "block"
    if entry.redacted:
        subject = f"Bedside: {REDACTED.lower().rstrip('.')}"
        body = (
            f"{REDACTED}\n\nIts text cannot be sent by e-mail. Open Bedside to read it:\n"
            f"{_url('listening:stream')}\n"
        )
    entry.recipients = len(to)
    if not to:
        entry.status = AlertLog.Status.SKIPPED
    else:
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send()
            entry.status = AlertLog.Status.SENT
            entry.sent_at = timezone.now()
            entry.error = ""
        except Exception as exc:  # SMTP down: recorded, retried by the sweeper
            entry.status = AlertLog.Status.FAILED
            entry.error = f"{type(exc).__name__}: could not send the e-mail"[:500]
            log.warning(
                "listening alert %s for practice %s failed: %s", entry.key, practice.pk, exc
            )
    entry.save()
    return entry


def alerts_retry_failed(*, now: datetime) -> int:
    """Send again alerts whose e-mail failed (SMTP down), up to MAX_ATTEMPTS within a day.

    Each retry is claimed with a conditional UPDATE (failed -> sending), so two
    sweepers never send the same one. The text is composed again from the rows:
    the log itself holds no mention text.
    """
    sent = 0
    due = AlertLog.objects.filter(
        status=AlertLog.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        created_at__gte=now - timedelta(days=1),
    ).select_related("practice")
    for entry in due:
        claimed = AlertLog.objects.filter(pk=entry.pk, status=AlertLog.Status.FAILED).update(
            status=AlertLog.Status.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        entry.refresh_from_db()
        text = _compose_again(entry, now)
        if text is None:
            entry.status, entry.error = AlertLog.Status.SKIPPED, "Nothing left to send."
            entry.save(update_fields=["status", "error"])
            continue
        if _deliver(entry, entry.practice, *text).status == AlertLog.Status.SENT:
            sent += 1
    return sent


def _compose_again(entry: AlertLog, now: datetime) -> tuple[str, str] | None:
    practice = entry.practice
    if entry.kind == AlertLog.Kind.NEGATIVE:
        mentions = list(
            Mention.objects.filter(practice=practice, pk__in=entry.mention_ids).select_related(
                "monitor", "source"
            )
        )
        return _negative_text(practice, mentions) if mentions else None
    if entry.kind == AlertLog.Kind.SPIKE:
        conf = _settings_for({practice.pk})[practice.pk]
        return _spike_text(practice, conf, _myth_count(practice, conf, now))
    return _digest_text(practice, now)


def _local(practice: Practice, when: datetime) -> str:
    return timezone.localtime(when, practice.zone).strftime("%b %-d, %H:%M")


def _negative_text(practice: Practice, mentions: list[Mention]) -> tuple[str, str]:
    lines = []
    for m in mentions:
        # No author: a handle next to a complaint may identify a patient; Bedside shows it.
        lines.append(
            f"- {m.monitor.name} · {m.source.name or m.source.kind} · {_local(practice, m.published_at)}"
            f"\n  {m.text[:500]}\n  {m.url}".rstrip()
        )
    n = len(mentions)
    subject = f"Bedside: {n} negative mention{'s' if n != 1 else ''} of {practice.name}"
    body = (
        f"{subject}.\n\n"
        + "\n\n".join(lines)
        + f"\n\nAll mentions: {_url('listening:stream', '?sentiment=negative')}\n"
    )
    return subject, body


def negative_alert_send(*, practice: Practice, mentions: list[Mention]) -> AlertLog | None:
    subject, body = _negative_text(practice, mentions)
    return _send(
        practice=practice,
        kind=AlertLog.Kind.NEGATIVE,
        key=f"negative:{min(m.pk for m in mentions)}",
        subject=subject,
        body=body,
        mention_ids=[m.pk for m in mentions],
    )


def _claim_negative(practice_id: int) -> list[Mention]:
    ids = list(
        Mention.objects.filter(practice_id=practice_id, alert_pending=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:CLAIM]
    )
    claimed: list[int] = []
    for pk in ids:  # conditional UPDATE per row: exactly one sweeper gets each
        if Mention.objects.filter(pk=pk, alert_pending=True).update(alert_pending=False):
            claimed.append(pk)
    return list(Mention.objects.filter(pk__in=claimed).select_related("monitor", "source"))


def _myth_count(practice: Practice, conf: AlertSettings, now: datetime) -> int:
    window = timedelta(minutes=conf.spike_window_minutes)
    return Mention.objects.filter(
        practice=practice, misinformation=True, created_at__gte=now - window
    ).count()


def _spike_text(practice: Practice, conf: AlertSettings, n: int) -> tuple[str, str]:
    subject = f"Bedside: health misinformation is spiking around {practice.name}"
    body = (
        f"{n} mentions repeating health myths in the last {conf.spike_window_minutes} minutes "
        f"(your threshold: {conf.spike_threshold}).\n\n"
        f"Review them: {_url('listening:stream', '?misinformation=1')}\n"
    )
    return subject, body


def spike_check(*, practice: Practice, conf: AlertSettings, now: datetime) -> AlertLog | None:
    n = _myth_count(practice, conf, now)
    if n < conf.spike_threshold:
        return None
    bucket = int(now.timestamp() // (conf.spike_window_minutes * 60))
    subject, body = _spike_text(practice, conf, n)
    return _send(
        practice=practice,
        kind=AlertLog.Kind.SPIKE,
        key=f"spike:{bucket}",
        subject=subject,
        body=body,
    )


def _settings_for(practice_ids) -> dict[int, AlertSettings]:  # type: ignore[no-untyped-def]
    found = {s.practice_id: s for s in AlertSettings.objects.filter(practice_id__in=practice_ids)}
    return {pid: found.get(pid) or AlertSettings(practice_id=pid) for pid in practice_ids}


def _was_sent(entry: AlertLog | None) -> int:
    return int(entry is not None and entry.status == AlertLog.Status.SENT)


def alerts_sweep(*, now: datetime | None = None) -> int:
    """Retry failed alert e-mails, then send due instant alerts (negative mentions,
    misinformation spikes); returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = alerts_retry_failed(now=now)
    pending = set(
        Mention.objects.filter(alert_pending=True).values_list("practice_id", flat=True).distinct()
    )
    longest = timedelta(days=7)
    spiking = set(
        Mention.objects.filter(misinformation=True, created_at__gte=now - longest)
        .values("practice_id")
        .annotate(n=Count("id"))
        .values_list("practice_id", flat=True)
    )
    confs = _settings_for(pending | spiking)
    practices = Practice.objects.in_bulk(pending | spiking)
    for pid in pending:
        while True:
            mentions = _claim_negative(pid)
            if not mentions:
                break
            if confs[pid].instant_negative:
                sent += _was_sent(negative_alert_send(practice=practices[pid], mentions=mentions))
    for pid in spiking:
        if confs[pid].misinformation_spike:
            sent += _was_sent(spike_check(practice=practices[pid], conf=confs[pid], now=now))
    return sent


def _digest_text(practice: Practice, now: datetime) -> tuple[str, str]:
    since = now - timedelta(hours=24)
    qs = Mention.objects.filter(practice=practice, created_at__gte=since)
    by_sentiment = dict(qs.values_list("sentiment").annotate(n=Count("id")).order_by())
    top = list(
        qs.values_list("monitor__name").annotate(n=Count("id")).order_by("-n", "monitor__name")[:5]
    )
    waiting = Mention.objects.filter(practice=practice, state=Mention.State.NEW).count()
    myths = qs.filter(misinformation=True).count()
    lines = [
        f"Mentions in the last 24 hours: {sum(by_sentiment.values())}",
        f"  negative {by_sentiment.get('negative', 0)} · neutral {by_sentiment.get('neutral', 0)}"
        f" · positive {by_sentiment.get('positive', 0)}",
        f"Repeating health myths: {myths}",
        f"Waiting for a look (new): {waiting}",
    ]
    if top:
        lines.append("Busiest monitors: " + ", ".join(f"{name} ({n})" for name, n in top))
    subject = f"Bedside: daily listening digest for {practice.name}"
    body = "\n".join(lines) + f"\n\nOpen the stream: {_url('listening:stream')}\n"
    return subject, body


def digest_send(*, practice: Practice, now: datetime) -> AlertLog | None:
    """Yesterday-to-now in numbers (no mention texts), once per local day."""
    local_day = timezone.localtime(now, practice.zone).date()
    subject, body = _digest_text(practice, now)
    return _send(
        practice=practice,
        kind=AlertLog.Kind.DIGEST,
        key=f"digest:{local_day.isoformat()}",
        subject=subject,
        body=body,
    )


def digests_send_due(*, now: datetime | None = None) -> int:
    """Send each practice's digest once its local digest hour has come today."""
    now = now or timezone.now()
    from bedside.listening.models import Monitor

    ids = set(Monitor.objects.values_list("practice_id", flat=True).distinct())
    confs = _settings_for(ids)
    sent = 0
    for practice in Practice.objects.filter(pk__in=ids):
        conf = confs[practice.pk]
        if not conf.daily_digest:
            continue
        if timezone.localtime(now, practice.zone).hour < conf.digest_hour:
            continue
        sent += _was_sent(digest_send(practice=practice, now=now))
    return sent
