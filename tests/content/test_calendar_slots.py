"""Free queue slots on the calendar: computed for the visible range in the practice's
zone, distinct from posts, keyboard reachable, and a drop target that reschedules
through the same service as any other move (issue 4)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bedside.audit.models import AuditEvent
from bedside.channels.services import channel_slots_set
from bedside.channels.slots import between
from bedside.content import selectors, services
from bedside.content.models import Post
from bedside.publishing.models import Delivery
from tests.helpers import CLEAN_TEXT, plain_channel

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 3, 16, tzinfo=UTC)  # Tue Mar 3, 10:00 CST (DST starts Sun Mar 8)


@pytest.fixture
def toots(owner):
    channel = plain_channel(owner, type="mastodon", name="Toots")
    return channel_slots_set(actor=owner, channel=channel, slots=["tue 09:00", "thu 09:00"])


@pytest.fixture
def other(owner):
    return plain_channel(owner, type="x", name="X account")


def _post(editor, channel, when, **kw):
    return services.post_create(
        actor=editor, text=CLEAN_TEXT, channel_ids=[channel.pk], scheduled_at=when, **kw
    )


# --------------------------------------------------------------------------- selector


def test_free_slots_skip_taken_ones_and_keep_the_local_clock_across_dst(
    editor, toots, other, time_machine
):
    time_machine.move_to(NOW, tick=False)
    _post(editor, toots, dt.datetime(2026, 3, 5, 15, tzinfo=UTC))  # Thu 09:00 CST: taken
    cancelled = _post(editor, toots, dt.datetime(2026, 3, 10, 14, tzinfo=UTC))
    services.post_cancel(actor=editor, post=cancelled)  # a cancelled post frees its slot
    _post(editor, other, dt.datetime(2026, 3, 12, 14, tzinfo=UTC))  # another channel's post
    start = dt.datetime(2026, 3, 2, 6, tzinfo=UTC)  # Mon Mar 2 00:00 CST
    end = dt.datetime(2026, 3, 16, 5, tzinfo=UTC)  # Mon Mar 16 00:00 CDT

    free = selectors.free_slot_list(actor=editor, start=start, end=end, now=NOW)

    assert [(s.when, s.channel_name) for s in free] == [
        # Tue Mar 3 09:00 CST has passed; Thu Mar 5 is taken
        (dt.datetime(2026, 3, 10, 14, tzinfo=UTC), "Toots"),  # Tue 09:00 CDT
        (dt.datetime(2026, 3, 12, 14, tzinfo=UTC), "Toots"),  # Thu 09:00 CDT
    ]
    # the calendar passes the posts it already loaded: the same answer, no post query
    posts = list(selectors.post_list(actor=editor, start=start, end=end))
    assert selectors.free_slot_list(actor=editor, start=start, end=end, now=NOW, posts=posts) == (
        free
    )


def test_slots_between_follow_the_wall_clock_on_both_dst_changes():
    spring = between(
        ["sun 02:30", "mon 09:00"],
        zone="America/Chicago",
        start=dt.datetime(2026, 3, 8, 0, tzinfo=UTC),
        end=dt.datetime(2026, 3, 10, 0, tzinfo=UTC),
    )
    # 02:30 does not exist on Mar 8: it moves forward by the gap, as the composer does
    assert spring == [
        dt.datetime(2026, 3, 8, 8, 30, tzinfo=UTC),
        dt.datetime(2026, 3, 9, 14, tzinfo=UTC),
    ]
    autumn = between(
        ["sun 01:30"],
        zone="America/Chicago",
        start=dt.datetime(2026, 11, 1, 0, tzinfo=UTC),
        end=dt.datetime(2026, 11, 2, 0, tzinfo=UTC),
    )
    assert autumn == [dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC)]  # the first 01:30 (CDT)


# --------------------------------------------------------------------------- page


def _slot_markup(page: str) -> list[str]:
    return re.findall(r'<div class="slot".*?</div>', page, re.S)


def test_month_and_week_views_show_free_slots_labelled_and_reachable(
    editor, toots, login, time_machine
):
    time_machine.move_to(NOW, tick=False)
    _post(editor, toots, dt.datetime(2026, 3, 5, 15, tzinfo=UTC))
    client = login(editor)
    month = client.get("/content/calendar/?date=2026-03-03").content.decode()
    week = client.get("/content/calendar/?view=week&date=2026-03-10").content.decode()

    slots = _slot_markup(month)
    # March from Thu Mar 5 on: 8 slots less the taken one (Mar 3 has passed); April's
    # first days are in the grid too (Thu Apr 2, up to Sun Apr 5)
    assert len(slots) == 8
    first = slots[0]
    assert 'aria-label="Free queue slot: 9:00 AM, Toots"' in first
    assert "Free slot · 9:00 AM · Toots" in first  # the channel in text, not colour
    assert 'data-slot-when="2026-03-10T09:00"' in first  # local time, after the change
    assert f'data-channel="{toots.pk}"' in first
    assert (
        f'href="/content/compose/?date=2026-03-10&amp;time=09:00&amp;channel={toots.pk}">'
        "Add a draft here" in first
    )
    assert 'data-slot-when="2026-03-05T09:00"' not in month  # taken by a post
    week_slots = _slot_markup(week)
    assert [re.search(r'data-slot-when="([^"]+)"', s).group(1) for s in week_slots] == [
        "2026-03-10T09:00",
        "2026-03-12T09:00",
    ]


def test_add_a_draft_here_opens_the_composer_with_the_slot(editor, toots, login, time_machine):
    time_machine.move_to(NOW, tick=False)
    page = (
        login(editor)
        .get(f"/content/compose/?date=2026-03-10&time=09:00&channel={toots.pk}")
        .content.decode()
    )
    assert 'value="2026-03-10T09:00"' in page
    assert re.search(rf'<input[^>]*value="{toots.pk}"[^>]*checked', page)


def test_a_viewer_sees_slots_without_compose_links_but_can_tab_to_them(
    viewer, toots, login, time_machine
):
    time_machine.move_to(NOW, tick=False)
    page = login(viewer).get("/content/calendar/?date=2026-03-10&view=week").content.decode()
    slots = _slot_markup(page)
    assert len(slots) == 2
    assert all('tabindex="0"' in s and "Add a draft here" not in s for s in slots)


def test_another_practice_sees_none_of_our_slots(outsider, toots, login, time_machine):
    time_machine.move_to(NOW, tick=False)
    page = login(outsider).get("/content/calendar/?date=2026-03-10").content.decode()
    assert _slot_markup(page) == [] and "Toots" not in page


def test_calendar_queries_do_not_grow_with_posts_or_slots(
    editor, owner, toots, login, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(NOW, tick=False)
    client = login(editor)
    _post(editor, toots, dt.datetime(2026, 3, 5, 15, tzinfo=UTC))
    with CaptureQueriesContext(connection) as few:
        client.get("/content/calendar/?date=2026-03-10")
    for day in range(16, 28):
        _post(editor, toots, dt.datetime(2026, 3, day, 17, tzinfo=UTC))
    every_weekday = ["mon 09:00", "tue 09:00", "wed 09:00", "thu 09:00", "fri 09:00"]
    channel_slots_set(actor=owner, channel=toots, slots=every_weekday)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/content/calendar/?date=2026-03-10").content.decode()
    assert len(_slot_markup(page)) == 22  # weekdays Wed Mar 4 .. Fri Apr 3, less Thu Mar 5


# --------------------------------------------------------------------------- drop


def test_dropping_an_approved_post_on_a_slot_reschedules_it_through_the_same_service(
    editor, owner, toots, login, time_machine
):
    time_machine.move_to(NOW, tick=False)
    post = _post(editor, toots, dt.datetime(2026, 3, 5, 15, tzinfo=UTC))  # Thu, CST
    services.post_submit(actor=editor, post=post)
    services.post_approve(actor=owner, post=post)
    post.refresh_from_db()
    page = login(editor).get("/content/calendar/?date=2026-03-10").content.decode()
    assert f'data-channels="{toots.pk}"' in page  # what the drop checks the slot against

    # When the script posts the slot's local time to the move endpoint (as on a drop)
    response = login(editor).post(
        f"/content/posts/{post.pk}/move/",
        {"when": "2026-03-10T09:00", "version": post.version},
        HTTP_HX_REQUEST="true",
    )

    # Then it moved to 09:00 CDT (14:00 UTC), audited, deliveries follow, slot taken
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    post.refresh_from_db()
    assert post.scheduled_at == dt.datetime(2026, 3, 10, 14, tzinfo=UTC)
    event = AuditEvent.objects.get(action="post.rescheduled")
    assert event.data["to"] == "2026-03-10T14:00:00+00:00"
    assert Delivery.objects.get(post=post).due_at == post.scheduled_at
    start, end = dt.datetime(2026, 3, 9, 5, tzinfo=UTC), dt.datetime(2026, 3, 16, 5, tzinfo=UTC)
    free = selectors.free_slot_list(actor=editor, start=start, end=end, now=NOW)
    assert [s.when for s in free] == [dt.datetime(2026, 3, 12, 14, tzinfo=UTC)]


def test_keyboard_move_to_a_free_slot_and_a_viewer_cannot_drop(
    editor, viewer, toots, login, time_machine
):
    time_machine.move_to(NOW, tick=False)
    post = _post(editor, toots, dt.datetime(2026, 3, 5, 15, tzinfo=UTC))
    page = login(editor).get("/content/calendar/?date=2026-03-10").content.decode()
    assert f'<label for="move-slot-{post.pk}">Or a free queue slot</label>' in page
    assert '<option value="2026-03-12T09:00">Thu Mar 12, 9:00 AM · Toots</option>' in page
    denied = login(viewer).post(
        f"/content/posts/{post.pk}/move/", {"when": "2026-03-12T09:00"}, HTTP_HX_REQUEST="true"
    )
    assert denied.status_code == 403
    assert Post.objects.get(pk=post.pk).scheduled_at == dt.datetime(2026, 3, 5, 15, tzinfo=UTC)
    assert not AuditEvent.objects.filter(action="post.rescheduled").exists()
    login(editor).post(f"/content/posts/{post.pk}/move/", {"when": "2026-03-12T09:00"})
    assert Post.objects.get(pk=post.pk).scheduled_at == dt.datetime(2026, 3, 12, 14, tzinfo=UTC)
