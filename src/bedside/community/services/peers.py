"""The clinicians' peer space: verified invitations, de-identified case discussions, Q&A."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.community.guard import KIND_PEER, check
from bedside.community.markup import render_markdown
from bedside.community.models import PeerClinician, PeerPost, PeerThread
from bedside.community.services.errors import GuardBlocked


def peer_invite(
    *,
    practice: Any,
    actor: Any,
    membership: Any,
    npi: str,
    specialty: str,
    interests: str = "",
) -> PeerClinician:
    """Verify one of the practice's clinicians into the peer space (NPI check digit)."""
    if membership.practice_id != practice.pk or not membership.can(Perm.PEER_SPACE):
        raise ValidationError({"membership": "Choose a clinician of this practice."})
    npi = (npi or "").strip()
    existing = PeerClinician.objects.filter(user=membership.user).first()
    peer = existing or PeerClinician(user=membership.user)
    peer.practice = practice
    peer.invited_by = actor
    peer.display_name = membership.user.display_name or membership.user.email.split("@")[0]
    peer.npi, peer.specialty, peer.interests = npi, specialty.strip(), interests.strip()
    peer.verified_at = timezone.now()
    peer.revoked_at = None
    peer.full_clean(exclude=["user", "invited_by", "practice"])
    with transaction.atomic():
        peer.save()
        audit_record(action="community.peer_verified", actor=actor, practice=practice, obj=peer)
    return peer


def _guard(peer: PeerClinician, text: str) -> None:
    result = check(practice=peer.practice, text=text, kind=KIND_PEER, actor=peer.user)
    if result.verdict == "block":
        raise GuardBlocked(result)


def peer_thread_start(
    *, peer: PeerClinician, kind: str, title: str, body: str, specialty: str = ""
) -> PeerThread:
    """Open a case discussion or question. Any identifier blocks it outright: cases are
    de-identified or not posted (GuardBlocked, nothing saved)."""
    if peer.revoked_at is not None:
        raise PermissionDenied("Your peer-space access was revoked.")
    if kind not in PeerThread.Kind.values:
        raise ValidationError({"kind": "Choose a case discussion or a question."})
    if not title.strip() or not body.strip():
        raise ValidationError({"body": "Write a title and the case or question."})
    _guard(peer, f"{title}\n\n{body}")
    with transaction.atomic():
        thread = PeerThread.objects.create(
            kind=kind, author=peer, title=title.strip(), specialty=specialty or peer.specialty
        )
        PeerPost.objects.create(
            thread=thread, author=peer, body=body, body_html=render_markdown(body)
        )
        audit_record(
            action="community.peer_thread_started",
            actor=peer.user,
            practice=peer.practice_id,
            obj=thread,
            data={"kind": kind},
        )
    return thread


def peer_reply(*, peer: PeerClinician, thread: PeerThread, body: str) -> PeerPost:
    if peer.revoked_at is not None:
        raise PermissionDenied("Your peer-space access was revoked.")
    if not body.strip():
        raise ValidationError({"body": "Write a reply."})
    _guard(peer, body)
    with transaction.atomic():
        post = PeerPost.objects.create(
            thread=thread, author=peer, body=body, body_html=render_markdown(body)
        )
        audit_record(
            action="community.peer_replied",
            actor=peer.user,
            practice=peer.practice_id,
            obj=post,
            data={"thread_id": thread.pk},
        )
    return post
