"""Queue slots per channel: the composer offers the next free one, DST-correct."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bedside.channels.services import channel_slots_set
from bedside.channels.slots import upcoming
from bedside.content import services
from tests.helpers import CLEAN_TEXT, plain_channel

pytestmark = pytest.mark.django_db


def test_slots_are_validated_and_normalized(owner):
    channel = plain_channel(owner)
    channel_slots_set(actor=owner, channel=channel, slots=["Thursday 9:00", "tue 09:00", ""])
    assert channel.settings["slots"] == ["tue 09:00", "thu 09:00"]
    with pytest.raises(ValidationError) as exc:
        channel_slots_set(actor=owner, channel=channel, slots=["someday 25:00"])
    assert "Tue 09:00" in exc.value.message_dict["slots"][0]


def test_upcoming_slots_follow_the_practice_clock_across_dst():
    after = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)  # Thursday, CST
    got = upcoming(["tue 09:00", "thu 09:00"], zone="America/Chicago", after=after, weeks=1)
    assert got[:2] == [
        dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC),  # Thu 09:00 CST
        dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC),  # Tue 09:00 CDT, after the change
    ]


def test_composer_fills_the_next_free_slot(owner, editor, login, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))  # Monday
    channel = plain_channel(owner)
    channel_slots_set(actor=owner, channel=channel, slots=["tue 09:00", "thu 09:00"])
    services.post_create(
        actor=editor,
        text=CLEAN_TEXT,
        channel_ids=[channel.pk],
        scheduled_at=dt.datetime(2026, 3, 3, 15, tzinfo=dt.UTC),  # Tue 09:00 is taken
    )
    page = login(editor).post(
        "/content/compose/", {"text": "Hello", "channels": [channel.pk], "action": "slot"}
    )
    assert 'value="2026-03-05T09:00"' in page.content.decode()


def test_templates_pillars_and_campaigns(owner, editor, login):
    client = login(editor)
    client.post("/content/library/templates/new/", {"name": "Flu", "text": "Flu shots are in."})
    library = client.get("/content/library/").content.decode()
    assert "/content/compose/?template=" in library
    from bedside.content.models import Campaign, Pillar, PostTemplate

    template = PostTemplate.objects.get()
    compose = client.get(f"/content/compose/?template={template.pk}").content.decode()
    assert "Flu shots are in." in compose
    admin_client = login(owner)
    admin_client.get("/content/pillars/")
    assert Pillar.objects.filter(practice=owner.practice).count() == 8
    admin_client.post("/content/pillars/", {"action": "pillar", "name": "Seasonal tips"})
    admin_client.post(
        "/content/pillars/",
        {
            "action": "campaign",
            "name": "Flu 2026",
            "starts_on": "2026-09-15",
            "ends_on": "2026-12-01",
        },
    )
    assert Pillar.objects.filter(name="Seasonal tips").exists()
    assert Campaign.objects.get().name == "Flu 2026"
    assert login(editor).get("/content/pillars/").status_code == 403
