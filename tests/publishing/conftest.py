from __future__ import annotations

import pytest

from bedside.content import services as content
from tests.fakes.webhook import WebhookFake
from tests.helpers import CLEAN_TEXT, WEBHOOK_SECRET, in_hours, webhook_channel


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def hook():
    with WebhookFake(secret=WEBHOOK_SECRET) as fake:
        yield fake


@pytest.fixture
def hook_channel(owner, hook):
    return webhook_channel(owner, url=f"{hook.url}/hook")


@pytest.fixture
def schedule(editor, owner):
    """schedule(channels, text=..., hours=...) -> an approved, scheduled post."""

    def _schedule(*channels, text=CLEAN_TEXT, hours=1):
        post = content.post_create(
            actor=editor,
            text=text,
            channel_ids=[c.pk for c in channels],
            scheduled_at=in_hours(hours),
        )
        content.post_submit(actor=editor, post=post)
        content.post_approve(actor=owner, post=post)
        post.refresh_from_db()
        return post

    return _schedule
