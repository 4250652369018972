"""Success stories: a patient submits; the practice publishes only under a recorded consent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.community.guard import CHANNEL, KIND_STORY, check
from bedside.community.markup import render_markdown
from bedside.community.models import CommunityMember, Story
from bedside.community.services.errors import GuardBlocked
from bedside.community.sitecache import site_changed


def story_submit(
    *,
    member: CommunityMember,
    title: str,
    body: str,
    share_name: bool = False,
    photo: Any = None,
    photo_alt: str = "",
    ip: str | None = None,
) -> Story:
    """Send a story to the practice. Nothing is public until staff publish it with consent."""
    if not member.can_post:
        raise PermissionDenied("Your community account cannot post right now.")
    if not title.strip() or not body.strip():
        raise ValidationError({"body": "Give your story a title and tell it."})
    if photo and not photo_alt.strip():
        raise ValidationError({"photo_alt": "Describe the photo for people who cannot see it."})
    story = Story(
        practice_id=member.practice_id,
        member=member,
        title=title.strip(),
        body=body,
        body_html=render_markdown(body),
        share_name=share_name,
        photo=photo or "",
        photo_alt=photo_alt,
    )
    story.full_clean(exclude=["consent"])
    with transaction.atomic():
        story.save()
        audit_record(
            action="community.story_submitted",
            actor=member.user,
            practice=member.practice_id,
            obj=story,
            ip=ip,
        )
    return story


def consent_covers_story(consent: Any, story: Story) -> list[str]:
    """What the consent lacks for this story (empty: it covers it)."""
    missing = []
    if consent.status != "active":
        missing.append(f"the consent is {consent.status}")
    needed = (
        {"story"}
        | ({"name"} if story.share_name else set())
        | ({"photo"} if story.photo else set())
    )
    for item in sorted(needed - set(consent.covers)):
        missing.append(f"it does not cover {item}")
    if not consent.all_channels and CHANNEL not in consent.channels:
        missing.append("it does not cover the practice site and community")
    return missing


def story_publish(*, membership: Any, story: Story, consent: Any, ip: str | None = None) -> Story:
    """Publish under `consent` (same practice, active, covering story/name/photo and the
    community channel), after the guard (consents in context) finds nothing blocking."""
    if not membership.can(Perm.PUBLISH):
        raise PermissionDenied("Your role may not publish.")
    if consent is None or consent.practice_id != story.practice_id:
        raise ValidationError({"consent": "Choose a consent recorded by this practice."})
    missing = consent_covers_story(consent, story)
    if missing:
        raise ValidationError(
            {"consent": "This consent cannot be used: " + "; ".join(missing) + "."}
        )
    shown_name = consent.patient_name if story.share_name else ""
    text = "\n\n".join(p for p in (shown_name, story.title, story.body) if p)
    result = check(practice=story.practice, text=text, kind=KIND_STORY, actor=membership.user)
    if result.verdict == "block":
        raise GuardBlocked(result)
    with transaction.atomic():
        story.consent = consent
        story.shown_name = shown_name
        story.status = Story.Status.PUBLISHED
        story.published_at = timezone.now()
        story.unpublished_at = None
        story.save()
        audit_record(
            action="community.story_published",
            actor=membership.user,
            practice=story.practice_id,
            obj=story,
            ip=ip,
            data={"consent_id": consent.pk, "verdict": result.verdict},
        )
        site_changed(story.practice)
    return story


def story_unpublish(*, story: Story, actor: Any, reason: str, ip: str | None = None) -> Story:
    """Take a story off the site (safe to call twice). `reason` is an enum-like word."""
    with transaction.atomic():
        locked = Story.objects.select_for_update().select_related("practice").get(pk=story.pk)
        if locked.status == Story.Status.PUBLISHED:
            locked.status = Story.Status.UNPUBLISHED
            locked.unpublished_at = timezone.now()
            locked.save(update_fields=["status", "unpublished_at"])
            audit_record(
                action="community.story_unpublished",
                actor=actor,
                practice=locked.practice_id,
                obj=locked,
                ip=ip,
                data={"reason": reason},
            )
            site_changed(locked.practice)
    story.refresh_from_db()
    return story
