"""Community objects for tests, built through the services where rules matter."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from bedside.community.markup import render_markdown
from bedside.community.models import (
    BlogEntry,
    Board,
    Challenge,
    CommunityMember,
    Forum,
    PeerClinician,
    PeerPost,
    PeerThread,
    Post,
    PrivateMessage,
    Question,
    Thread,
)
from tests.factories import UserFactory

# Real-format NPIs that pass the check digit (Luhn with the 80840 prefix).
VALID_NPIS = ["1234567893", "1245319599", "1003000126", "1497758544", "1881697878", "1689678112"]
_seq = itertools.count(1)


def make_member(practice, name=None, *, trusted=True, status="active", email=None):
    n = next(_seq)
    user = UserFactory(email=email or f"patient{n}@mail.test", display_name="")
    return CommunityMember.objects.create(
        practice=practice,
        user=user,
        display_name=name or f"walker{n}",
        status=status,
        trusted=trusted,
        guidelines_accepted_at=timezone.now(),
        email_verified_at=timezone.now() if status != "pending" else None,
    )


def make_forum(practice, title="General chat", visibility="public", kind="forum"):
    from django.utils.text import slugify

    return Forum.objects.create(
        practice=practice, title=title, slug=slugify(title), visibility=visibility, kind=kind
    )


def make_thread(forum, member, title="Walking tips", body="What helps you walk daily?", replies=0):
    now = timezone.now()
    thread = Thread.objects.create(
        practice=forum.practice, forum=forum, author=member, title=title, last_activity_at=now
    )
    Post.objects.create(
        practice=forum.practice,
        thread=thread,
        author=member,
        body=body,
        body_html=render_markdown(body),
        is_opening=True,
    )
    posts = [
        Post(
            practice=forum.practice,
            thread=thread,
            author=member,
            body=f"Reply number {i}: a short walk after dinner helps.",
            body_html=render_markdown(f"Reply number {i}: a short walk after dinner helps."),
        )
        for i in range(replies)
    ]
    Post.objects.bulk_create(posts)
    Thread.objects.filter(pk=thread.pk).update(reply_count=replies)
    thread.refresh_from_db()
    return thread


def make_blog(practice, title="Flu shots are here", body="Walk in **any weekday**."):
    from django.utils.text import slugify

    return BlogEntry.objects.create(
        practice=practice,
        title=title,
        slug=slugify(title),
        body=body,
        body_html=render_markdown(body),
        summary=body,
        published_at=timezone.now(),
    )


def make_question(practice, member, status="open"):
    return Question.objects.create(
        practice=practice,
        asker=member,
        title="How much water should adults drink?",
        body="General question.",
        body_html="<p>General question.</p>",
        status=status,
    )


def make_message(practice, member):
    return PrivateMessage.objects.create(
        practice=practice, member=member, subject="Refill", body="Please call me."
    )


def make_board(practice):
    return Board.objects.create(practice=practice, title="Healthy recipes", slug="healthy-recipes")


def make_challenge(practice):
    today = timezone.localdate()
    return Challenge.objects.create(
        practice=practice,
        title="May steps",
        slug="may-steps",
        kind="steps",
        unit="steps",
        goal=100_000,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10),
    )


def make_peer(membership, npi, specialty="Family medicine", interests="sports medicine"):
    return PeerClinician.objects.create(
        user=membership.user,
        practice=membership.practice,
        display_name=membership.user.display_name,
        npi=npi,
        specialty=specialty,
        interests=interests,
        verified_at=timezone.now(),
    )


def make_peer_thread(peer, title="Persistent cough, no fever"):
    thread = PeerThread.objects.create(kind="case", author=peer, title=title, specialty="FM")
    PeerPost.objects.create(
        thread=thread, author=peer, body="Adult, cough 6 weeks.", body_html="<p>Adult</p>"
    )
    return thread


def make_consent(practice, name="Maria Lopez", covers=("story", "name"), channels=("all",)):
    from bedside.compliance.models import Consent

    return Consent.objects.create(
        practice=practice,
        patient_name=name,
        covers=list(covers),
        channels=list(channels),
        authorization_text="I authorize Maple Family Clinic to publish my story.",
        signer_name=name,
        signed_at=timezone.now(),
    )


def make_story(practice, member=None, *, consent=None, title="Back to hiking", share_name=False):
    from bedside.community.models import Story

    body = "After months of physical therapy I hiked again this spring."
    return Story.objects.create(
        practice=practice,
        member=member,
        title=title,
        body=body,
        body_html=render_markdown(body),
        share_name=share_name,
        consent=consent,
        status="published" if consent else "submitted",
        shown_name=consent.patient_name if consent and share_name else "",
        published_at=timezone.now() if consent else None,
    )
