"""Removing published posts: on request, and when a patient's consent is revoked."""

from __future__ import annotations

import datetime as dt

import pytest

from bedside.channels.services import channel_create
from bedside.compliance.services import consent_create, consent_revoke
from bedside.content import services as content
from bedside.content.models import Post
from bedside.core.selectors import dashboard_summary
from bedside.publishing import services as publishing
from bedside.publishing.models import Delivery
from tests.fakes.mastodon import MastodonFake
from tests.helpers import in_hours

pytestmark = pytest.mark.django_db

STORY = "Congratulations to Maria Lopez on finishing her first 5K after knee surgery!"


@pytest.fixture
def masto(owner):
    with MastodonFake() as fake:
        channel = channel_create(
            actor=owner, type="mastodon", name="Toots",
            settings={"base_url": fake.url, "access_token": fake.token},
        )  # fmt: skip
        yield fake, channel


def _publish(post, http, time_machine):
    delivery = Delivery.objects.get(post=post)
    time_machine.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))
    assert publishing.delivery_run(delivery_id=delivery.pk, http=http) == "published"
    delivery.refresh_from_db()
    return delivery


def test_a_person_removes_a_published_post(masto, schedule, http, time_machine, editor, viewer):
    fake, channel = masto
    delivery = _publish(schedule(channel), http, time_machine)
    assert len(fake.statuses) == 1
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        publishing.delivery_remove_request(actor=viewer, delivery=delivery)
    publishing.delivery_remove_request(actor=editor, delivery=delivery)
    assert publishing.removals_due() == [delivery.pk]
    assert publishing.delivery_remove_run(delivery_id=delivery.pk, http=http) == "removed"
    assert len(fake.statuses) == 0
    assert publishing.delivery_remove_run(delivery_id=delivery.pk, http=http) == "skipped"
    assert publishing.removals_due() == []


def test_revoking_a_consent_queues_removal_and_voids_unsent_approvals(
    masto, owner, editor, compliance_officer, http, time_machine
):
    fake, channel = masto
    consent = consent_create(
        actor=compliance_officer, patient_name="Maria Lopez", covers=["name", "story"],
        channels=["all"], expires_on=None, signer_name="Maria Lopez", signed=True,
    )  # fmt: skip

    def approved_post(hours):
        post = content.post_create(
            actor=editor, text=STORY, channel_ids=[channel.pk], scheduled_at=in_hours(hours)
        )
        content.post_submit(actor=editor, post=post)
        content.post_approve(actor=owner, post=post)
        return post

    published = approved_post(1)
    assert any(f.get("consent_id") == consent.pk for f in published.findings)
    delivery = _publish(published, http, time_machine)
    waiting = approved_post(5)
    revocation = consent_revoke(
        actor=compliance_officer, consent=consent, reason="The patient asked us to."
    )
    assert {(u.kind, u.id) for u in revocation.usages} == {
        ("post", published.pk),
        ("post", waiting.pk),
    }
    delivery.refresh_from_db()
    assert delivery.remove_reason == "consent_revoked" and delivery.remove_requested_at
    assert publishing.delivery_remove_run(delivery_id=delivery.pk, http=http) == "removed"
    assert len(fake.statuses) == 0
    waiting.refresh_from_db()
    assert waiting.state == "draft" and waiting.approved_revision is None
    assert Delivery.objects.get(post=waiting).state == "pending"


def test_dashboard_tiles(hook_channel, schedule, owner, time_machine, http):
    post = schedule(hook_channel)
    tiles = dashboard_summary(membership=owner).tiles
    assert {
        "label": "Deliveries in the next 7 days",
        "value": 1,
        "url": "/content/calendar/",
    } in tiles
    Delivery.objects.filter(post=post).update(state="failed")
    labels = [t["label"] for t in dashboard_summary(membership=owner).tiles]
    assert "1 post(s) need a person" in labels
    assert Post.objects.count() == 1
