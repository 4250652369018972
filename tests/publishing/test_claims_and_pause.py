"""Claims and leases, the sweeper, the Huey tasks, and the crisis pause."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.content.models import Post
from bedside.publishing import services as publishing
from bedside.publishing import tasks
from bedside.publishing.models import Delivery
from bedside.publishing.services import _common as publishing_common

pytestmark = pytest.mark.django_db


def _make_due(time_machine, delivery):
    delivery.refresh_from_db()
    time_machine.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))


def test_two_claimers_one_wins(hook_channel, schedule, time_machine):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _make_due(time_machine, delivery)
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="a") is True
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="b") is False
    delivery.refresh_from_db()
    assert (delivery.state, delivery.lease_owner, delivery.attempts) == ("publishing", "a", 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_in_threads_one_wins(hook_channel, schedule):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    start, results = threading.Barrier(4), []

    def claim(name):
        start.wait()
        try:
            results.append(publishing.delivery_claim(delivery_id=delivery.pk, worker=name))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]


def test_an_expired_lease_can_be_claimed_again(hook_channel, schedule, time_machine):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _make_due(time_machine, delivery)
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="a")
    assert publishing.deliveries_due() == []
    time_machine.shift(publishing.lease_seconds() + 1)
    assert publishing.deliveries_due() == [delivery.pk]
    assert publishing.delivery_claim(delivery_id=delivery.pk, worker="b")
    assert Delivery.objects.get(pk=delivery.pk).attempts == 2


def test_sweeper_enqueues_due_and_stalled_deliveries(
    hook_channel, schedule, time_machine, monkeypatch
):
    later = Delivery.objects.get(post=schedule(hook_channel, hours=5))
    due = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    woken = []
    monkeypatch.setattr(publishing_common, "enqueue_delivery", lambda pk, eta: woken.append(pk))
    _make_due(time_machine, due)
    assert publishing.deliveries_sweep() == 0  # its scheduled task is still on its way
    time_machine.shift(publishing.wake_grace_seconds())  # ... and was lost
    assert publishing.deliveries_sweep() == 1
    assert woken == [due.pk]
    assert later.pk not in publishing.deliveries_due()


def test_deliver_task_sends_and_is_safe_twice(
    hook, hook_channel, schedule, time_machine, http, monkeypatch
):
    from bedside.channels import connect

    monkeypatch.setattr(connect, "_shared_http", http)
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    _make_due(time_machine, delivery)
    assert tasks.deliver.call_local(delivery.pk) == "published"
    assert tasks.deliver.call_local(delivery.pk) == "skipped"
    assert tasks.sweep_deliveries.call_local() == 0
    assert hook.stats()["total"] == 1


def test_approval_enqueues_a_task_at_the_due_time(
    hook_channel, editor, owner, monkeypatch, django_capture_on_commit_callbacks
):
    from bedside.content import services as content
    from tests.helpers import CLEAN_TEXT, in_hours

    woken = []
    monkeypatch.setattr(
        publishing_common, "enqueue_delivery", lambda pk, eta: woken.append((pk, eta))
    )
    when = in_hours(3)
    post = content.post_create(
        actor=editor, text=CLEAN_TEXT, channel_ids=[hook_channel.pk], scheduled_at=when
    )
    content.post_submit(actor=editor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        content.post_approve(actor=owner, post=post)
    assert woken == [(Delivery.objects.get(post=post).pk, when)]


def test_crisis_pause_stops_everything_and_resume_lists_what_was_missed(
    hook, hook_channel, schedule, time_machine, http, editor, login
):
    early = Delivery.objects.get(post=schedule(hook_channel, hours=1))
    late = Delivery.objects.get(post=schedule(hook_channel, hours=10))
    publishing.crisis_pause_start(actor=editor, reason="Community tragedy")
    assert AuditEvent.objects.filter(action="publishing.paused").count() == 1
    page = login(editor).get("/content/calendar/").content.decode()
    assert "Publishing is paused" in page
    _make_due(time_machine, early)
    assert publishing.deliveries_due() == []
    assert publishing.delivery_run(delivery_id=early.pk, http=http) == "skipped"
    assert hook.stats()["total"] == 0
    missed = publishing.crisis_pause_end(actor=editor)
    assert [d.pk for d in missed] == [early.pk]
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.state == "expired" and "paused" in early.error
    assert late.state == "scheduled"
    assert Post.objects.get(pk=early.post_id).state == "approved"
    event = AuditEvent.objects.get(action="publishing.resumed")
    assert event.data == {"missed": [early.pk]}
    resume_page = login(editor).get("/publishing/pause/").content.decode()
    assert "Not sent: choose a new time or drop" in resume_page and "Reschedule" in resume_page
    # each missed one: reschedule or drop
    new_time = timezone.now() + dt.timedelta(hours=2)
    publishing.delivery_reschedule(actor=editor, delivery=early, due_at=new_time)
    assert Delivery.objects.get(pk=early.pk).state == "scheduled"
    assert Post.objects.get(pk=early.post_id).state == "scheduled"


def test_dropping_a_missed_delivery(hook_channel, schedule, time_machine, editor):
    delivery = Delivery.objects.get(post=schedule(hook_channel))
    publishing.crisis_pause_start(actor=editor)
    _make_due(time_machine, delivery)
    publishing.crisis_pause_end(actor=editor)
    publishing.delivery_drop(actor=editor, delivery=delivery)
    assert Delivery.objects.get(pk=delivery.pk).state == "cancelled"


def test_pause_page_switch(editor, login):
    client = login(editor)
    client.post("/publishing/pause/", {"action": "pause", "reason": "Storm"})
    assert "Publishing is paused" in client.get("/content/posts/").content.decode()
    client.post("/publishing/pause/", {"action": "resume"})
    assert "Publishing is paused" not in client.get("/content/posts/").content.decode()


def test_viewer_cannot_pause(viewer, login):
    assert login(viewer).post("/publishing/pause/", {"action": "pause"}).status_code == 403
    assert not AuditEvent.objects.filter(action="publishing.paused").exists()
