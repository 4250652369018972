"""Practice-run health challenges: create, join, log progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from bedside.audit.services import audit_record
from bedside.community.models import Challenge, ChallengeEntry, ChallengeProgress, CommunityMember
from bedside.community.sitecache import site_changed

MAX_DAILY_AMOUNT = 200_000  # no one walks more steps than this in a day


def challenge_create(*, practice: Any, actor: Any, **fields: Any) -> Challenge:
    challenge = Challenge(practice=practice, **fields)
    if challenge.ends_on and challenge.starts_on and challenge.ends_on < challenge.starts_on:
        raise ValidationError({"ends_on": "The challenge must end on or after its first day."})
    base = slugify(challenge.title)[:70] or "challenge"
    challenge.slug, n = base, 2
    while Challenge.objects.filter(practice=practice, slug=challenge.slug).exists():
        challenge.slug, n = f"{base}-{n}", n + 1
    challenge.full_clean()
    with transaction.atomic():
        challenge.save()
        audit_record(
            action="community.challenge_created", actor=actor, practice=practice, obj=challenge
        )
        site_changed(practice)
    return challenge


def challenge_join(
    *, member: CommunityMember, challenge: Challenge, on_leaderboard: bool
) -> ChallengeEntry:
    """Join (or change the leaderboard choice). The leaderboard shows display names only."""
    if not member.can_post:
        raise PermissionDenied("Your community account cannot join right now.")
    with transaction.atomic():
        entry, _ = ChallengeEntry.objects.update_or_create(
            challenge=challenge, member=member, defaults={"on_leaderboard": on_leaderboard}
        )
        audit_record(
            action="community.challenge_joined",
            actor=member.user,
            practice=member.practice_id,
            obj=entry,
            data={"challenge_id": challenge.pk, "on_leaderboard": on_leaderboard},
        )
        site_changed(member.practice_id)
    return entry


def challenge_log(
    *, member: CommunityMember, challenge: Challenge, day: dt.date, amount: int
) -> ChallengeProgress:
    if not (challenge.starts_on <= day <= challenge.ends_on):
        raise ValidationError({"day": "Log days that fall within the challenge."})
    if not (0 < amount <= MAX_DAILY_AMOUNT):
        raise ValidationError({"amount": f"Enter an amount between 1 and {MAX_DAILY_AMOUNT}."})
    entry = ChallengeEntry.objects.filter(challenge=challenge, member=member).first()
    if entry is None:
        raise ValidationError({"amount": "Join the challenge first."})
    with transaction.atomic():
        progress = ChallengeProgress.objects.create(entry=entry, day=day, amount=amount)
        ChallengeEntry.objects.filter(pk=entry.pk).update(total=F("total") + amount)
        audit_record(
            action="community.challenge_logged",
            actor=member.user,
            practice=member.practice_id,
            obj=progress,
            data={"challenge_id": challenge.pk},
        )
        site_changed(member.practice_id)
    return progress
