"""The sweeper wakes only what has no task waiting, and re-finds lost wake-ups and
lost failure notices after the grace period (issue 4: no duplicates during a backlog,
nothing lost when a worker is killed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bedside.publishing import notify, tasks
from bedside.publishing import services as publishing
from bedside.publishing.models import Delivery
from bedside.publishing.services import _common as publishing_common
from bedside.publishing.services import notices

pytestmark = pytest.mark.django_db

GRACE = 300  # BEDSIDE_WAKE_GRACE_SECONDS' default


@pytest.fixture
def queue(monkeypatch):
    """The deliver tasks enqueued, in order (nothing runs: a backlog)."""
    woken: list[int] = []

    def enqueue(pk, eta):
        woken.append(pk)
        return True

    monkeypatch.setattr(publishing_common, "enqueue_delivery", enqueue)
    return woken


def _due(time_machine, delivery):
    delivery.refresh_from_db()
    time_machine.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))


def test_scheduling_records_the_wake_up_at_its_due_time(hook_channel, schedule):
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=3))
    assert delivery.wake_at == delivery.due_at


def test_a_sweep_during_a_backlog_does_not_enqueue_twice(
    hook_channel, schedule, time_machine, queue
):
    # Given three due deliveries whose tasks wait behind a backlog (two were woken by
    # scheduling, one never was: e.g. bulk-loaded)
    first = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    second = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    unwoken = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    Delivery.objects.filter(pk=unwoken.pk).update(wake_at=None)
    _due(time_machine, second)
    # When the minute sweep runs again and again while nothing is consumed
    swept = []
    for _ in range(4):
        swept.append(publishing.deliveries_sweep())
        time_machine.shift(60)
    # Then only the never-woken row was enqueued, once
    assert swept == [1, 0, 0, 0]
    assert queue == [unwoken.pk]
    assert {first.pk, second.pk, unwoken.pk} == set(publishing.deliveries_due())


def test_a_lost_wake_up_is_found_again_after_the_grace_period(
    hook_channel, schedule, time_machine, queue
):
    # Given a due delivery whose task was lost (a worker died before claiming it)
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    _due(time_machine, delivery)
    assert publishing.deliveries_sweep() == 0
    # When the grace period has passed since it should have run
    time_machine.shift(GRACE)
    # Then the sweep wakes it again, once, and waits another grace period for that task
    assert publishing.deliveries_sweep() == 1
    time_machine.shift(60)
    assert publishing.deliveries_sweep() == 0
    time_machine.shift(GRACE)
    assert publishing.deliveries_sweep() == 1
    assert queue == [delivery.pk, delivery.pk]
    assert Delivery.objects.get(pk=delivery.pk).state == "scheduled"


def test_a_claim_uses_up_the_wake_up_so_a_dead_worker_is_rescued_at_lease_expiry(
    hook_channel, schedule, time_machine, queue
):
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    _due(time_machine, delivery)
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="dies")
    assert Delivery.objects.get(pk=delivery.pk).wake_at is None
    assert publishing.deliveries_sweep() == 0  # the lease is live
    time_machine.shift(publishing.lease_seconds() + 1)  # far less than the grace period
    assert publishing.deliveries_sweep() == 1
    assert queue == [delivery.pk]
    time_machine.shift(60)
    assert publishing.deliveries_sweep() == 0


def test_a_retry_wakes_at_its_backoff_time(hook, hook_channel, schedule, http, time_machine):
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    _due(time_machine, delivery)
    hook.fail_next(1, "503")
    assert publishing.delivery_run(delivery_id=delivery.pk, http=http) == "scheduled"
    delivery.refresh_from_db()
    assert delivery.wake_at == delivery.next_attempt_at > timezone.now()


def test_a_wake_up_the_queue_refused_is_retried_by_the_next_sweep(
    hook_channel, schedule, time_machine, monkeypatch
):
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    _due(time_machine, delivery)
    Delivery.objects.filter(pk=delivery.pk).update(wake_at=None)

    def queue_down(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "deliver", queue_down)
    assert publishing.deliveries_sweep() == 1
    assert Delivery.objects.get(pk=delivery.pk).wake_at is None
    time_machine.shift(60)
    assert publishing.deliveries_to_wake() == [delivery.pk]


# --------------------------------------------------------------------------- notices


@pytest.fixture
def failed(hook, hook_channel, schedule, http, time_machine):
    """A delivery that failed for good; its failure-notice task was lost (the
    on-commit callbacks of the test transaction never run)."""
    delivery = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    _due(time_machine, delivery)
    hook.fail_next(1, "401")
    assert publishing.delivery_run(delivery_id=delivery.pk, http=http) == "failed"
    delivery.refresh_from_db()
    return delivery


@pytest.fixture
def immediate(settings):
    settings.HUEY.immediate = True
    yield
    settings.HUEY.immediate = False


def test_a_failure_owes_a_notice(failed):
    assert failed.state == "failed"
    assert failed.updated_at - dt.timedelta(seconds=1) <= failed.notice_queued_at <= timezone.now()
    assert failed.notified_at is None


def test_a_lost_failure_notice_is_sent_after_the_grace_period_once(
    failed, time_machine, mailoutbox, immediate
):
    publishing.deliveries_sweep()
    assert mailoutbox == []  # its task may still be waiting
    time_machine.shift(GRACE + 1)
    publishing.deliveries_sweep()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith(f"[Bedside] Post #{failed.post_id} did not go out")
    assert Delivery.objects.get(pk=failed.pk).notified_at is not None
    time_machine.shift(GRACE + 1)
    publishing.deliveries_sweep()
    assert len(mailoutbox) == 1


def test_the_notice_task_running_twice_sends_one_e_mail(failed, mailoutbox):
    assert tasks.failure_notice.call_local(failed.pk) == 1
    assert tasks.failure_notice.call_local(failed.pk) == 0
    assert len(mailoutbox) == 1
    assert publishing.failure_notices_due(now=timezone.now() + dt.timedelta(days=1)) == []


def test_a_mail_server_error_releases_the_notice_for_the_sweeper(
    failed, time_machine, mailoutbox, monkeypatch, immediate
):
    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(notify, "send_mail", smtp_down)
    assert notify.delivery_failure_notice(delivery_id=failed.pk) == 0
    assert Delivery.objects.get(pk=failed.pk).notified_at is None
    monkeypatch.undo()
    time_machine.shift(GRACE + 1)
    publishing.deliveries_sweep()
    assert len(mailoutbox) == 1


def test_a_delivery_retried_before_its_notice_went_out_gets_none(
    failed, time_machine, mailoutbox, editor, immediate
):
    publishing.delivery_retry(actor=editor, delivery=failed)
    time_machine.shift(GRACE + 1)
    assert notices.failure_notices_due() == []
    assert notify.delivery_failure_notice(delivery_id=failed.pk) == 0
    assert mailoutbox == []


def test_failures_from_before_the_markers_are_not_mailed_again(failed, time_machine):
    Delivery.objects.filter(pk=failed.pk).update(notice_queued_at=None)
    time_machine.shift(GRACE + 1)
    assert notices.failure_notices_due() == []
