"""Public questions, clinicians' answers, and private messages to the practice."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.community.guard import KIND_ANSWER, KIND_COMMUNITY_POST, check
from bedside.community.markup import render_markdown
from bedside.community.models import Answer, CommunityMember, PrivateMessage, Question
from bedside.community.services.errors import GuardBlocked
from bedside.community.sitecache import site_changed

MAX_CHARS = 5_000


def question_ask(
    *, member: CommunityMember, title: str, body: str, ip: str | None = None
) -> Question:
    """Ask the practice a public question.

    A question that discloses health details or identifiers is HELD (never shown
    publicly); the page tells the asker and offers the private message form.
    """
    if not member.can_post:
        raise PermissionDenied("Your community account cannot post right now.")
    if not title.strip() or not body.strip():
        raise ValidationError({"body": "Write a short title and your question."})
    if len(body) > MAX_CHARS:
        raise ValidationError({"body": f"Keep questions under {MAX_CHARS} characters."})
    result = check(
        practice=member.practice,
        text=f"{title}\n\n{body}",
        kind=KIND_COMMUNITY_POST,
        actor=member.user,
    )
    personal = result.verdict == "block" or result.discloses_care
    status = Question.Status.HELD if personal else Question.Status.OPEN
    with transaction.atomic():
        question = Question.objects.create(
            practice_id=member.practice_id,
            asker=member,
            title=title.strip(),
            body=body,
            body_html=render_markdown(body),
            status=status,
        )
        audit_record(
            action="community.question_asked",
            actor=member.user,
            practice=member.practice_id,
            obj=question,
            ip=ip,
            data={"status": status, "categories": sorted({f["category"] for f in result.findings})},
        )
        if status == Question.Status.OPEN:
            site_changed(member.practice_id)
    return question


def answer_publish(
    *, membership: Any, question: Question, body: str, ip: str | None = None
) -> Answer:
    """A clinician answers publicly. The guard runs as for a reply (the asker is public):
    any blocking finding stops the answer and nothing is saved (GuardBlocked)."""
    if not membership.can(Perm.ANSWER_QUESTIONS):
        raise PermissionDenied("Only clinicians answer questions.")
    if question.status not in (Question.Status.OPEN, Question.Status.ANSWERED):
        raise ValidationError({"body": "This question is not public; answer it privately."})
    if not body.strip():
        raise ValidationError({"body": "Write the answer."})
    result = check(practice=question.practice, text=body, kind=KIND_ANSWER, actor=membership.user)
    if result.verdict == "block":
        raise GuardBlocked(result)
    user = membership.user
    with transaction.atomic():
        answer = Answer.objects.create(
            practice_id=question.practice_id,
            question=question,
            author=user,
            author_name=user.display_name or "A clinician",
            body=body,
            body_html=render_markdown(body),
        )
        Question.objects.filter(pk=question.pk).update(status=Question.Status.ANSWERED)
        audit_record(
            action="community.question_answered",
            actor=user,
            practice=question.practice_id,
            obj=answer,
            ip=ip,
            data={"question_id": question.pk, "verdict": result.verdict},
        )
        site_changed(question.practice_id)
    return answer


def message_send(
    *,
    member: CommunityMember,
    subject: str,
    body: str,
    from_question_id: int | None = None,
    ip: str | None = None,
) -> PrivateMessage:
    """A private message to the practice: only staff see it. No guard: it never goes public.

    `from_question_id` links the member's own held question (ignored if not theirs)."""
    if not subject.strip() or not body.strip():
        raise ValidationError({"body": "Write a subject and a message."})
    if len(body) > MAX_CHARS:
        raise ValidationError({"body": f"Keep messages under {MAX_CHARS} characters."})
    from_question = (
        Question.objects.filter(pk=from_question_id, asker=member).first()
        if from_question_id
        else None
    )
    with transaction.atomic():
        message = PrivateMessage.objects.create(
            practice_id=member.practice_id,
            member=member,
            subject=subject.strip(),
            body=body,
            from_question=from_question,
        )
        audit_record(
            action="community.message_received",
            actor=member.user,
            practice=member.practice_id,
            obj=message,
            ip=ip,
        )
    return message


def message_assign(*, message: PrivateMessage, actor: Any, assignee: Any | None) -> PrivateMessage:
    """Assign to a staff member of the same practice (None unassigns)."""
    if (
        assignee is not None
        and not assignee.memberships.filter(practice_id=message.practice_id).exists()
    ):
        raise ValidationError({"assignee": "Choose someone on the practice's team."})
    state = PrivateMessage.State.ASSIGNED if assignee else PrivateMessage.State.NEW
    with transaction.atomic():
        message.assigned_to = assignee
        if message.state != PrivateMessage.State.CLOSED:
            message.state = state
        message.save(update_fields=["assigned_to", "state", "updated_at"])
        audit_record(
            action="community.message_assigned",
            actor=actor,
            practice=message.practice_id,
            obj=message,
            data={"assignee_id": getattr(assignee, "pk", None), "state": message.state},
        )
    return message


def message_set_state(*, message: PrivateMessage, actor: Any, state: str) -> PrivateMessage:
    if state not in PrivateMessage.State.values:
        raise ValidationError({"state": "Unknown state."})
    with transaction.atomic():
        before = message.state
        message.state = state
        message.save(update_fields=["state", "updated_at"])
        audit_record(
            action="community.message_state",
            actor=actor,
            practice=message.practice_id,
            obj=message,
            data={"from": before, "to": state},
        )
    return message
