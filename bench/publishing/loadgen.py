"""Create many due deliveries to one webhook channel, fast (fault test, benchmark).

    from bench.publishing.loadgen import due_deliveries
    ids = due_deliveries(count=1000, url="http://127.0.0.1:8765/hook", secret="s3cret")

One post goes through the real services (compose, submit, approve: revisions,
compliance, audit); the other count-1 are bulk copies of it with their own
approved revision and a scheduled delivery due at `due_at` (default: now). Each
delivery gets its own idempotency key. Nothing is enqueued: call
`services.deliveries_sweep()` (or let a worker's sweeper run) to wake workers.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership, User
from bedside.accounts.permissions import Role
from bedside.channels.models import ChannelAccount
from bedside.channels.services import channel_create
from bedside.content import services as content
from bedside.content.models import Post, PostRevision
from bedside.core.models import Practice
from bedside.publishing.models import Delivery, DeliveryState

TEXT = "Flu shots are in. Walk in any weekday from 9 to 5. Learn more at cdc.gov/flu"


def load_practice(slug: str = "load-test-clinic") -> Membership:
    practice, _ = Practice.objects.get_or_create(
        slug=slug, defaults={"name": "Load Test Clinic", "time_zone": "America/Chicago"}
    )
    user, _ = User.objects.get_or_create(
        email=f"owner@{slug}.test", defaults={"display_name": "Load Owner"}
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, practice=practice, defaults={"role": Role.OWNER}
    )
    return membership


def due_deliveries(
    *, count: int, url: str, secret: str, due_at: dt.datetime | None = None,
    membership: Membership | None = None,
) -> list[int]:  # fmt: skip
    owner = membership or load_practice()
    channel = ChannelAccount.objects.filter(practice=owner.practice, settings__url=url).first()
    channel = channel or channel_create(
        actor=owner, type="webhook", name="Load hook", settings={"url": url, "secret": secret}
    )
    first = content.post_create(
        actor=owner, text=TEXT, channel_ids=[channel.pk],
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    content.post_submit(actor=owner, post=first)
    content.post_approve(actor=owner, post=first)
    first.refresh_from_db()
    when = due_at or timezone.now()
    Delivery.objects.filter(post=first).update(due_at=when, next_attempt_at=when)
    with transaction.atomic():
        posts = Post.objects.bulk_create(
            Post(
                practice=owner.practice,
                author=owner.user,
                text=TEXT,
                scheduled_at=when,
                state=first.state,
                verdict=first.verdict,
                findings=first.findings,
                approved_by=owner.user,
                approved_at=first.approved_at,
            )  # fmt: skip
            for _ in range(count - 1)
        )
        revisions = PostRevision.objects.bulk_create(
            PostRevision(
                post=p,
                number=1,
                text=TEXT,
                variants={},
                media=[],
                content_hash=first.approved_revision.content_hash,
                created_by=owner.user,
            )  # fmt: skip
            for p in posts
        )
        for post, revision in zip(posts, revisions, strict=True):
            post.current_revision = post.approved_revision = revision
        Post.objects.bulk_update(posts, ["current_revision", "approved_revision"], batch_size=500)
        Post.channels.through.objects.bulk_create(
            Post.channels.through(post_id=p.pk, channelaccount_id=channel.pk) for p in posts
        )
        Delivery.objects.bulk_create(
            Delivery(
                practice=owner.practice,
                post=p,
                channel=channel,
                revision=r,
                state=DeliveryState.SCHEDULED,
                due_at=when,
                next_attempt_at=when,
            )  # fmt: skip
            for p, r in zip(posts, revisions, strict=True)
        )
    return list(
        Delivery.objects.filter(channel=channel, due_at=when)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
