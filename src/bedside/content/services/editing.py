"""Editing a post that is already published: propose, approve, send back.

The same rules as a new post: every text goes through the compliance guard
(`_run_checks`, the one used by `post_checks`), blocking findings stop the edit,
and where the guard asks for a second person the edit's author cannot approve
it. The post stays live with its approved revision until the edit is approved;
then the edit's revision becomes the approved one and publishing queues an
in-place edit of each live copy on a network that allows it. A newer proposal
replaces one still waiting (its approval, had it been given, would have bound
to the old text).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.content import guard
from bedside.content.models import (
    Post,
    PostEdit,
    PostEditState,
    PostRevision,
    PostTransition,
    PostVariant,
)
from bedside.content.services._base import PostConflict, _bump_version, _require
from bedside.content.services.posts import _content_hash, _limits_ok, _run_checks, _variants

E = PostEditState


def _targets(post: Post, text: str, variants: dict[int, str]) -> list[tuple[str, str, Any]]:
    types = {c.pk: c.type for c in post.channels.all()}
    targets: list[tuple[str, str, Any]] = [("text", text, None)]
    targets += [(f"variants.{cid}", body, types.get(cid)) for cid, body in sorted(variants.items())]
    targets += [(f"media.{m.pk}", m.alt_text, None) for m in post.media.all()]
    return targets


def _check(post: Post, text: str, variants: dict[int, str], actor: Any, author: Any):  # type: ignore[no-untyped-def]
    checks, verdict, findings = _run_checks(post.practice, _targets(post, text, variants), actor)
    requirement = guard.approval_requirement(practice=post.practice, checks=checks, author=author)
    if requirement.blocked:
        raise ValidationError(
            {"text": " ".join(requirement.reasons) or "A compliance finding blocks this edit."}
        )
    return verdict, findings, requirement


def post_edit_propose(
    *, actor: Membership, post: Post, text: str, variants: dict[Any, str] | None = None,
    ip: str | None = None,
) -> PostEdit:  # fmt: skip
    """Propose new text for a published post; it waits for approval (nothing is sent yet)."""
    _require(actor, Perm.COMPOSE)
    _require(actor, Perm.SUBMIT)
    from bedside.publishing import services as publishing

    live = publishing.deliveries_live_for_post(post=post)
    if not live:
        raise ValidationError(
            {"text": "Only a post that is live on a network can be edited this way."}
        )
    refusals = [publishing.delivery_edit_refusal(d) for d in live]
    if all(refusals):
        names = "; ".join(f"{d.channel.name}: {why}" for d, why in zip(live, refusals, strict=True))
        raise ValidationError(
            {"text": f"None of the live copies can be edited ({names}). Remove them or leave them."}
        )
    channels = list(post.channels.order_by("pk"))
    clean = _variants(channels, variants)
    media = list(post.media.order_by("pk"))
    _limits_ok(channels, text, clean, len(media))
    digest = _content_hash(text, clean, media)
    base = post.approved_revision
    if base is not None and base.content_hash == digest:
        raise ValidationError({"text": "This is the text that is already published."})
    verdict, findings, requirement = _check(post, text, clean, actor, actor.user)
    try:
        with transaction.atomic():
            replaced = PostEdit.objects.filter(post=post, state=E.IN_REVIEW).update(
                state=E.SUPERSEDED, decided_at=timezone.now(), note="replaced by a later edit"
            )
            number = (post.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
            revision = PostRevision.objects.create(
                post=post, number=number, text=text,
                variants={str(k): v for k, v in clean.items()},
                media=[{"id": m.pk, "alt_text": m.alt_text} for m in media],
                content_hash=digest, created_by=actor.user,
            )  # fmt: skip
            edit = PostEdit.objects.create(
                practice=post.practice, post=post, revision=revision, base_revision=base,
                author=actor.user, verdict=verdict, findings=findings,
                needs_second_person=requirement.needs_second_person,
            )  # fmt: skip
            audit_record(
                action="post.edit_proposed", actor=actor.user, practice=actor.practice, obj=post,
                ip=ip, data={"edit": edit.pk, "revision": revision.pk, "verdict": verdict,
                             "superseded": replaced},
            )  # fmt: skip
    except IntegrityError:  # someone proposed at the same moment
        raise PostConflict() from None
    return edit


def post_edit_approve(*, actor: Membership, edit: PostEdit, ip: str | None = None) -> PostEdit:
    """Approve a proposed edit: it becomes the post's approved text and every live copy
    on a network that allows editing is queued to change."""
    _require(actor, Perm.APPROVE)
    if edit.state != E.IN_REVIEW:
        raise ValidationError({"state": "This edit is no longer waiting for approval."})
    post = Post.objects.get(pk=edit.post_id)
    revision = edit.revision
    variants = {int(k): v for k, v in revision.variants.items()}
    verdict, findings, requirement = _check(post, revision.text, variants, actor, edit.author)
    if requirement.needs_second_person and edit.author_id == actor.user_id:
        raise PermissionDenied(
            "This edit needs a second person: someone other than its author must approve it."
        )
    from bedside.publishing import services as publishing

    with transaction.atomic():
        rows = PostEdit.objects.filter(pk=edit.pk, state=E.IN_REVIEW).update(
            state=E.APPROVED, decided_by=actor.user, decided_at=timezone.now(), verdict=verdict,
            findings=findings, needs_second_person=requirement.needs_second_person,
        )  # fmt: skip
        if rows != 1:
            raise PostConflict()
        _apply(post, revision, actor, verdict, findings)
        plan = publishing.deliveries_edit_for_post(post=post, revision=revision, actor=actor)
        audit_record(
            action="post.edit_approved", actor=actor.user, practice=actor.practice, obj=post,
            ip=ip, data={"edit": edit.pk, "revision": revision.pk, "queued": plan.queued,
                         "not_editable": [pk for pk, _ in plan.not_editable]},
        )  # fmt: skip
    edit.refresh_from_db()
    return edit


def _apply(post: Post, revision: PostRevision, actor: Membership, verdict: str, findings: list[Any]) -> None:  # fmt: skip
    """The approved edit becomes the post's text and approved revision (state unchanged)."""
    _bump_version(post, None)
    post.text, post.verdict, post.findings = revision.text, verdict, findings
    post.current_revision = post.approved_revision = revision
    post.approved_by, post.approved_at = actor.user, timezone.now()
    post.save(update_fields=["text", "verdict", "findings", "current_revision",
                             "approved_revision", "approved_by", "approved_at", "updated_at"])  # fmt: skip
    post.variants.all().delete()
    PostVariant.objects.bulk_create(
        PostVariant(post=post, channel_id=int(cid), text=body)
        for cid, body in revision.variants.items()
    )
    PostTransition.objects.create(
        post=post, from_state=post.state, to_state=post.state, actor=actor.user,
        revision=revision, version=post.version,
        note=f"published post edited: revision {revision.number} approved",
    )  # fmt: skip


def post_edit_reject(
    *, actor: Membership, edit: PostEdit, note: str = "", ip: str | None = None
) -> PostEdit:
    """Send a proposed edit back; the published text stays as it is."""
    _require(actor, Perm.APPROVE)
    with transaction.atomic():
        rows = PostEdit.objects.filter(pk=edit.pk, state=E.IN_REVIEW).update(
            state=E.REJECTED, decided_by=actor.user, decided_at=timezone.now(), note=note[:300]
        )
        if rows != 1:
            raise ValidationError({"state": "This edit is no longer waiting for approval."})
        audit_record(
            action="post.edit_rejected", actor=actor.user, practice=actor.practice,
            obj=edit.post, ip=ip, data={"edit": edit.pk, "revision": edit.revision_id},
        )  # fmt: skip
    edit.refresh_from_db()
    return edit
