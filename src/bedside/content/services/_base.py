"""Post states and the transition that records them (optimistic lock, history, audit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.content.models import (
    Post,
    PostState,
    PostTransition,
)

S = PostState
ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.IN_REVIEW, S.CANCELLED},
    S.IN_REVIEW: {S.APPROVED, S.DRAFT, S.CANCELLED},
    S.APPROVED: {S.SCHEDULED, S.DRAFT, S.CANCELLED},
    S.SCHEDULED: {S.APPROVED, S.PUBLISHING, S.DRAFT, S.CANCELLED},
    S.PUBLISHING: {S.PUBLISHED, S.FAILED, S.NEEDS_REVIEW, S.SCHEDULED},
    S.FAILED: {S.SCHEDULED, S.APPROVED, S.DRAFT, S.CANCELLED},
    S.NEEDS_REVIEW: {S.PUBLISHED, S.FAILED, S.SCHEDULED, S.CANCELLED},
    S.PUBLISHED: set(),
    S.CANCELLED: {S.DRAFT},
}
EDITABLE = {S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED, S.CANCELLED}


class PostConflict(Exception):
    """Someone else changed the post since it was loaded (optimistic lock)."""

    def __init__(self) -> None:
        super().__init__("This post was changed by someone else; reload it and try again.")


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not {perm.value.replace('_', ' ')}.")


# --------------------------------------------------------------------------- transitions


def _transition(
    post: Post,
    to: str,
    *,
    actor: Any = None,
    expected_version: int | None = None,
    note: str = "",
    ip: str | None = None,
) -> Post:
    """Move `post` to `to` if allowed and nobody changed it meanwhile; record history."""
    if to not in ALLOWED[post.state]:
        raise ValidationError(
            {"state": f"A post that is {post.get_state_display().lower()} cannot become {to}."}
        )
    version = post.version if expected_version is None else expected_version
    rows = Post.objects.filter(pk=post.pk, version=version, state=post.state).update(
        state=to, version=version + 1, updated_at=timezone.now()
    )
    if rows != 1:
        raise PostConflict()
    from_state = post.state
    post.state, post.version = to, version + 1
    user = getattr(actor, "user", actor)
    PostTransition.objects.create(
        post=post,
        from_state=from_state,
        to_state=to,
        actor=user,
        revision_id=post.current_revision_id,
        version=post.version,
        note=note[:300],
    )
    audit_record(
        action=f"post.{to}",
        actor=user,
        practice=post.practice_id,
        obj=post,
        ip=ip,
        data={"from": from_state, "to": to, "version": post.version,
              "revision": post.current_revision_id},
    )  # fmt: skip
    return post


def _bump_version(post: Post, expected_version: int | None) -> None:
    version = post.version if expected_version is None else expected_version
    if Post.objects.filter(pk=post.pk, version=version).update(version=F("version") + 1) != 1:
        raise PostConflict()
    post.version = version + 1


def post_sync_state(*, post_id: int, actor: Any = None) -> Post | None:
    """Derive the post's state from its deliveries (called by publishing, after the
    delivery's own change has committed)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                post = Post.objects.select_for_update().get(pk=post_id)
                target = _derived_state(post)
                if target and target != post.state:
                    _transition_system(post, target, actor=actor)
                return post
        except PostConflict:
            continue
    return None


def _derived_state(post: Post) -> str | None:
    from bedside.publishing.models import DeliveryState as D

    if post.state in (S.DRAFT, S.IN_REVIEW, S.CANCELLED):
        return None
    states = set(post.deliveries.exclude(state=D.CANCELLED).values_list("state", flat=True))
    if not states:
        return None
    waiting = states & {D.SCHEDULED, D.PENDING}
    if D.PUBLISHING in states or (D.PUBLISHED in states and waiting):
        return S.PUBLISHING
    if states == {D.PUBLISHED}:
        return S.PUBLISHED
    if D.NEEDS_REVIEW in states and not waiting:
        return S.NEEDS_REVIEW
    if D.FAILED in states and not (waiting or D.EXPIRED in states):
        return S.FAILED
    if D.SCHEDULED in states:
        return S.SCHEDULED
    return S.APPROVED


def _transition_system(post: Post, to: str, actor: Any = None) -> None:
    """A system transition outside the user-facing map (recorded the same way)."""
    rows = Post.objects.filter(pk=post.pk, version=post.version).update(
        state=to, version=post.version + 1, updated_at=timezone.now()
    )
    if rows != 1:
        raise PostConflict()
    from_state, post.state, post.version = post.state, to, post.version + 1
    user = getattr(actor, "user", actor)
    PostTransition.objects.create(
        post=post, from_state=from_state, to_state=to, revision_id=post.current_revision_id,
        version=post.version, note="from deliveries", actor=user,
    )  # fmt: skip
    audit_record(
        action=f"post.{to}", practice=post.practice_id, obj=post, actor=user,
        data={"from": from_state, "to": to, "version": post.version},
    )  # fmt: skip
