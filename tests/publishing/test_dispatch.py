"""Dispatch against the fakes: wire format, retries, terminal errors, unknown outcomes."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.utils import timezone

from bedside.channels.connectors import base as connectors
from bedside.channels.connectors.webhook.connector import sign
from bedside.channels.models import ChannelAccount
from bedside.channels.services import channel_create
from bedside.content.models import Post
from bedside.publishing import services as publishing
from bedside.publishing.models import Delivery
from tests.fakes.mastodon import MastodonFake
from tests.helpers import CLEAN_TEXT, WEBHOOK_SECRET

pytestmark = pytest.mark.django_db


def _run(delivery, http):
    return publishing.delivery_run(delivery_id=delivery.pk, http=http)


def _wait_for(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


def _due(time_machine, delivery):
    delivery.refresh_from_db()
    time_machine.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))


def test_webhook_wire_format_is_exactly_as_documented(
    hook, hook_channel, schedule, http, time_machine
):
    post = schedule(hook_channel)
    delivery = Delivery.objects.get(post=post)
    _due(time_machine, delivery)
    assert _run(delivery, http) == "published"
    (request,) = hook.requests
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == delivery.idempotency_key
    assert request.headers["x-bedside-signature"] == sign(WEBHOOK_SECRET, request.body)
    body = json.loads(request.body)
    assert body == {
        "post_id": post.pk,
        "delivery_id": delivery.pk,
        "text": CLEAN_TEXT,
        "media": [],
        "scheduled_at": post.scheduled_at.isoformat(),
    }
    delivery.refresh_from_db()
    assert (delivery.state, delivery.external_id) == ("published", "wh_1")
    assert delivery.url == f"{hook.url}/posts/wh_1"
    assert delivery.attempts == 1
    assert Post.objects.get(pk=post.pk).state == "published"
    assert hook.violations == []


def test_running_twice_sends_once(hook, hook_channel, schedule, http, time_machine):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _due(time_machine, delivery)
    assert _run(delivery, http) == "published"
    assert _run(delivery, http) == "skipped"
    assert hook.stats()["total"] == 1


def test_not_sent_before_its_time(hook, hook_channel, schedule, http):
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=3))
    assert _run(delivery, http) == "skipped"
    assert hook.stats()["total"] == 0


def test_429_retries_after_retry_after(hook, hook_channel, schedule, http, time_machine):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _due(time_machine, delivery)
    hook.fail_next(1, "429", retry_after=600)
    started = timezone.now()
    assert _run(delivery, http) == "scheduled"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at >= started + dt.timedelta(seconds=600)
    assert delivery.last_error_kind == "retryable"
    assert "tries again automatically" in delivery.error
    assert _run(delivery, http) == "skipped"  # not before Retry-After
    _due(time_machine, delivery)
    assert _run(delivery, http) == "published"
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.error == ""
    assert hook.stats() | {} == {**hook.stats(), "unique": 1}


def test_backoff_grows_with_jitter_and_gives_up(
    hook, hook_channel, schedule, http, time_machine, settings
):
    settings.BEDSIDE_DELIVERY_MAX_ATTEMPTS = 3
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    delays = []
    for _ in range(2):
        _due(time_machine, delivery)
        hook.fail_next(1, "503")
        now = timezone.now()
        assert _run(delivery, http) == "scheduled"
        delivery.refresh_from_db()
        delays.append((delivery.next_attempt_at - now).total_seconds())
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60
    _due(time_machine, delivery)
    hook.fail_next(1, "503")
    assert _run(delivery, http) == "failed"
    delivery.refresh_from_db()
    assert "could not be reached after 3 tries" in delivery.error
    assert delivery.fix_url == f"/settings/channels/{hook_channel.pk}/"


def test_401_fails_with_a_plain_message_and_a_reconnect_link(
    hook, hook_channel, schedule, http, time_machine
):
    post = schedule(hook_channel)
    delivery = Delivery.objects.get(post=post)
    _due(time_machine, delivery)
    hook.fail_next(1, "401")
    assert _run(delivery, http) == "failed"
    delivery.refresh_from_db()
    assert delivery.error == (
        "The connection to the webhook has expired or was revoked. "
        "Reconnect the account in Settings → Channels."
    )
    assert delivery.last_error_kind == "auth"
    assert delivery.fix_url == f"/settings/channels/{hook_channel.pk}/"
    assert ChannelAccount.objects.get(pk=hook_channel.pk).status == "needs_reconnect"
    assert Post.objects.get(pk=post.pk).state == "failed"


def test_one_network_failing_does_not_fail_the_others(
    hook, hook_channel, schedule, http, time_machine, owner
):
    broken = channel_create(
        actor=owner, type="webhook", name="Broken hook",
        settings={"url": f"{hook.url}/other", "secret": "wrong-secret-123"},
    )  # fmt: skip
    post = schedule(hook_channel, broken)
    good, bad = (Delivery.objects.get(post=post, channel=c) for c in (hook_channel, broken))
    _due(time_machine, good)
    assert _run(good, http) == "published"
    assert _run(bad, http) == "failed"  # the fake answers 401 to a bad signature
    assert Delivery.objects.get(pk=good.pk).state == "published"
    assert Post.objects.get(pk=post.pk).state == "failed"


def test_unknown_outcome_on_the_webhook_retries_safely_with_the_same_key(
    hook, hook_channel, schedule, http, time_machine
):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _due(time_machine, delivery)
    hook.fail_next(1, "delay", delay=1.5)  # applied, but the answer comes too late
    assert _run(delivery, http) == "scheduled"
    delivery.refresh_from_db()
    assert delivery.last_error_kind == "unknown"
    _due(time_machine, delivery)
    assert _run(delivery, http) == "published"
    _wait_for(lambda: hook.stats()["total"] == 2)  # the slow first request lands too
    assert hook.deliveries() == {delivery.idempotency_key: 2}  # same key: one post for the receiver
    assert hook.stats()["unique"] == 1


def test_refused_at_send_time_when_the_channel_was_disconnected(
    hook, hook_channel, schedule, http, time_machine
):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    ChannelAccount.objects.filter(pk=hook_channel.pk).update(status="needs_reconnect")
    _due(time_machine, delivery)
    assert _run(delivery, http) == "failed"
    delivery.refresh_from_db()
    assert "Reconnect it in Settings" in delivery.error
    assert hook.stats()["total"] == 0


def test_refused_at_send_time_when_the_approver_lost_the_right(
    hook, hook_channel, schedule, http, time_machine, owner
):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    owner.role = "viewer"
    owner.save()
    _due(time_machine, delivery)
    assert _run(delivery, http) == "failed"
    assert "can no longer approve" in Delivery.objects.get(pk=delivery.pk).error
    assert hook.stats()["total"] == 0


def test_retry_after_fixing(hook, hook_channel, schedule, http, time_machine, editor):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _due(time_machine, delivery)
    hook.fail_next(1, "401")
    _run(delivery, http)
    ChannelAccount.objects.filter(pk=hook_channel.pk).update(status="connected")
    publishing.delivery_retry(actor=editor, delivery=Delivery.objects.get(pk=delivery.pk))
    assert _run(delivery, http) == "published"


# --------------------------------------------------------------------------- non-idempotent


@pytest.fixture
def masto(owner):
    with MastodonFake() as fake:
        channel = channel_create(
            actor=owner, type="mastodon", name="Toots",
            settings={"base_url": fake.url, "access_token": fake.token},
        )  # fmt: skip
        yield fake, channel


@pytest.fixture
def not_idempotent(monkeypatch):
    """Treat Mastodon like a network without an idempotency key (X, Facebook...)."""
    monkeypatch.setitem(connectors.IDEMPOTENT_PUBLISH, "mastodon", False)


def test_unknown_outcome_found_in_recent_posts_is_published_not_resent(
    masto, not_idempotent, schedule, http, time_machine
):
    fake, channel = masto
    delivery = Delivery.objects.get(post=schedule(channel))
    _due(time_machine, delivery)
    fake.fail_next(1, "delay", delay=1.2)
    original = fake.account_statuses

    def _after_the_slow_post(req):  # the network shows the post once it is created
        _wait_for(lambda: len(fake.statuses) == 1)
        return original(req)

    fake._routes[-1] = (fake._routes[-1][0], fake._routes[-1][1], _after_the_slow_post)
    assert _run(delivery, http) == "published"
    delivery.refresh_from_db()
    assert len(fake.statuses) == 1
    assert delivery.external_id == next(iter(fake.statuses))


def test_unknown_outcome_not_found_goes_to_needs_review(
    masto, not_idempotent, schedule, http, time_machine, editor
):
    fake, channel = masto
    post = schedule(channel)
    delivery = Delivery.objects.get(post=post)
    _due(time_machine, delivery)
    fake.fail_next(1, "drop")  # request read, no answer, nothing created
    assert _run(delivery, http) == "needs_review"
    delivery.refresh_from_db()
    assert "could not tell whether Toots received this post" in delivery.error
    assert delivery.fix_url == f"/content/posts/{post.pk}/"
    assert Post.objects.get(pk=post.pk).state == "needs_review"
    assert _run(delivery, http) == "skipped"  # never re-sent by itself
    assert len(fake.statuses) == 0
    publishing.delivery_resolve(actor=editor, delivery=delivery, outcome="resend")
    assert _run(delivery, http) == "published"
    assert len(fake.statuses) == 1


def test_a_stalled_lease_on_a_non_idempotent_network_is_checked_not_resent(
    masto, not_idempotent, schedule, http, time_machine
):
    fake, channel = masto
    delivery = Delivery.objects.get(post=schedule(channel))
    _due(time_machine, delivery)
    # A worker claimed it, marked the call as started, then died.
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="dead")
    Delivery.objects.filter(pk=delivery.pk).update(sending_at=timezone.now())
    assert _run(delivery, http) == "skipped"  # the lease still holds
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=publishing.lease_seconds() + 1))
    assert _run(delivery, http) == "needs_review"
    assert len(fake.statuses) == 0 and fake.requests[-1].method == "GET"


def test_a_stalled_lease_on_the_webhook_is_resent_with_the_same_key(
    hook, hook_channel, schedule, http, time_machine
):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _due(time_machine, delivery)
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="dead")
    Delivery.objects.filter(pk=delivery.pk).update(sending_at=timezone.now())
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=publishing.lease_seconds() + 1))
    assert publishing.deliveries_due() == [delivery.pk]
    assert _run(delivery, http) == "published"
    assert hook.deliveries() == {delivery.idempotency_key: 1}
    assert Delivery.objects.get(pk=delivery.pk).attempts == 2


# --------------------------------------------------------------------------- X (OAuth 2.0)


@pytest.fixture
def x_channel(owner):
    from tests.fakes.x import XFake

    with XFake() as xf:
        access, refresh = xf.issue()
        channel = channel_create(
            actor=owner, type="x", name="Clinic on X",
            settings={"base_url": xf.url, "client_id": xf.client_id, "username": "mapleclinic",
                      "access_token": access, "refresh_token": refresh,
                      "client_secret": xf.client_secret},
            expires_at=timezone.now() + dt.timedelta(hours=2),
        )  # fmt: skip
        yield xf, channel


def test_expired_token_is_refreshed_and_the_new_tokens_are_stored(
    x_channel, schedule, http, time_machine
):
    xf, channel = x_channel
    old = channel.credentials()
    delivery = Delivery.objects.get(post=schedule(channel))
    _due(time_machine, delivery)
    xf.expire_access_tokens()
    assert _run(delivery, http) == "published"
    channel.refresh_from_db()
    new = channel.credentials()
    assert new.access_token != old.access_token
    assert new.refresh_token in xf.refresh and new.refresh_token != old.refresh_token
    assert new.extra["client_secret"] == xf.client_secret  # nothing else lost
    assert channel.status == "connected"
    assert channel.token_expires_at == new.expires_at
    assert len(xf.tweets) == 1 and xf.violations == []


def test_unknown_outcome_on_x_is_never_resent_blindly(x_channel, schedule, http, time_machine):
    xf, channel = x_channel
    delivery = Delivery.objects.get(post=schedule(channel))
    _due(time_machine, delivery)
    xf.fail_next(1, "drop")  # the request is read, then the connection closes: unknown
    assert _run(delivery, http) == "needs_review"
    assert len(xf.tweets) == 0
    assert [r.method for r in xf.requests].count("POST") == 1  # sent once, then only looked


def test_a_failure_notice_says_what_to_do_without_the_post_text(
    hook,
    hook_channel,
    schedule,
    http,
    time_machine,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.HUEY.immediate = True
    post = schedule(hook_channel)
    delivery = Delivery.objects.get(post=post)
    _due(time_machine, delivery)
    hook.fail_next(1, "401")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert _run(delivery, http) == "failed"
    finally:
        settings.HUEY.immediate = False
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["editor@maple.test", "owner@maple.test"]
    assert mail.subject == f"[Bedside] Post #{post.pk} did not go out to Site hook"
    assert "Reconnect the account in Settings → Channels." in mail.body
    assert f"/settings/channels/{hook_channel.pk}/" in mail.body
    assert CLEAN_TEXT[:20] not in mail.body


def test_token_expiry_reminder(owner, admin, editor, mailoutbox):
    from bedside.publishing.notify import token_expiry_reminders

    soon = channel_create(
        actor=owner, type="mastodon", name="Toots",
        settings={"access_token": "t0ken-123456"}, expires_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    channel_create(
        actor=owner, type="mastodon", name="Later",
        settings={"access_token": "t0ken-654321"}, expires_at=timezone.now() + dt.timedelta(days=30),
    )  # fmt: skip
    assert token_expiry_reminders() == 1
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["admin@maple.test", "owner@maple.test"]
    assert mail.subject.startswith("[Bedside] Reconnect Toots before")
    assert f"/settings/channels/{soon.pk}/" in mail.body
