"""Writing posts: validation, revisions, compliance checks, create and edit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.channels import limits
from bedside.channels.models import ChannelAccount, ChannelStatus
from bedside.content import guard
from bedside.content.models import (
    Campaign,
    MediaAsset,
    Pillar,
    Post,
    PostRevision,
    PostTransition,
    PostVariant,
)
from bedside.content.services._base import (
    EDITABLE,
    S,
    _bump_version,
    _require,
    _transition,
)

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
    checks, post.verdict, post.findings = _run_checks(practice, targets, actor)
    Post.objects.filter(pk=post.pk).update(verdict=post.verdict, findings=post.findings)
    return checks


def _run_checks(
    practice: Any, targets: list[tuple[str, str, str | None]], actor: Any
) -> tuple[list[Any], str, list[dict[str, Any]]]:
    """Check each (target, text, channel type) the way every post text is checked:
    the checks, the combined verdict and the findings labelled with their target."""
    checks, findings = [], []
    for target, text, channel_type in targets:
        check = guard.text_check(
            practice=practice, text=text, kind="post", channel_type=channel_type, actor=actor
        )
        checks.append(check)
        findings += [{**f, "target": target} for f in check.findings]
    verdicts = {c.verdict for c in checks}
    verdict = "block" if "block" in verdicts else "warn" if "warn" in verdicts else "pass"
    return checks, verdict, findings


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
    from bedside.publishing import services as publishing

    if publishing.deliveries_live_for_post(post=post):
        raise ValidationError(
            {"text": "Part of this post is already live: use “Edit published post” so the "
             "change is approved and reaches the networks that allow editing."}
        )  # fmt: skip
    channels = _channels(actor, channel_ids)
    if scheduled_at != post.scheduled_at:
        _schedule_ok(scheduled_at)
    clean_variants = _variants(channels, variants)
    media = _media(actor, media_ids)
    _limits_ok(channels, text, clean_variants, len(media))
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
