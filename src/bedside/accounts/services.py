"""Every write about people and their access: one function per use case."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bedside.accounts.models import ApiToken, Invitation, Membership, User
from bedside.accounts.permissions import Perm, Role
from bedside.audit.services import audit_record
from bedside.core.models import Practice

INVITATION_DAYS = 7


def _sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require(membership: Membership, perm: Perm) -> None:
    if not membership.can(perm):
        raise PermissionDenied(
            f"Your role ({membership.role}) may not {perm.value.replace('_', ' ')}."
        )


def _owner_count(practice: Practice) -> int:
    return Membership.objects.filter(practice=practice, role=Role.OWNER).count()


def practice_create(
    *,
    name: str,
    slug: str,
    time_zone: str,
    owner_email: str,
    actor: User | None = None,
    **profile: object,
) -> Practice:
    """A new practice with its first owner (created if unknown, with no password: they
    set one through "forgot password"). Apps add their defaults through
    core.hooks.PRACTICE_CREATED, in this transaction."""
    from bedside.core.hooks import PRACTICE_CREATED

    practice = Practice(name=name.strip(), slug=slug.strip(), time_zone=time_zone, **profile)
    practice.full_clean()
    email = owner_email.strip().lower()
    with transaction.atomic():
        practice.save()
        owner = User.objects.filter(email__iexact=email).first()
        if owner is None:
            owner = User.objects.create_user(email=email, password=None)
        membership = Membership.objects.create(user=owner, practice=practice, role=Role.OWNER)
        audit_record(
            action="practice.created", actor=actor or owner, practice=practice, obj=practice,
            data={"owner_membership_id": membership.pk},
        )  # fmt: skip
        for hook in PRACTICE_CREATED:
            hook(practice=practice, actor=actor or owner)
    return practice


def practice_update_profile(
    *, actor: Membership, ip: str | None = None, **fields: object
) -> Practice:
    _require(actor, Perm.MANAGE_SETTINGS)
    practice = actor.practice
    allowed = {
        "name", "time_zone", "street_address", "city", "state", "postal_code", "phone", "fax",
        "email", "website", "description", "idle_timeout_minutes",
    }  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    changed = sorted(name for name, value in fields.items() if getattr(practice, name) != value)
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.full_clean()
    with transaction.atomic():
        practice.save()
        audit_record(
            action="practice.updated",
            actor=actor.user,
            practice=practice,
            obj=practice,
            ip=ip,
            data={"fields": changed},
        )
    return practice


def membership_change_role(
    *, actor: Membership, membership_id: int, role: str, ip: str | None = None
) -> Membership:
    _require(actor, Perm.MANAGE_TEAM)
    new_role = Role(role)
    with transaction.atomic():
        target = Membership.objects.select_related("user").get(
            practice=actor.practice, pk=membership_id
        )
        if target.pk == actor.pk:
            raise ValidationError({"role": "You cannot change your own role; ask another owner."})
        if Role.OWNER in (new_role, target.role) and actor.role != Role.OWNER:
            raise PermissionDenied("Only an owner can grant or take away the owner role.")
        if (
            target.role == Role.OWNER
            and new_role != Role.OWNER
            and _owner_count(actor.practice) <= 1
        ):
            raise ValidationError({"role": "A practice must keep at least one owner."})
        old_role = target.role
        target.role = new_role
        target.save(update_fields=["role"])
        audit_record(
            action="member.role_changed", actor=actor.user, practice=actor.practice, obj=target, ip=ip,
            data={"user_id": target.user_id, "from": old_role, "to": new_role.value},
        )  # fmt: skip
    return target


def membership_remove(*, actor: Membership, membership_id: int, ip: str | None = None) -> None:
    _require(actor, Perm.MANAGE_TEAM)
    with transaction.atomic():
        target = Membership.objects.get(practice=actor.practice, pk=membership_id)
        if target.role == Role.OWNER and actor.role != Role.OWNER:
            raise PermissionDenied("Only an owner can remove an owner.")
        if target.role == Role.OWNER and _owner_count(actor.practice) <= 1:
            raise ValidationError({"member": "A practice must keep at least one owner."})
        ApiToken.objects.filter(membership=target, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            action="member.removed", actor=actor.user, practice=actor.practice, obj=target, ip=ip,
            data={"user_id": target.user_id, "role": target.role},
        )  # fmt: skip
        target.delete()


def invitation_create(
    *, actor: Membership, email: str, role: str, ip: str | None = None
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns the invitation and the raw token."""
    _require(actor, Perm.MANAGE_TEAM)
    email = email.strip().lower()
    new_role = Role(role)
    if new_role == Role.OWNER and actor.role != Role.OWNER:
        raise PermissionDenied("Only an owner can invite another owner.")
    if Membership.objects.filter(practice=actor.practice, user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member of the practice."})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            practice=actor.practice, email=email, role=new_role, token_hash=_sha256(raw),
            invited_by=actor.user, expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )  # fmt: skip
        audit_record(
            action="member.invited", actor=actor.user, practice=actor.practice, obj=invitation, ip=ip,
            data={"role": new_role.value},
        )  # fmt: skip
        link = settings.BEDSIDE_BASE_URL.rstrip("/") + reverse(
            "accounts:invitation_accept", args=[raw]
        )
        transaction.on_commit(
            lambda: send_mail(
                f"You are invited to {actor.practice.name} on Bedside",
                f"{actor.user} invited you to join {actor.practice.name} as {new_role.label}.\n\n"
                f"Accept within {INVITATION_DAYS} days: {link}\n",
                None,
                [email],
            )
        )
    return invitation, raw


