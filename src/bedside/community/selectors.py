"""Reads, scoped: the public site by slug (published content only), the community by
the viewer's membership, staff pages by request.practice, the peer space by verified peer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bedside.community.models import (
    BlogEntry,
    Board,
    Challenge,
    ChallengeEntry,
    ClinicianProfile,
    CommunityMember,
    Event,
    Forum,
    PeerClinician,
    PeerThread,
    Post,
    PostReport,
    PostStatus,
    PrivateMessage,
    Question,
    Thread,
    Visibility,
)
from bedside.core.models import Practice

# --- public site -------------------------------------------------------------------


def practice_for_site(*, slug: str) -> Practice:
    return get_object_or_404(Practice, slug=slug)


def profile_list_public(*, practice: Practice, kind: str | None = None) -> QuerySet:
    qs = ClinicianProfile.objects.filter(practice=practice, published=True)
    return qs.filter(kind=kind) if kind else qs


def profile_get_public(*, practice: Practice, slug: str) -> ClinicianProfile:
    return get_object_or_404(ClinicianProfile, practice=practice, slug=slug, published=True)


def blog_list_public(*, practice: Practice, limit: int | None = None) -> QuerySet:
    qs = BlogEntry.objects.filter(
        practice=practice, published_at__isnull=False, unpublished_at__isnull=True
    ).order_by("-published_at", "-pk")
    return qs[:limit] if limit else qs


def blog_get_public(*, practice: Practice, slug: str) -> BlogEntry:
    return get_object_or_404(blog_list_public(practice=practice), slug=slug)


def event_list_upcoming(*, practice: Practice) -> QuerySet:
    now = timezone.now()
    return Event.objects.filter(practice=practice, published=True).filter(
        Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
    )


def board_list(*, practice: Practice) -> QuerySet:
    return Board.objects.filter(practice=practice).annotate(card_count=Count("cards"))


def board_get(*, practice: Practice, slug: str) -> Board:
    return get_object_or_404(Board, practice=practice, slug=slug)


# --- community (members) ------------------------------------------------------------


def member_for(*, user: Any, practice: Practice) -> CommunityMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CommunityMember.objects.filter(practice=practice, user=user).first()


def _can_see_members_only(member: CommunityMember | None, practice: Practice) -> bool:
    return member is not None and member.practice_id == practice.pk and member.can_post


def forum_list_for(*, practice: Practice, member: CommunityMember | None) -> QuerySet:
    qs = Forum.objects.filter(practice=practice)
    if not _can_see_members_only(member, practice):
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs.prefetch_related("meetings")


def forum_get_for(*, practice: Practice, slug: str, member: CommunityMember | None) -> Forum:
    """404 for a members-only forum unless the viewer is an active member of this practice."""
    return get_object_or_404(forum_list_for(practice=practice, member=member), slug=slug)


def thread_list(*, forum: Forum, member: CommunityMember | None) -> QuerySet:
    visible = Q(status=PostStatus.VISIBLE)
    if member is not None:
        visible |= Q(author=member, status=PostStatus.HELD)
    return forum.threads.filter(visible).select_related("author")


def thread_get_for(*, practice: Practice, thread_id: int, member: CommunityMember | None) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("forum", "author"), practice=practice, pk=thread_id
    )
    if thread.forum.visibility != Visibility.PUBLIC and not _can_see_members_only(member, practice):
        raise Http404
    own_held = member is not None and thread.author_id == member.pk
    if thread.status != PostStatus.VISIBLE and not (own_held and thread.status == PostStatus.HELD):
        raise Http404
    return thread


def post_list(*, thread: Thread) -> list[Post]:
    """Visible posts with their reaction counts, in order (one query)."""
    return list(
        thread.posts.filter(status=PostStatus.VISIBLE)
        .select_related("author")
        .annotate(reaction_total=Count("reactions"))
        .order_by("created_at", "pk")
    )


def own_held_posts(*, thread: Thread, member: CommunityMember | None) -> list[Post]:
    if member is None:
        return []
    return list(thread.posts.filter(author=member, status=PostStatus.HELD))


def post_get_for_member(*, practice: Practice, post_id: int, member: CommunityMember) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("thread", "thread__forum"),
        practice=practice,
        pk=post_id,
        status=PostStatus.VISIBLE,
    )
    thread_get_for(practice=practice, thread_id=post.thread_id, member=member)
    return post


def topic_of_week(*, practice: Practice) -> Thread | None:
    return (
        Thread.objects.filter(
            practice=practice,
            topic_of_week=True,
            status=PostStatus.VISIBLE,
            forum__visibility=Visibility.PUBLIC,
        )
        .select_related("forum")
        .first()
    )


def question_list_public(*, practice: Practice) -> QuerySet:
    return Question.objects.filter(
        practice=practice, status__in=[Question.Status.OPEN, Question.Status.ANSWERED]
    ).select_related("asker")


def question_get_public(*, practice: Practice, question_id: int, member: Any = None) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("asker"), practice=practice, pk=question_id
    )
    public = question.status in (Question.Status.OPEN, Question.Status.ANSWERED)
    if not public and not (member is not None and question.asker_id == member.pk):
        raise Http404
    return question


def challenge_list(*, practice: Practice) -> QuerySet:
    return Challenge.objects.filter(practice=practice)


def challenge_get(*, practice: Practice, slug: str) -> Challenge:
    return get_object_or_404(Challenge, practice=practice, slug=slug)


def challenge_leaderboard(*, challenge: Challenge, limit: int = 20) -> list[dict]:
    """Opted-in participants by display name, highest total first."""
    rows = (
        ChallengeEntry.objects.filter(challenge=challenge, on_leaderboard=True)
        .select_related("member")
        .order_by("-total", "joined_at")[:limit]
    )
    return [{"display_name": e.member.display_name, "total": e.total} for e in rows]


def challenge_summary(*, challenge: Challenge) -> dict:
    """Figures and a suggested end-of-challenge post (aggregate only, no one named)."""
    entries = ChallengeEntry.objects.filter(challenge=challenge)
    count = entries.count()
    total = sum(entries.values_list("total", flat=True))
    reached = entries.filter(total__gte=challenge.goal).count()
    text = (
        f"Our {challenge.title} is over! {count} participant{'s' if count != 1 else ''} "
        f"logged {total:,} {challenge.unit} together"
        + (
            f", and {reached} reached the goal of {challenge.goal:,} {challenge.unit}"
            if reached
            else ""
        )
        + ". Thank you to everyone who took part — watch this space for the next challenge."
    )
    return {"participants": count, "total": total, "reached_goal": reached, "suggested_post": text}


# --- staff pages (request.practice) --------------------------------------------------


def moderation_queue(*, practice: Practice) -> dict:
    held = (
        Post.objects.filter(practice=practice, status=PostStatus.HELD)
        .select_related("author", "thread")
        .order_by("created_at")
    )
    reports = (
        PostReport.objects.filter(practice=practice, resolved_at__isnull=True)
        .select_related("post", "post__author", "post__thread", "reporter")
        .order_by("created_at")
    )
    return {"held": list(held), "reports": list(reports)}


def post_get_for_staff(*, practice: Practice, post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("thread"), practice=practice, pk=post_id)


def thread_get_for_staff(*, practice: Practice, thread_id: int) -> Thread:
    return get_object_or_404(Thread, practice=practice, pk=thread_id)


def member_get_for_staff(*, practice: Practice, member_id: int) -> CommunityMember:
    return get_object_or_404(CommunityMember, practice=practice, pk=member_id)


def member_list_for_staff(*, practice: Practice) -> QuerySet:
    return CommunityMember.objects.filter(practice=practice).annotate(post_count=Count("posts"))


def forum_get_for_staff(*, practice: Practice, forum_id: int) -> Forum:
    return get_object_or_404(Forum, practice=practice, pk=forum_id)


def board_get_for_staff(*, practice: Practice, board_id: int) -> Board:
    return get_object_or_404(Board, practice=practice, pk=board_id)


def profile_get_for_staff(*, practice: Practice, profile_id: int) -> ClinicianProfile:
    return get_object_or_404(ClinicianProfile, practice=practice, pk=profile_id)


def blog_get_for_staff(*, practice: Practice, entry_id: int) -> BlogEntry:
    return get_object_or_404(BlogEntry, practice=practice, pk=entry_id)


def question_get_for_staff(*, practice: Practice, question_id: int) -> Question:
    return get_object_or_404(Question, practice=practice, pk=question_id)


def question_list_for_staff(*, practice: Practice) -> QuerySet:
    return Question.objects.filter(
        practice=practice, status__in=[Question.Status.OPEN, Question.Status.ANSWERED]
    ).select_related("asker")


def message_list_for_staff(*, practice: Practice, state: str | None = None) -> QuerySet:
    qs = PrivateMessage.objects.filter(practice=practice).select_related("member", "assigned_to")
    return qs.filter(state=state) if state else qs


def message_get_for_staff(*, practice: Practice, message_id: int) -> PrivateMessage:
    return get_object_or_404(
        PrivateMessage.objects.select_related("member", "assigned_to"),
        practice=practice,
        pk=message_id,
    )


def manage_counts(*, practice: Practice) -> dict:
    return {
        "members": CommunityMember.objects.filter(practice=practice).count(),
        "held": Post.objects.filter(practice=practice, status=PostStatus.HELD).count(),
        "reports": PostReport.objects.filter(practice=practice, resolved_at__isnull=True).count(),
        "open_questions": Question.objects.filter(
            practice=practice, status=Question.Status.OPEN
        ).count(),
        "new_messages": PrivateMessage.objects.filter(
            practice=practice, state=PrivateMessage.State.NEW
        ).count(),
    }


# --- peer space ----------------------------------------------------------------------


def peer_for(*, user: Any) -> PeerClinician | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return PeerClinician.objects.filter(user=user, revoked_at__isnull=True).first()


def peer_directory(*, specialty: str = "", interest: str = "") -> QuerySet:
    qs = PeerClinician.objects.filter(revoked_at__isnull=True).select_related("practice")
    if specialty:
        qs = qs.filter(specialty__iexact=specialty)
    if interest:
        qs = qs.filter(interests__icontains=interest)
    return qs


def peer_specialties() -> list[str]:
    return sorted(
        set(
            PeerClinician.objects.filter(revoked_at__isnull=True).values_list(
                "specialty", flat=True
            )
        )
    )


def peer_thread_list(*, kind: str | None = None) -> QuerySet:
    qs = PeerThread.objects.select_related("author").annotate(post_count=Count("posts"))
    return qs.filter(kind=kind) if kind else qs


def peer_thread_get(*, thread_id: int) -> PeerThread:
    return get_object_or_404(PeerThread.objects.select_related("author"), pk=thread_id)


# --- stories -------------------------------------------------------------------------


def story_list_public(*, practice: Practice) -> QuerySet:
    from bedside.community.models import Story

    return Story.objects.filter(
        practice=practice, status=Story.Status.PUBLISHED, consent__revoked_at__isnull=True
    )


def story_get_public(*, practice: Practice, story_id: int) -> Any:
    return get_object_or_404(story_list_public(practice=practice), pk=story_id)


def story_list_for_staff(*, practice: Practice) -> QuerySet:
    from bedside.community.models import Story

    return Story.objects.filter(practice=practice).select_related("member", "consent")


def story_get_for_staff(*, practice: Practice, story_id: int) -> Any:
    from bedside.community.models import Story

    return get_object_or_404(Story, practice=practice, pk=story_id)


def consent_choices(*, practice: Practice) -> QuerySet:
    from bedside.compliance.models import Consent

    return Consent.objects.active().filter(practice=practice)


def consent_get_for_staff(*, practice: Practice, consent_id: int) -> Any:
    return get_object_or_404(consent_choices(practice=practice), pk=consent_id)


# --- staff lists -----------------------------------------------------------------------


def forum_list_for_staff(*, practice: Practice) -> QuerySet:
    return Forum.objects.filter(practice=practice).prefetch_related("meetings", "threads")


def profile_list_for_staff(*, practice: Practice) -> QuerySet:
    return ClinicianProfile.objects.filter(practice=practice)


def blog_list_for_staff(*, practice: Practice) -> QuerySet:
    return BlogEntry.objects.filter(practice=practice)


def event_list_for_staff(*, practice: Practice) -> QuerySet:
    return Event.objects.filter(practice=practice)


def board_list_for_staff(*, practice: Practice) -> QuerySet:
    return Board.objects.filter(practice=practice).prefetch_related("cards")


def team_list(*, practice: Practice) -> list:
    from bedside.accounts.models import Membership

    return list(Membership.objects.filter(practice=practice).select_related("user"))


def challenge_entry_for(*, challenge: Challenge, member: CommunityMember | None) -> Any:
    if member is None:
        return None
    return ChallengeEntry.objects.filter(challenge=challenge, member=member).first()
