"""Posts: the state machine, approval rules, revisions, and the API's shapes and errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bedside.audit.models import AuditEvent
from bedside.content import services
from bedside.content.models import Post, PostRevision, PostTransition
from bedside.publishing.models import Delivery
from tests.helpers import CLEAN_TEXT, in_hours, plain_channel

pytestmark = pytest.mark.django_db

WARN_TEXT = "Glad the new meds are working for so many of you! Ask us about refills."
PHI_TEXT = "Happy birthday to Mrs. Okafor, who turned 94 today!"


@pytest.fixture
def channel(owner):
    return plain_channel(owner, type="mastodon", name="Toots")


def _post(author, channel, text=CLEAN_TEXT, hours=24):
    return services.post_create(
        actor=author, text=text, channel_ids=[channel.pk], scheduled_at=in_hours(hours)
    )


def test_every_transition_is_recorded_and_audited(editor, owner, channel):
    post = _post(editor, channel)
    services.post_submit(actor=editor, post=post)
    services.post_reject(actor=owner, post=post, note="Shorter please")
    services.post_submit(actor=editor, post=post)
    services.post_approve(actor=owner, post=post)
    post.refresh_from_db()
    assert post.state == "scheduled"
    steps = list(PostTransition.objects.filter(post=post).values_list("from_state", "to_state"))
    assert steps == [
        ("", "draft"),
        ("draft", "in_review"),
        ("in_review", "draft"),
        ("draft", "in_review"),
        ("in_review", "approved"),
        ("approved", "scheduled"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_type="content.post", object_id=str(post.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    for to in ("in_review", "draft", "approved", "scheduled"):
        assert f"post.{to}" in actions
    assert post.version == 6  # one bump per transition


def test_a_stale_version_is_refused(editor, channel):
    post = _post(editor, channel)
    with pytest.raises(services.PostConflict):
        services.post_submit(actor=editor, post=post, expected_version=post.version + 7)
    assert Post.objects.get(pk=post.pk).state == "draft"


def test_blocking_finding_stops_submission(editor, channel):
    post = _post(editor, channel, text=PHI_TEXT)
    assert post.verdict == "block"
    assert {f["category"] for f in post.findings} >= {"name", "age_over_89"}
    with pytest.raises(ValidationError):
        services.post_submit(actor=editor, post=post)
    assert Post.objects.get(pk=post.pk).state == "draft"


def test_compliance_officer_override_lets_it_through_but_needs_a_second_person(
    editor, compliance_officer, owner, channel
):
    post = _post(editor, channel, text=PHI_TEXT)
    with pytest.raises(PermissionDenied):
        services.post_override(actor=editor, post=post, reason="It is fine, trust me.")
    services.post_override(
        actor=compliance_officer, post=post, reason="Mrs. Okafor signed an authorization."
    )
    services.post_submit(actor=editor, post=post)
    assert AuditEvent.objects.filter(action="post.findings_overridden").count() == 1


def test_author_cannot_approve_own_post_when_two_person_rule_applies(
    compliance_officer, owner, channel
):
    post = _post(compliance_officer, channel, text=WARN_TEXT)
    assert post.verdict == "warn"
    services.post_submit(actor=compliance_officer, post=post)
    with pytest.raises(PermissionDenied):
        services.post_approve(actor=compliance_officer, post=post)
    assert Post.objects.get(pk=post.pk).state == "in_review"
    assert not Delivery.objects.filter(post=post).exists()
    services.post_approve(actor=owner, post=Post.objects.get(pk=post.pk))
    assert Post.objects.get(pk=post.pk).state == "scheduled"


def test_author_may_approve_a_clean_post(owner, channel):
    post = _post(owner, channel)
    services.post_submit(actor=owner, post=post)
    services.post_approve(actor=owner, post=post)
    assert Post.objects.get(pk=post.pk).state == "scheduled"


def test_editor_cannot_approve(editor, channel):
    post = _post(editor, channel)
    services.post_submit(actor=editor, post=post)
    with pytest.raises(PermissionDenied):
        services.post_approve(actor=editor, post=post)


def test_edit_after_approval_voids_it(editor, owner, channel):
    post = _post(editor, channel)
    services.post_submit(actor=editor, post=post)
    services.post_approve(actor=owner, post=post)
    post.refresh_from_db()
    approved = post.approved_revision
    key_before = Delivery.objects.get(post=post).idempotency_key
    services.post_update(
        actor=editor,
        post=post,
        text=CLEAN_TEXT + " Bring your insurance card.",
        channel_ids=[channel.pk],
        scheduled_at=post.scheduled_at,
    )
    post.refresh_from_db()
    assert post.state == "draft"
    assert post.approved_revision is None
    assert post.current_revision.number == approved.number + 1
    assert PostRevision.objects.get(pk=approved.pk).text == CLEAN_TEXT  # immutable
    delivery = Delivery.objects.get(post=post)
    assert delivery.state == "pending"
    assert delivery.idempotency_key != key_before  # never sent: a fresh key for new text
    assert PostTransition.objects.filter(
        post=post, note="edited after approval: approval voided"
    ).exists()


def test_reschedule_without_text_change_keeps_approval(editor, owner, channel):
    post = _post(editor, channel)
    services.post_submit(actor=editor, post=post)
    services.post_approve(actor=owner, post=post)
    post.refresh_from_db()
    later = in_hours(48)
    services.post_reschedule(actor=editor, post=post, scheduled_at=later)
    post.refresh_from_db()
    assert post.state == "scheduled" and post.approved_revision_id is not None
    assert Delivery.objects.get(post=post).next_attempt_at == later


def test_approved_after_its_time_expires_and_asks_for_a_new_time(
    editor, owner, channel, time_machine
):
    post = _post(editor, channel, hours=1)
    services.post_submit(actor=editor, post=post)
    time_machine.move_to(in_hours(2))
    services.post_approve(actor=owner, post=post)
    post.refresh_from_db()
    delivery = Delivery.objects.get(post=post)
    assert delivery.state == "expired"
    assert "Choose a new time" in delivery.error
    assert post.state == "approved"
    services.post_reschedule(actor=editor, post=post, scheduled_at=in_hours(5))
    delivery.refresh_from_db()
    assert delivery.state == "scheduled"
    assert Post.objects.get(pk=post.pk).state == "scheduled"


# --------------------------------------------------------------------------- API


def _create(api, member, **payload):
    return api(member).post("/api/v1/posts", json=payload)


def test_api_create_submit_approve_get(api, editor, owner, channel):
    response = _create(
        api,
        editor,
        text=CLEAN_TEXT,
        channels=[channel.pk],
        scheduled_at="2099-01-05T09:00:00-06:00",
        variants={str(channel.pk): "Flu shots are here. cdc.gov/flu"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft"
    assert body["scheduled_at"].startswith("2099-01-05T15:00:00")
    assert body["variants"] == {str(channel.pk): "Flu shots are here. cdc.gov/flu"}
    post_id = body["id"]
    submitted = api(editor).post(f"/api/v1/posts/{post_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["state"] == "in_review"
    approved = api(owner).post(f"/api/v1/posts/{post_id}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "scheduled"
    got = api(editor).get(f"/api/v1/posts/{post_id}").json()
    assert {"id", "state", "text", "scheduled_at", "findings", "deliveries"} <= set(got)
    (delivery,) = got["deliveries"]
    assert {"id", "channel", "state", "external_id", "url", "error", "attempts"} <= set(delivery)
    assert delivery["channel"] == channel.pk and delivery["state"] == "scheduled"
    listing = api(editor).get("/api/v1/posts", state="scheduled").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == post_id
    assert api(editor).get("/api/v1/posts", state="draft").json()["count"] == 0


def test_api_findings_are_listed(api, editor, channel):
    body = _create(api, editor, text=PHI_TEXT, channels=[channel.pk]).json()
    got = api(editor).get(f"/api/v1/posts/{body['id']}").json()
    spans = {(f["start"], f["end"], f["category"]) for f in got["findings"]}
    assert (18, 29, "name") in spans
    refused = api(editor).post(f"/api/v1/posts/{body['id']}/submit")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "text"]


def _loc(response):
    return [d["loc"][-1] for d in response.json()["detail"]]


def test_api_refuses_a_past_time(api, editor, channel):
    response = _create(
        api, editor, text=CLEAN_TEXT, channels=[channel.pk], scheduled_at="2020-01-01T09:00:00Z"
    )
    assert response.status_code == 422 and _loc(response) == ["scheduled_at"]
    assert Post.objects.count() == 0


def test_api_refuses_a_time_without_offset(api, editor, channel):
    response = _create(
        api, editor, text=CLEAN_TEXT, channels=[channel.pk], scheduled_at="2099-01-01T09:00:00"
    )
    assert response.status_code == 422 and _loc(response) == ["scheduled_at"]


def test_api_refuses_unknown_and_foreign_channels(api, editor, outsider, channel):
    foreign = plain_channel(outsider, name="Theirs")
    for ids in ([999999], [foreign.pk], [channel.pk, foreign.pk], []):
        response = _create(api, editor, text=CLEAN_TEXT, channels=ids)
        assert response.status_code == 422, ids
        assert _loc(response) == ["channels"]
        assert "Lakeside" not in response.content.decode()
    assert Post.objects.count() == 0


def test_api_refuses_text_over_a_network_limit(api, editor, owner):
    x = plain_channel(owner, type="x", name="X account")
    masto = plain_channel(owner, type="mastodon", name="Toots")
    long_text = "Wash your hands often. " * 15  # 345 characters
    response = _create(
        api,
        editor,
        text="Short base text.",
        channels=[x.pk, masto.pk],
        variants={str(x.pk): long_text},
    )
    assert response.status_code == 422
    assert _loc(response) == [f"variants.{x.pk}"]
    assert "X allows 280" in response.json()["detail"][0]["msg"]
    response = _create(api, editor, text="a" * 501, channels=[masto.pk])
    assert response.status_code == 422 and _loc(response) == ["text"]
    assert "Toots: Mastodon allows 500" in response.json()["detail"][0]["msg"]
    assert Post.objects.count() == 0


def test_api_other_practice_gets_404(api, editor, outsider, channel):
    post = _post(editor, channel)
    assert api(outsider).get(f"/api/v1/posts/{post.pk}").status_code == 404
    assert api(outsider).post(f"/api/v1/posts/{post.pk}/submit").status_code == 404
    assert Post.objects.get(pk=post.pk).state == "draft"


def test_api_approve_needs_the_right(api, editor, channel):
    post = _post(editor, channel)
    services.post_submit(actor=editor, post=post)
    assert api(editor).post(f"/api/v1/posts/{post.pk}/approve").status_code == 403
    assert Post.objects.get(pk=post.pk).state == "in_review"


def test_scheduled_at_is_stored_in_utc(editor, channel):
    when = dt.datetime(2099, 7, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    post = services.post_create(
        actor=editor, text=CLEAN_TEXT, channel_ids=[channel.pk], scheduled_at=when
    )
    assert Post.objects.get(pk=post.pk).scheduled_at == dt.datetime(2099, 7, 1, 14, tzinfo=dt.UTC)