def invitation_get_open(*, raw_token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("practice").filter(token_hash=_sha256(raw_token)).first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(
            "This invitation is not valid any more. Ask the practice for a new one."
        )
    return invitation


def invitation_accept(
    *, raw_token: str, user: User | None, password: str = "", ip: str | None = None
) -> Membership:
    """Accept as the signed-in user, or create the invited account with `password`."""
    with transaction.atomic():
        invitation = invitation_get_open(raw_token=raw_token)
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    "An account with this e-mail exists: sign in first, then open the link again."
                )
            user = User.objects.create_user(email=invitation.email, password=password)
        elif user.email.lower() != invitation.email:
            raise ValidationError("This invitation was sent to another e-mail address.")
        membership, _ = Membership.objects.get_or_create(
            user=user, practice=invitation.practice, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            action="member.joined", actor=user, practice=invitation.practice, obj=membership, ip=ip,
            data={"role": membership.role, "invitation_id": invitation.pk},
        )  # fmt: skip
    return membership


def api_token_create(
    *, membership: Membership, name: str, ip: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for this member; the raw token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the tool that will use it."})
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=membership, name=name[:100], prefix=raw[:8], token_hash=_sha256(raw)
        )
        audit_record(
            action="api_token.created",
            actor=membership.user,
            practice=membership.practice,
            obj=token,
            ip=ip,
        )
    return token, raw


def api_token_revoke(*, actor: Membership, token_id: int, ip: str | None = None) -> ApiToken:
    """A member revokes their own tokens; a team manager may revoke anyone's in the practice."""
    qs = ApiToken.objects.filter(membership__practice=actor.practice, pk=token_id)
    if not actor.can(Perm.MANAGE_TEAM):
        qs = qs.filter(membership=actor)
    with transaction.atomic():
        token = qs.get()
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                action="api_token.revoked",
                actor=actor.user,
                practice=actor.practice,
                obj=token,
                ip=ip,
            )
    return token


def api_token_authenticate(*, raw_token: str) -> ApiToken | None:
    if not raw_token.startswith("bsd_"):
        return None
    token = (
        ApiToken.objects.select_related("membership__user", "membership__practice")
        .filter(
            token_hash=_sha256(raw_token), revoked_at__isnull=True, membership__user__is_active=True
        )
        .first()
    )
    if token is not None and (
        token.last_used_at is None or timezone.now() - token.last_used_at > dt.timedelta(minutes=1)
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def user_sign_out_everywhere(
    *, user: User, practice: Practice | None, ip: str | None = None
) -> None:
    with transaction.atomic():
        user.session_salt = secrets.token_hex(8)
        user.save(update_fields=["session_salt"])
        audit_record(
            action="auth.signed_out_everywhere", actor=user, practice=practice, obj=user, ip=ip
        )
