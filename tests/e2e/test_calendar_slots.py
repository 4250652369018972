"""In a browser: a channel's free queue slot shows on the calendar, and dragging a
draft onto it moves the draft to the slot's time (the htmx drop handler)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bedside.accounts.demo import DEMO_PASSWORD, demo_totp_secret
from bedside.accounts.models import Membership
from bedside.channels.services import channel_slots_set
from bedside.channels.slots import DAYS
from bedside.content import services
from bedside.content.models import Post
from bedside.core.timeutil import local_to_utc
from tests.e2e.conftest import screenshot, sign_in
from tests.helpers import CLEAN_TEXT, plain_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drag_a_draft_onto_a_free_slot(page):
    call_command("seed_demo", stdout=io.StringIO())
    owner = Membership.objects.get(user__email="owner@maple.example")
    editor = Membership.objects.get(user__email="editor@maple.example")
    zone = owner.practice.time_zone
    day = timezone.localtime(timezone.now(), owner.practice.zone).date() + dt.timedelta(days=2)
    channel = plain_channel(owner, type="mastodon", name="Queue test toots")
    channel_slots_set(actor=owner, channel=channel, slots=[f"{DAYS[day.weekday()]} 09:00"])
    post = services.post_create(
        actor=editor, text=CLEAN_TEXT, channel_ids=[channel.pk],
        scheduled_at=local_to_utc(dt.datetime.combine(day, dt.time(15, 0)), zone),
    )  # fmt: skip

    sign_in(page, "editor@maple.example", DEMO_PASSWORD, demo_totp_secret("editor@maple.example"))
    page.goto(f"/content/calendar/?view=week&date={day.isoformat()}")
    slot = page.get_by_role("group", name="Free queue slot: 9:00 AM, Queue test toots")
    assert "Free slot · 9:00 AM · Queue test toots" in slot.inner_text()
    assert slot.get_by_role("link", name="Add a draft here").is_visible()
    screenshot(page, "calendar-slots-1-free-slot")

    page.locator(f'.post[data-post="{post.pk}"]').drag_to(slot)
    page.wait_for_load_state("load")  # HX-Refresh reloads the page
    page.get_by_text("Moved.").wait_for()
    post.refresh_from_db()
    assert post.scheduled_at == local_to_utc(dt.datetime.combine(day, dt.time(9, 0)), zone)
    assert page.get_by_role("group", name="Free queue slot: 9:00 AM, Queue test toots").count() == 0
    screenshot(page, "calendar-slots-2-moved")
    assert Post.objects.get(pk=post.pk).version == post.version
