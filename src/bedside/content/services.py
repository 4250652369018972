"""Every write about posts: create, edit, submit, approve, reject, reschedule,
cancel, override; media uploads; pillars and credible domains.

State changes go through `_transition`: a conditional UPDATE on (state,
version) — optimistic locking — plus a PostTransition row and an audit event
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.channels import limits
from bedside.channels.models import ChannelAccount, ChannelStatus
from bedside.content import guard
from bedside.content.media import clean_image
from bedside.content.models import (
    DEFAULT_PILLARS,
    Campaign,
    CredibleDomain,
    MediaAsset,
    Pillar,
    Post,
    PostRevision,
    PostState,
    PostTransition,
    PostVariant,
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


# --------------------------------------------------------------------------- validation


def _channels(actor: Membership, ids: Iterable[Any]) -> list[ChannelAccount]:
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise ValidationError({"channels": "Channels are given by their numeric ids."}) from None
    if not wanted:
        raise ValidationError({"channels": "Choose at least one channel to publish to."})
    found = list(
        ChannelAccount.objects.filter(practice=actor.practice, pk__in=wanted).exclude(
            status=ChannelStatus.DISABLED
        )
    )
    missing = sorted(wanted - {c.pk for c in found})
    if missing:
        raise ValidationError(
            {"channels": f"No channel of your practice has id {', '.join(map(str, missing))}."}
        )
    return sorted(found, key=lambda c: c.pk)


def _schedule_ok(scheduled_at: dt.datetime | None) -> None:
    if scheduled_at is None:
        return
    if timezone.is_naive(scheduled_at):
        raise ValidationError({"scheduled_at": "Give the time with its UTC offset."})
    if scheduled_at <= timezone.now():
        raise ValidationError(
            {"scheduled_at": "This time has already passed; choose a time in the future."}
        )


def _variants(channels: list[ChannelAccount], variants: dict[Any, str] | None) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = {c.pk for c in channels}
    for key, text in (variants or {}).items():
        try:
            cid = int(key)
        except (TypeError, ValueError):
            raise ValidationError({"variants": f"{key!r} is not a channel id."}) from None
        if cid not in ids:
            raise ValidationError(
                {"variants": f"Channel {cid} is not one of this post's channels."}
            )
        if text is not None and str(text).strip():
            out[cid] = str(text)
    return out


def _limits_ok(
    channels: list[ChannelAccount], text: str, variants: dict[int, str], media_count: int
) -> None:
    errors: dict[str, str] = {}
    for channel in channels:
        body = variants.get(channel.pk, text)
        result = limits.check(channel.type, body, media_count)
        if not result.ok:
            field = f"variants.{channel.pk}" if channel.pk in variants else "text"
            message = f"{channel.name}: {result.message}"
            errors[field] = f"{errors[field]} {message}" if field in errors else message
    if errors:
        raise ValidationError(errors)


def _media(actor: Membership, ids: Iterable[Any] | None) -> list[MediaAsset]:
    wanted = [int(i) for i in ids or []]
    found = {m.pk: m for m in MediaAsset.objects.filter(practice=actor.practice, pk__in=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationError({"media": f"No image of your practice has id {missing[0]}."})
    return [found[i] for i in wanted]


def _content_hash(text: str, variants: dict[int, str], media: list[MediaAsset]) -> str:
    payload = {
        "text": text,
        "variants": {str(k): v for k, v in sorted(variants.items())},
        "media": [[m.pk, m.alt_text] for m in media],
    }
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _snapshot(post: Post, actor: Any) -> bool:
    """A new immutable revision if the content changed; True when it did."""
    variants = {v.channel_id: v.text for v in post.variants.all()}
    media = list(post.media.order_by("pk"))
    digest = _content_hash(post.text, variants, media)
    current = post.current_revision
    if current is not None and current.content_hash == digest:
        return False
    number = (current.number if current else 0) + 1
    post.current_revision = PostRevision.objects.create(
        post=post,
        number=number,
        text=post.text,
        variants={str(k): v for k, v in variants.items()},
        media=[{"id": m.pk, "alt_text": m.alt_text} for m in media],
        content_hash=digest,
        created_by=getattr(actor, "user", actor),
    )
    Post.objects.filter(pk=post.pk).update(current_revision=post.current_revision)
    return True


# --------------------------------------------------------------------------- compliance


def post_checks(*, post: Post, actor: Membership | None = None) -> list[Any]:
    """Run the compliance check on the base text, each variant and each alt text;
    store the combined findings on the post. Returns the checks."""
    practice = post.practice
    targets: list[tuple[str, str, str | None]] = [("text", post.text, None)]
    for variant in post.variants.select_related("channel"):
        targets.append((f"variants.{variant.channel_id}", variant.text, variant.channel.type))
    for image in post.media.all():
        targets.append((f"media.{image.pk}", image.alt_text, None))
    checks, findings = [], []
    for target, text, channel_type in targets:
        check = guard.text_check(
            practice=practice, text=text, kind="post", channel_type=channel_type, actor=actor
        )
        checks.append(check)
        findings += [{**f, "target": target} for f in check.findings]
    verdicts = {c.verdict for c in checks}
    post.verdict = "block" if "block" in verdicts else "warn" if "warn" in verdicts else "pass"
    post.findings = findings
    Post.objects.filter(pk=post.pk).update(verdict=post.verdict, findings=findings)
    return checks


def _requirement(post: Post, checks: list[Any]):  # type: ignore[no-untyped-def]
    return guard.approval_requirement(practice=post.practice, checks=checks, author=post.author)


# --------------------------------------------------------------------------- create / edit


def post_create(
    *,
    actor: Membership,
    text: str,
    channel_ids: Iterable[Any],
    scheduled_at: dt.datetime | None = None,
    variants: dict[Any, str] | None = None,
    media_ids: Iterable[Any] | None = None,
    pillar_id: int | None = None,
    campaign_id: int | None = None,
    ip: str | None = None,
) -> Post:
    """A new draft, checked for PHI, with its first revision."""
    _require(actor, Perm.COMPOSE)
    channels = _channels(actor, channel_ids)
    _schedule_ok(scheduled_at)
    clean_variants = _variants(channels, variants)
    media = _media(actor, media_ids)
    _limits_ok(channels, text, clean_variants, len(media))
    with transaction.atomic():
        post = Post.objects.create(
            practice=actor.practice,
            author=actor.user,
            text=text,
            scheduled_at=scheduled_at,
            pillar=_owned(Pillar, actor, pillar_id, "pillar"),
            campaign=_owned(Campaign, actor, campaign_id, "campaign"),
        )
        post.channels.set(channels)
        post.media.set(media)
        PostVariant.objects.bulk_create(
            PostVariant(post=post, channel_id=cid, text=body)
            for cid, body in clean_variants.items()
        )
        _snapshot(post, actor)
        post_checks(post=post, actor=actor)
        PostTransition.objects.create(
            post=post, from_state="", to_state=S.DRAFT, actor=actor.user,
            revision=post.current_revision, version=post.version,
        )  # fmt: skip
        audit_record(
            action="post.created",
            actor=actor.user,
            practice=actor.practice,
            obj=post,
            ip=ip,
            data={"channels": [c.pk for c in channels], "verdict": post.verdict},
        )
    return post


def _owned(model, actor: Membership, pk: int | None, field: str):  # type: ignore[no-untyped-def]
    if not pk:
        return None
    found = model.objects.filter(practice=actor.practice, pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No {field} of your practice has id {pk}."})
    return found


def post_update(
    *,
    actor: Membership,
    post: Post,
    text: str,
    channel_ids: Iterable[Any],
    scheduled_at: dt.datetime | None = None,
    variants: dict[Any, str] | None = None,
    media_ids: Iterable[Any] | None = None,
    pillar_id: int | None = None,
    campaign_id: int | None = None,
    expected_version: int | None = None,
    ip: str | None = None,
) -> Post:
    """Edit a post. A content change after approval voids the approval: a new
    revision, deliveries wait again, the post goes back to draft."""
    _require(actor, Perm.COMPOSE)
    if post.state not in EDITABLE:
        raise ValidationError(
            {"text": "This post is being published or has been; it cannot be edited here."}
        )
    channels = _channels(actor, channel_ids)
    if scheduled_at != post.scheduled_at:
        _schedule_ok(scheduled_at)
    clean_variants = _variants(channels, variants)
    media = _media(actor, media_ids)
    _limits_ok(channels, text, clean_variants, len(media))
    from bedside.publishing import services as publishing

    with transaction.atomic():
        _bump_version(post, expected_version)
        old_channels = set(post.channels.values_list("pk", flat=True))
        time_changed = scheduled_at != post.scheduled_at
        post.text, post.scheduled_at = text, scheduled_at
        post.pillar = _owned(Pillar, actor, pillar_id, "pillar")
        post.campaign = _owned(Campaign, actor, campaign_id, "campaign")
        post.save(update_fields=["text", "scheduled_at", "pillar", "campaign", "updated_at"])
        post.channels.set(channels)
        post.media.set(media)
        post.variants.all().delete()
        PostVariant.objects.bulk_create(
            PostVariant(post=post, channel_id=cid, text=body)
            for cid, body in clean_variants.items()
        )
        changed = _snapshot(post, actor) or old_channels != {c.pk for c in channels}
        post_checks(post=post, actor=actor)
        audit_record(
            action="post.edited", actor=actor.user, practice=actor.practice, obj=post, ip=ip,
            data={"revision": post.current_revision_id, "content_changed": changed},
        )  # fmt: skip
        if changed and post.state in (S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED):
            voided = post.approved_revision_id is not None
            post.approved_revision, post.approved_by, post.approved_at = None, None, None
            post.save(update_fields=["approved_revision", "approved_by", "approved_at"])
            publishing.deliveries_hold_for_post(post=post)
            note = "edited after approval: approval voided" if voided else "edited during review"
            _transition(post, S.DRAFT, actor=actor, note=note, ip=ip)
        elif changed and post.state == S.CANCELLED:
            _transition(post, S.DRAFT, actor=actor, note="edited after cancelling", ip=ip)
        elif time_changed and post.state in (S.APPROVED, S.SCHEDULED, S.FAILED):
            publishing.deliveries_schedule_for_post(post=post, actor=actor)
    return post


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


# --------------------------------------------------------------------------- media, settings


def media_upload(
    *, actor: Membership, data: bytes, alt_text: str, ip: str | None = None
) -> MediaAsset:
    """Store an image re-encoded without metadata. Alt text is required."""
    _require(actor, Perm.COMPOSE)
    if not alt_text.strip():
        raise ValidationError({"alt_text": "Describe the image for people who cannot see it."})
    clean = clean_image(data)
    with transaction.atomic():
        asset = MediaAsset(
            practice=actor.practice, alt_text=alt_text.strip()[:1000], mime=clean.mime,
            width=clean.width, height=clean.height, size=len(clean.data), sha256=clean.sha256,
            uploaded_by=actor.user,
        )  # fmt: skip
        asset.file.save("upload", ContentFile(clean.data), save=False)
        asset.save()
        audit_record(
            action="media.uploaded", actor=actor.user, practice=actor.practice, obj=asset, ip=ip,
            data={"mime": clean.mime, "bytes": len(clean.data)},
        )  # fmt: skip
    return asset


def pillars_ensure_defaults(*, practice: Any) -> None:
    """The default pillars for a practice that has none (idempotent)."""
    if Pillar.objects.filter(practice=practice).exists():
        return
    Pillar.objects.bulk_create(
        [Pillar(practice=practice, name=n, position=i) for i, n in enumerate(DEFAULT_PILLARS)],
        ignore_conflicts=True,
    )


def credible_domains_set(
    *, actor: Membership, domains: Iterable[str], ip: str | None = None
) -> list[str]:
    """Replace the practice's list of credible health sources."""
    _require(actor, Perm.MANAGE_SETTINGS)
    clean = sorted(
        {d.strip().lower().removeprefix("www.").strip("/") for d in domains if d.strip()}
    )
    with transaction.atomic():
        CredibleDomain.objects.filter(practice=actor.practice).delete()
        CredibleDomain.objects.bulk_create(
            CredibleDomain(practice=actor.practice, domain=d) for d in clean
        )
        audit_record(
            action="content.credible_domains_set", actor=actor.user, practice=actor.practice,
            ip=ip, data={"count": len(clean)},
        )  # fmt: skip
    return clean


def post_consent_revoked(*, post: Post, actor: Any = None) -> Post:
    """A consent the post relied on was revoked: its approval no longer holds."""
    from bedside.publishing import services as publishing

    with transaction.atomic():
        post.approved_revision, post.approved_by, post.approved_at = None, None, None
        post.save(update_fields=["approved_revision", "approved_by", "approved_at"])
        publishing.deliveries_hold_for_post(post=post)
        _transition(post, S.DRAFT, actor=actor, note="a consent it relied on was revoked")
    return post
