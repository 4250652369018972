"""Editing a published post: the guard, the two-person rule, the edit jobs, retries, the sweeper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.channels.models import ChannelAccount
from bedside.channels.services import channel_create
from bedside.content import services as content
from bedside.content.models import Post, PostEdit, PostRevision
from bedside.publishing import services as publishing
from bedside.publishing.models import Delivery
from bedside.publishing.services import editing
from tests.fakes.mastodon import MastodonFake
from tests.helpers import CLEAN_TEXT, plain_channel

pytestmark = pytest.mark.django_db

NEW_TEXT = "Flu shots are here. Walk in any weekday from 8 to 6. Learn more at cdc.gov/flu"
PHI_TEXT = "Happy birthday to Mrs. Okafor, who turned 94 today!"
WARN_TEXT = "Glad the new meds are working for so many of you! Ask us about refills."


@pytest.fixture
def masto(owner):
    with MastodonFake() as fake:
        channel = channel_create(
            actor=owner, type="mastodon", name="Toots",
            settings={"base_url": fake.url, "access_token": fake.token},
        )  # fmt: skip
        yield fake, channel


@pytest.fixture
def published(masto, owner, schedule, http, time_machine):
    """A post live on Mastodon (through the fake) and on Bluesky (not editable)."""
    fake, channel = masto
    sky = plain_channel(owner, type="bluesky", name="Sky")
    post = schedule(channel, sky)
    toot = Delivery.objects.get(post=post, channel=channel)
    time_machine.move_to(toot.next_attempt_at + dt.timedelta(seconds=1))
    assert publishing.delivery_run(delivery_id=toot.pk, http=http) == "published"
    Delivery.objects.filter(post=post, channel=sky).update(
        state="published",
        external_id="at://did:plc:x/app.bsky.feed.post/3k",
        published_at=timezone.now(),
    )
    content.post_sync_state(post_id=post.pk)
    post.refresh_from_db()
    assert post.state == "published"
    return post, Delivery.objects.get(pk=toot.pk), Delivery.objects.get(post=post, channel=sky)


def _status_text(fake, delivery):
    return fake.statuses[delivery.external_id]["content"]


def test_approved_edit_reaches_mastodon_and_bluesky_is_left_alone_and_reported(
    masto, published, editor, owner, http
):
    fake, _ = masto
    post, toot, sky = published
    live = toot.revision_id
    edit = content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT)
    assert edit.state == "in_review" and edit.revision.text == NEW_TEXT
    post.refresh_from_db()
    assert post.text == CLEAN_TEXT and post.approved_revision_id == live  # still live, unchanged
    assert editing.edits_due() == []  # nothing goes out before approval
    content.post_edit_approve(actor=owner, edit=edit)
    post.refresh_from_db()
    assert (post.state, post.text, post.approved_revision_id) == (
        "published",
        NEW_TEXT,
        edit.revision_id,
    )
    toot.refresh_from_db()
    sky.refresh_from_db()
    assert toot.edit_revision_id == edit.revision_id and toot.revision_id == live
    assert sky.edit_revision_id is None and sky.revision_id == live
    assert publishing.delivery_edit_refusal(sky) == "Bluesky apps do not support edited posts"
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"
    assert _status_text(fake, toot) == f"<p>{NEW_TEXT}</p>"
    toot.refresh_from_db()
    assert toot.revision_id == edit.revision_id and toot.edited_at and toot.edit_revision_id is None
    assert toot.edit_error == "" and editing.edits_due() == []
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "skipped"
    queued = AuditEvent.objects.get(action="post.edits_queued")
    assert queued.data["queued"] == [toot.pk] and queued.data["not_editable"] == [sky.pk]
    for action in ("post.edit_proposed", "post.edit_approved", "delivery.edited"):
        assert AuditEvent.objects.filter(action=action).count() == 1
    assert fake.violations == []


def test_an_edit_with_phi_is_blocked_and_nothing_is_saved(masto, published, editor):
    fake, _ = masto
    post, toot, _sky = published
    revisions = PostRevision.objects.count()
    with pytest.raises(ValidationError) as info:
        content.post_edit_propose(actor=editor, post=post, text=PHI_TEXT)
    assert "Blocking findings" in " ".join(info.value.messages)
    assert not PostEdit.objects.exists() and PostRevision.objects.count() == revisions
    assert _status_text(fake, toot).startswith("<p>Flu shots are here. Walk in any weekday from 9")


def test_the_two_person_rule_applies_to_edits(published, compliance_officer, owner, http):
    post, toot, _sky = published
    edit = content.post_edit_propose(actor=compliance_officer, post=post, text=WARN_TEXT)
    assert edit.verdict == "warn" and edit.needs_second_person
    with pytest.raises(PermissionDenied):
        content.post_edit_approve(actor=compliance_officer, edit=edit)
    edit.refresh_from_db()
    assert edit.state == "in_review" and Delivery.objects.get(pk=toot.pk).edit_revision_id is None
    content.post_edit_approve(actor=owner, edit=edit)
    assert Delivery.objects.get(pk=toot.pk).edit_revision_id == edit.revision_id


def test_a_clean_edit_may_be_approved_by_its_author_and_viewers_may_not_propose(
    published, owner, viewer, editor
):
    post, toot, _sky = published
    with pytest.raises(PermissionDenied):
        content.post_edit_propose(actor=viewer, post=post, text=NEW_TEXT)
    edit = content.post_edit_propose(actor=owner, post=post, text=NEW_TEXT)
    with pytest.raises(PermissionDenied):
        content.post_edit_approve(actor=editor, edit=edit)  # editors do not approve
    content.post_edit_approve(actor=owner, edit=edit)
    assert PostEdit.objects.get(pk=edit.pk).state == "approved"


def test_a_newer_proposal_replaces_one_waiting_and_the_old_one_cannot_be_approved(
    published, editor, owner
):
    post, _toot, _sky = published
    first = content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT)
    second = content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT + " Bring your card.")
    first.refresh_from_db()
    assert first.state == "superseded" and second.revision.number == first.revision.number + 1
    with pytest.raises(ValidationError):
        content.post_edit_approve(actor=owner, edit=first)
    content.post_edit_reject(actor=owner, edit=second, note="Say which card")
    assert PostEdit.objects.get(pk=second.pk).state == "rejected"
    assert Post.objects.get(pk=post.pk).text == CLEAN_TEXT


def test_same_text_and_unpublished_posts_are_refused(published, editor, schedule, masto):
    post, _toot, _sky = published
    with pytest.raises(ValidationError):
        content.post_edit_propose(actor=editor, post=post, text=CLEAN_TEXT)
    waiting = schedule(masto[1], hours=5)
    with pytest.raises(ValidationError):
        content.post_edit_propose(actor=editor, post=waiting, text=NEW_TEXT)


def test_the_ordinary_edit_refuses_a_live_post(published, editor):
    post, toot, sky = published
    Delivery.objects.filter(pk=sky.pk).update(state="failed")
    content.post_sync_state(post_id=post.pk)
    post.refresh_from_db()
    assert post.state == "failed"  # an editable state, yet part of it is live
    with pytest.raises(ValidationError) as info:
        content.post_update(
            actor=editor, post=post, text=NEW_TEXT, channel_ids=[toot.channel_id, sky.channel_id]
        )
    assert "Edit published post" in " ".join(info.value.messages)


def test_a_lost_task_is_found_by_the_sweeper(published, editor, owner, http, monkeypatch, masto):
    fake, _ = masto
    post, toot, _sky = published
    edit = content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT)
    content.post_edit_approve(actor=owner, edit=edit)  # on_commit never ran: the task is lost
    woken = []
    monkeypatch.setattr(editing, "enqueue_edit", lambda pk, eta: woken.append(pk))
    from bedside.publishing.services import dispatch

    monkeypatch.setattr(dispatch, "enqueue_edit", lambda pk, eta: woken.append(pk))
    publishing.deliveries_sweep()
    assert woken == [toot.pk]
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"
    assert _status_text(fake, toot) == f"<p>{NEW_TEXT}</p>"


def test_a_dead_worker_s_edit_is_taken_over_after_its_lease(
    published, editor, owner, http, time_machine, masto
):
    fake, _ = masto
    post, toot, _sky = published
    content.post_edit_approve(
        actor=owner, edit=content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT)
    )
    assert publishing.delivery_edit_claim(delivery_id=toot.pk, worker="dead-worker")
    assert editing.edits_due() == []  # leased
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "skipped"
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=editing.lease_seconds() + 1))
    assert editing.edits_due() == [toot.pk]
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"
    assert Delivery.objects.get(pk=toot.pk).edit_attempts == 0
    assert _status_text(fake, toot) == f"<p>{NEW_TEXT}</p>"


def _approved_edit(post, editor, owner, text=NEW_TEXT):
    edit = content.post_edit_propose(actor=editor, post=post, text=text)
    return content.post_edit_approve(actor=owner, edit=edit)


def test_503_429_and_unknown_outcomes_are_retried(
    published, editor, owner, http, time_machine, masto
):
    fake, _ = masto
    post, toot, _sky = published
    _approved_edit(post, editor, owner)
    fake.fail_next(1, "503")
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "retry"
    toot.refresh_from_db()
    assert "tries again automatically" in toot.edit_error and toot.edit_lease_owner == ""
    time_machine.move_to(toot.edit_next_attempt_at + dt.timedelta(seconds=1))
    fake.fail_next(1, "429", retry_after=600)
    before = timezone.now()
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "retry"
    toot.refresh_from_db()
    assert toot.edit_next_attempt_at >= before + dt.timedelta(seconds=600)
    assert "too many requests" in toot.edit_error
    time_machine.move_to(toot.edit_next_attempt_at + dt.timedelta(seconds=1))
    fake.fail_next(1, "delay")  # the read
    fake.fail_next(1, "500")  # the PUT: it may have applied; editing again is harmless
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "retry"
    toot.refresh_from_db()
    time_machine.move_to(toot.edit_next_attempt_at + dt.timedelta(seconds=1))
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"
    assert _status_text(fake, toot) == f"<p>{NEW_TEXT}</p>"
    assert Delivery.objects.get(pk=toot.pk).edit_error == ""


def test_too_many_tries_stop_with_a_plain_message(
    published, editor, owner, http, time_machine, masto, settings
):
    fake, _ = masto
    settings.BEDSIDE_DELIVERY_MAX_ATTEMPTS = 2
    post, toot, _sky = published
    _approved_edit(post, editor, owner)
    for expected in ("retry", "failed"):
        fake.fail_next(1, "503")
        assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == expected
        toot.refresh_from_db()
        if toot.edit_next_attempt_at:
            time_machine.move_to(toot.edit_next_attempt_at + dt.timedelta(seconds=1))
    assert "could not be reached after 2 tries" in toot.edit_error
    assert toot.edit_fix_url == f"/settings/channels/{toot.channel_id}/"
    assert toot.edit_next_attempt_at is None and editing.edits_due() == []


def test_an_expired_token_asks_to_reconnect_then_the_edit_can_be_retried(
    published, editor, owner, http, masto
):
    fake, channel = masto
    post, toot, _sky = published
    _approved_edit(post, editor, owner)
    fake.fail_next(1, "401")
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "failed"
    toot.refresh_from_db()
    assert toot.edit_fix_url == f"/settings/channels/{channel.pk}/" and toot.edit_error
    assert ChannelAccount.objects.get(pk=channel.pk).status == "needs_reconnect"
    assert AuditEvent.objects.filter(action="delivery.edit_failed").count() == 1
    ChannelAccount.objects.filter(pk=channel.pk).update(status="connected")
    publishing.delivery_edit_retry(actor=editor, delivery=toot)
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"


def test_a_post_deleted_on_the_network_says_so(published, editor, owner, http, masto):
    fake, _ = masto
    post, toot, _sky = published
    fake.statuses.clear()
    _approved_edit(post, editor, owner)
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "failed"
    toot.refresh_from_db()
    assert (
        toot.edit_error
        == "The post is no longer on Toots (it was deleted there), so it cannot be edited."
    )
    assert toot.revision_id != toot.edit_revision_id  # the stored revision is still what was live


def test_a_crisis_pause_holds_edits(published, editor, owner, http, masto):
    fake, _ = masto
    post, toot, _sky = published
    _approved_edit(post, editor, owner)
    publishing.crisis_pause_start(actor=editor)
    assert editing.edits_due() == []
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "skipped"
    publishing.crisis_pause_end(actor=editor)
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"


def test_a_removed_copy_is_not_edited(published, editor, owner, http):
    post, toot, _sky = published
    publishing.delivery_remove_request(actor=editor, delivery=toot)
    with pytest.raises(ValidationError) as info:  # only Bluesky is left, and it cannot edit
        content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT)
    assert "Sky: Bluesky apps do not support edited posts" in " ".join(info.value.messages)


# --------------------------------------------------------------------------- pages


def test_pages_edit_approve_and_show_each_copy_s_edit_status(
    published, editor, owner, login, http, masto
):
    post, toot, sky = published
    detail = f"/content/posts/{post.pk}/"
    page = login(editor).get(detail).content.decode()
    assert f'href="/content/posts/{post.pk}/edit-published/"' in page
    assert (
        "Cannot be edited on Bluesky (Bluesky apps do not support edited posts): remove it or leave it."
        in page
    )
    form = login(editor).get(f"/content/posts/{post.pk}/edit-published/").content.decode()
    assert '<label for="edit-text">New text</label>' in form and "will be updated in place" in form
    blocked = login(editor).post(f"/content/posts/{post.pk}/edit-published/", {"text": PHI_TEXT})
    assert blocked.status_code == 200 and 'aria-invalid="true"' in blocked.content.decode()
    assert not PostEdit.objects.exists()
    sent = login(editor).post(f"/content/posts/{post.pk}/edit-published/", {"text": NEW_TEXT})
    assert sent.status_code == 302
    edit = PostEdit.objects.get()
    page = login(owner).get(detail).content.decode()
    assert "is waiting for approval" in page and f"/edits/{edit.pk}/approve/" in page
    login(owner).post(f"/content/posts/{post.pk}/edits/{edit.pk}/approve/")
    page = login(owner).get(detail).content.decode()
    assert f"Updating to revision {edit.revision.number}" in page
    publishing.delivery_edit_run(delivery_id=toot.pk, http=http)
    page = login(owner).get(detail).content.decode()
    assert f"shows revision {edit.revision.number}." in page


def test_another_practice_cannot_see_or_approve_an_edit(published, editor, outsider, login):
    post, _toot, _sky = published
    edit = content.post_edit_propose(actor=editor, post=post, text=NEW_TEXT)
    response = login(outsider).post(f"/content/posts/{post.pk}/edits/{edit.pk}/approve/")
    assert response.status_code == 404
    assert PostEdit.objects.get(pk=edit.pk).state == "in_review"


# --------------------------------------------------------------------------- API


def test_api_patch_proposes_an_edit_and_approve_queues_it(published, editor, owner, api, http):
    post, toot, sky = published
    blocked = api(editor).request("patch", f"/api/v1/posts/{post.pk}", json={"text": PHI_TEXT})
    assert blocked.status_code == 422 and blocked.json()["detail"][0]["loc"][-1] == "text"
    response = api(editor).request("patch", f"/api/v1/posts/{post.pk}", json={"text": NEW_TEXT})
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["text"], body["needs_second_person"]) == (
        "in_review",
        NEW_TEXT,
        False,
    )
    assert body["post"]["text"] == CLEAN_TEXT  # live text unchanged until approved
    assert body["not_editable"] == [
        {
            "delivery": sky.pk,
            "channel": sky.channel_id,
            "reason": "Bluesky apps do not support edited posts",
        }
    ]
    denied = api(editor).post(f"/api/v1/posts/{post.pk}/edits/{body['id']}/approve")
    assert denied.status_code == 403
    approved = api(owner).post(f"/api/v1/posts/{post.pk}/edits/{body['id']}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["post"]["text"] == NEW_TEXT
    assert publishing.delivery_edit_run(delivery_id=toot.pk, http=http) == "edited"
    again = api(owner).post(f"/api/v1/posts/{post.pk}/edits/{body['id']}/approve")
    assert again.status_code == 422


def test_api_patch_of_a_draft_changes_its_text_in_place(editor, api, masto):
    _fake, channel = masto
    post = content.post_create(actor=editor, text=CLEAN_TEXT, channel_ids=[channel.pk])
    response = api(editor).request("patch", f"/api/v1/posts/{post.pk}", json={"text": NEW_TEXT})
    assert response.status_code == 200
    assert response.json()["text"] == NEW_TEXT and response.json()["channels"] == [channel.pk]
    assert not PostEdit.objects.exists()
