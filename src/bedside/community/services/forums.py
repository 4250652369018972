"""Forums, threads, posts, reactions, reports and moderation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from bedside.audit.services import audit_record
from bedside.community.guard import KIND_COMMUNITY_POST, check
from bedside.community.markup import render_markdown
from bedside.community.models import (
    CommunityMember,
    Forum,
    GroupMeeting,
    Post,
    PostReport,
    PostStatus,
    Reaction,
    Thread,
)
from bedside.community.services.errors import DisclosureWarning, PostingRateLimited, text_digest
from bedside.community.sitecache import site_changed

RATE_LIMIT_POSTS = 5
RATE_LIMIT_MINUTES = 10
MAX_POST_CHARS = 10_000


def forum_create(
    *,
    practice: Any,
    actor: Any,
    title: str,
    kind: str = Forum.Kind.FORUM,
    visibility: str = "public",
    description: str = "",
) -> Forum:
    forum = Forum(
        practice=practice, title=title, kind=kind, visibility=visibility, description=description
    )
    base = slugify(title)[:70] or "forum"
    forum.slug, n = base, 2
    while Forum.objects.filter(practice=practice, slug=forum.slug).exists():
        forum.slug, n = f"{base}-{n}", n + 1
    forum.full_clean()
    with transaction.atomic():
        forum.save()
        audit_record(action="community.forum_created", actor=actor, practice=practice, obj=forum)
        site_changed(practice)
    return forum


def meeting_add(
    *, forum: Forum, actor: Any, starts_at: Any, mode: str, location: str = "", join_url: str = ""
) -> GroupMeeting:
    if mode == GroupMeeting.Mode.ONLINE and not join_url:
        raise ValidationError({"join_url": "An online meeting needs its link."})
    if mode == GroupMeeting.Mode.IN_PERSON and not location:
        raise ValidationError({"location": "An in-person meeting needs a place."})
    meeting = GroupMeeting(
        forum=forum, starts_at=starts_at, mode=mode, location=location, join_url=join_url
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        audit_record(
            action="community.meeting_added", actor=actor, practice=forum.practice_id, obj=meeting
        )
        site_changed(forum.practice_id)
    return meeting


def _screen(member: CommunityMember, parts: tuple[str, ...], confirmed_digest: str) -> bool:
    """Refuse a suspended member, apply the rate limit, run the self-disclosure guard.

    Returns True when the member confirmed a flagged text (the exact one they were warned about).
    """
    if not member.can_post:
        raise PermissionDenied("Your community account cannot post right now.")
    for part in parts:
        if len(part) > MAX_POST_CHARS:
            raise ValidationError({"body": f"Keep posts under {MAX_POST_CHARS} characters."})
    since = timezone.now() - timedelta(minutes=RATE_LIMIT_MINUTES)
    if Post.objects.filter(author=member, created_at__gte=since).count() >= RATE_LIMIT_POSTS:
        raise PostingRateLimited(RATE_LIMIT_POSTS, RATE_LIMIT_MINUTES)
    result = check(
        practice=member.practice,
        text="\n\n".join(parts),
        kind=KIND_COMMUNITY_POST,
        actor=member.user,
    )
    digest = text_digest(*parts)
    if result.flagged and confirmed_digest != digest:
        raise DisclosureWarning(result, digest)
    return result.flagged


def _status_for(member: CommunityMember) -> str:
    return PostStatus.VISIBLE if member.trusted else PostStatus.HELD


def thread_start(
    *,
    member: CommunityMember,
    forum: Forum,
    title: str,
    body: str,
    confirmed_digest: str = "",
    ip: str | None = None,
) -> Thread:
    """Open a thread. Raises DisclosureWarning (nothing saved) until the member confirms
    the exact text; a new member's first post is held for a moderator."""
    if not title.strip() or not body.strip():
        raise ValidationError({"body": "Write a title and a message."})
    confirmed = _screen(member, (title, body), confirmed_digest)
    status = _status_for(member)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            practice_id=member.practice_id,
            forum=forum,
            author=member,
            title=title.strip(),
            status=status,
            last_activity_at=now,
        )
        post = Post.objects.create(
            practice_id=member.practice_id,
            thread=thread,
            author=member,
            body=body,
            body_html=render_markdown(body),
            status=status,
            is_opening=True,
            disclosure_confirmed=confirmed,
        )
        audit_record(
            action="community.thread_started",
            actor=member.user,
            practice=member.practice_id,
            obj=thread,
            ip=ip,
            data={"post_id": post.pk, "status": status, "disclosure_confirmed": confirmed},
        )
        site_changed(member.practice_id)
    return thread


