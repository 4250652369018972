"""Health challenges: join, log progress, opt-in leaderboard, end-of-challenge summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from bedside.community import services
from bedside.community.selectors import challenge_leaderboard, challenge_summary
from tests.community import factories as f
from tests.community.test_community import member_client

pytestmark = pytest.mark.django_db


def test_join_log_and_leaderboard_shows_only_opted_in_display_names(practice):
    challenge = f.make_challenge(practice)
    shown = f.make_member(practice, "step_queen")
    hidden = f.make_member(practice, "shy_walker")
    services.challenge_join(member=shown, challenge=challenge, on_leaderboard=True)
    services.challenge_join(member=hidden, challenge=challenge, on_leaderboard=False)
    today = challenge.starts_on + dt.timedelta(days=1)
    services.challenge_log(member=shown, challenge=challenge, day=today, amount=8000)
    services.challenge_log(member=shown, challenge=challenge, day=today, amount=4000)
    services.challenge_log(member=hidden, challenge=challenge, day=today, amount=99000)

    assert challenge_leaderboard(challenge=challenge) == [
        {"display_name": "step_queen", "total": 12000}
    ]
    page = Client().get(f"/p/{practice.slug}/challenges/{challenge.slug}/").content.decode()
    assert "step_queen — 12000 steps" in page and "shy_walker" not in page


def test_logging_outside_the_dates_or_without_joining_is_refused(practice):
    challenge = f.make_challenge(practice)
    member = f.make_member(practice)
    with pytest.raises(ValidationError) as exc:
        services.challenge_log(
            member=member, challenge=challenge, day=challenge.starts_on, amount=10
        )
    assert "amount" in exc.value.message_dict
    services.challenge_join(member=member, challenge=challenge, on_leaderboard=False)
    with pytest.raises(ValidationError) as exc:
        services.challenge_log(
            member=member,
            challenge=challenge,
            day=challenge.ends_on + dt.timedelta(days=1),
            amount=10,
        )
    assert "day" in exc.value.message_dict


def test_summary_suggests_a_post_naming_no_one(practice):
    challenge = f.make_challenge(practice)
    for name, amount in [("a_one", 120_000), ("b_two", 50_000)]:
        member = f.make_member(practice, name)
        services.challenge_join(member=member, challenge=challenge, on_leaderboard=True)
        services.challenge_log(
            member=member, challenge=challenge, day=challenge.starts_on, amount=amount
        )
    summary = challenge_summary(challenge=challenge)
    assert summary["participants"] == 2 and summary["reached_goal"] == 1
    assert summary["suggested_post"] == (
        "Our May steps is over! 2 participants logged 170,000 steps together, and 1 reached "
        "the goal of 100,000 steps. Thank you to everyone who took part — watch this space "
        "for the next challenge."
    )
    assert "a_one" not in summary["suggested_post"]


def test_join_and_log_through_the_pages(practice):
    challenge = f.make_challenge(practice)
    member = f.make_member(practice, "pager")
    client = member_client(member)
    client.post(f"/p/{practice.slug}/challenges/{challenge.slug}/join/", {"on_leaderboard": "on"})
    client.post(
        f"/p/{practice.slug}/challenges/{challenge.slug}/log/",
        {"day": challenge.starts_on.isoformat(), "amount": "5000"},
    )
    page = client.get(f"/p/{practice.slug}/challenges/{challenge.slug}/").content.decode()
    assert "Your total: <strong>5000 steps</strong>" in page
    assert "pager — 5000 steps" in page
