"""The approval workflow: submit, approve, reject, reschedule, cancel, override."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.content import guard
from bedside.content.models import (
    Post,
)
from bedside.content.services._base import (
    S,
    _bump_version,
    _require,
    _transition,
)
from bedside.content.services.posts import _requirement, _schedule_ok, post_checks

# --------------------------------------------------------------------------- workflow


def post_submit(
    *, actor: Membership, post: Post, expected_version: int | None = None, ip: str | None = None
) -> Post:
    """Send a draft for approval. Blocking findings stop it unless overridden."""
    _require(actor, Perm.SUBMIT)
    if post.state != S.DRAFT:
        raise ValidationError({"state": "Only a draft can be sent for approval."})
    with transaction.atomic():
        checks = post_checks(post=post, actor=actor)
        requirement = _requirement(post, checks)
        if requirement.blocked:
            raise ValidationError(
                {"text": " ".join(requirement.reasons) or "A compliance finding blocks this post."}
            )
        _transition(post, S.IN_REVIEW, actor=actor, expected_version=expected_version, ip=ip)
    return post


def post_approve(
    *, actor: Membership, post: Post, expected_version: int | None = None, ip: str | None = None
) -> Post:
    """Approve the current revision and schedule its deliveries.

    Where the compliance policy demands a second person (findings, policy), the
    author cannot approve their own post.
    """
    _require(actor, Perm.APPROVE)
    if post.state != S.IN_REVIEW:
        raise ValidationError({"state": "Only a post in review can be approved."})
    from bedside.publishing import services as publishing

    with transaction.atomic():
        checks = post_checks(post=post, actor=actor)
        requirement = _requirement(post, checks)
        if requirement.blocked:
            raise ValidationError(
                {"text": " ".join(requirement.reasons) or "A compliance finding blocks this post."}
            )
        if requirement.needs_second_person and post.author_id == actor.user_id:
            raise PermissionDenied(
                "This post needs a second person: someone other than its author must approve it."
            )
        _transition(post, S.APPROVED, actor=actor, expected_version=expected_version, ip=ip)
        post.approved_revision = post.current_revision
        post.approved_by, post.approved_at = actor.user, timezone.now()
        post.save(update_fields=["approved_revision", "approved_by", "approved_at"])
        publishing.deliveries_schedule_for_post(post=post, actor=actor)
    return post


def post_reject(
    *, actor: Membership, post: Post, note: str = "", expected_version: int | None = None,
    ip: str | None = None,
) -> Post:  # fmt: skip
    """Send a post in review back to its author as a draft."""
    _require(actor, Perm.APPROVE)
    with transaction.atomic():
        _transition(post, S.DRAFT, actor=actor, expected_version=expected_version, note=note, ip=ip)
    return post


def post_reschedule(
    *,
    actor: Membership,
    post: Post,
    scheduled_at: dt.datetime,
    expected_version: int | None = None,
    ip: str | None = None,
) -> Post:
    """Move a post to a new time (calendar drag-and-drop, "move to", expired posts)."""
    _require(actor, Perm.PUBLISH)
    if post.state not in (S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED):
        raise ValidationError({"scheduled_at": "This post can no longer be moved."})
    _schedule_ok(scheduled_at)
    from bedside.publishing import services as publishing

    with transaction.atomic():
        _bump_version(post, expected_version)
        previous = post.scheduled_at
        post.scheduled_at = scheduled_at
        post.save(update_fields=["scheduled_at", "updated_at"])
        audit_record(
            action="post.rescheduled", actor=actor.user, practice=actor.practice, obj=post, ip=ip,
            data={"from": previous.isoformat() if previous else None,
                  "to": scheduled_at.isoformat()},
        )  # fmt: skip
        if post.approved_revision_id and post.state != S.IN_REVIEW:
            publishing.deliveries_schedule_for_post(post=post, actor=actor)
    return post


def post_cancel(
    *, actor: Membership, post: Post, expected_version: int | None = None, ip: str | None = None
) -> Post:
    """Cancel a post that has not gone out; its pending deliveries are cancelled."""
    if not (
        actor.can(Perm.PUBLISH) or (actor.can(Perm.COMPOSE) and post.author_id == actor.user_id)
    ):
        raise PermissionDenied("Only the author or someone who may publish can cancel this post.")
    from bedside.publishing import services as publishing

    with transaction.atomic():
        publishing.deliveries_cancel_for_post(post=post)
        _transition(post, S.CANCELLED, actor=actor, expected_version=expected_version, ip=ip)
    return post


def post_override(*, actor: Membership, post: Post, reason: str, ip: str | None = None) -> Post:
    """A compliance officer overrides the blocking findings of the current revision."""
    _require(actor, Perm.OVERRIDE_COMPLIANCE)
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": "Write why this is safe to publish (10 characters or more)."}
        )
    with transaction.atomic():
        checks = post_checks(post=post, actor=actor)
        for check in checks:
            if check.verdict == "block":
                guard.finding_override(actor=actor, check=check, reason=reason.strip(), ip=ip)
        post.override_hash = post.current_revision.content_hash if post.current_revision else ""
        post.save(update_fields=["override_hash"])
        audit_record(
            action="post.findings_overridden", actor=actor.user, practice=actor.practice,
            obj=post, ip=ip, data={"revision": post.current_revision_id},
        )  # fmt: skip
    return post


def post_consent_revoked(*, post: Post, actor: Any = None) -> Post:
    """A consent the post relied on was revoked: its approval no longer holds."""
    from bedside.publishing import services as publishing

    with transaction.atomic():
        post.approved_revision, post.approved_by, post.approved_at = None, None, None
        post.save(update_fields=["approved_revision", "approved_by", "approved_at"])
        publishing.deliveries_hold_for_post(post=post)
        _transition(post, S.DRAFT, actor=actor, note="a consent it relied on was revoked")
    return post