def post_reply(
    *,
    member: CommunityMember,
    thread: Thread,
    body: str,
    confirmed_digest: str = "",
    ip: str | None = None,
) -> Post:
    if not body.strip():
        raise ValidationError({"body": "Write a message."})
    if thread.status != PostStatus.VISIBLE:
        raise PermissionDenied("This thread is not open for replies.")
    confirmed = _screen(member, (body,), confirmed_digest)
    status = _status_for(member)
    with transaction.atomic():
        post = Post.objects.create(
            practice_id=member.practice_id,
            thread=thread,
            author=member,
            body=body,
            body_html=render_markdown(body),
            status=status,
            disclosure_confirmed=confirmed,
        )
        _touch(thread, replies=1 if status == PostStatus.VISIBLE else 0)
        audit_record(
            action="community.post_created",
            actor=member.user,
            practice=member.practice_id,
            obj=post,
            ip=ip,
            data={"thread_id": thread.pk, "status": status, "disclosure_confirmed": confirmed},
        )
    return post


def _touch(thread: Thread, replies: int = 0) -> None:
    """Record activity on a thread: new cache version for its posts and for the site pages."""
    site_changed(thread.practice_id)
    Thread.objects.filter(pk=thread.pk).update(
        version=F("version") + 1,
        reply_count=F("reply_count") + replies,
        last_activity_at=timezone.now(),
    )


def reaction_toggle(*, member: CommunityMember, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if already given. Returns True when now present."""
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": "Unknown reaction."})
    if not member.can_post:
        raise PermissionDenied("Your community account cannot react right now.")
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
        if not deleted:
            Reaction.objects.create(post=post, member=member, kind=kind)
        _touch(post.thread)
    return not deleted


def post_report(*, member: CommunityMember, post: Post, reason: str) -> PostReport:
    if reason not in PostReport.Reason.values:
        raise ValidationError({"reason": "Choose a reason."})
    with transaction.atomic():
        report, created = PostReport.objects.get_or_create(
            practice_id=post.practice_id,
            post=post,
            reporter=member,
            resolved_at=None,
            defaults={"reason": reason},
        )
        if created:
            audit_record(
                action="community.post_reported",
                actor=member.user,
                practice=post.practice_id,
                obj=report,
                data={"post_id": post.pk, "reason": reason},
            )
    return report


def _moderate(post: Post, actor: Any, status: str, action: str, ip: str | None) -> Post:
    with transaction.atomic():
        before = post.status
        Post.objects.filter(pk=post.pk).update(status=status)
        post.status = status
        if post.is_opening:
            Thread.objects.filter(pk=post.thread_id).update(status=status)
        delta = (status == PostStatus.VISIBLE) - (before == PostStatus.VISIBLE)
        if not post.is_opening:
            _touch(post.thread, replies=delta)
        else:
            _touch(post.thread)
        PostReport.objects.filter(post=post, resolved_at=None).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
        audit_record(
            action=action,
            actor=actor,
            practice=post.practice_id,
            obj=post,
            ip=ip,
            data={"from": before, "to": status},
        )
    return post


def post_hide(*, post: Post, actor: Any, ip: str | None = None) -> Post:
    return _moderate(post, actor, PostStatus.HIDDEN, "community.post_hidden", ip)


def post_restore(*, post: Post, actor: Any, ip: str | None = None) -> Post:
    return _moderate(post, actor, PostStatus.VISIBLE, "community.post_restored", ip)


def post_approve(*, post: Post, actor: Any, ip: str | None = None) -> Post:
    """Publish a held post; the author's later posts no longer wait for review."""
    with transaction.atomic():
        CommunityMember.objects.filter(pk=post.author_id).update(trusted=True)
        return _moderate(post, actor, PostStatus.VISIBLE, "community.post_approved", ip)


def thread_pin(*, thread: Thread, actor: Any, pinned: bool, topic_of_week: bool = False) -> Thread:
    """Pin or unpin; at most one "health topic of the week" per practice."""
    with transaction.atomic():
        if topic_of_week:
            Thread.objects.filter(practice_id=thread.practice_id, topic_of_week=True).update(
                topic_of_week=False
            )
        Thread.objects.filter(pk=thread.pk).update(
            pinned=pinned or topic_of_week, topic_of_week=topic_of_week, version=F("version") + 1
        )
        thread.pinned, thread.topic_of_week = pinned or topic_of_week, topic_of_week
        audit_record(
            action="community.thread_pinned",
            actor=actor,
            practice=thread.practice_id,
            obj=thread,
            data={"pinned": thread.pinned, "topic_of_week": topic_of_week},
        )
        site_changed(thread.practice_id)
    return thread
