"""Joining a practice's community (with e-mail verification) and member discipline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bedside.audit.services import audit_record
from bedside.community.models import CommunityMember

VERIFY_SALT = "bedside.community.verify"
VERIFY_MAX_AGE = 3 * 24 * 3600


def _verify_url(base_url: str, member: CommunityMember) -> str:
    token = signing.dumps({"m": member.pk}, salt=VERIFY_SALT)
    path = reverse("site:verify", args=[member.practice.slug, token])
    return base_url.rstrip("/") + path


def member_register(
    *,
    practice: Any,
    email: str,
    password: str,
    display_name: str,
    accept_guidelines: bool,
    base_url: str,
    ip: str | None = None,
) -> CommunityMember | None:
    """Create an unverified member and e-mail the verification link.

    An e-mail that already has an account gets a "you already have an account"
    message instead and None is returned, so the form never reveals who is
    registered. Raises ValidationError naming the field.
    """
    if not accept_guidelines:
        raise ValidationError({"accept_guidelines": "Please accept the community guidelines."})
    email = get_user_model().objects.normalize_email(email).lower()
    user_model = get_user_model()
    if user_model.objects.filter(email=email).exists():
        transaction.on_commit(lambda: _send_existing(practice, email, base_url))
        return None
    candidate = user_model(email=email, display_name="")
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    if CommunityMember.objects.filter(
        practice=practice, display_name__iexact=display_name
    ).exists():
        raise ValidationError({"display_name": "That display name is taken here; try another."})
    member = CommunityMember(
        practice=practice,
        display_name=display_name,
        guidelines_accepted_at=timezone.now(),
        status=CommunityMember.Status.PENDING,
    )
    member.full_clean(exclude=["user"])
    with transaction.atomic():
        user = user_model.objects.create_user(email=email, password=password)
        member.user = user
        member.save()
        audit_record(
            action="community.member_registered", actor=user, practice=practice, obj=member, ip=ip
        )
        url = _verify_url(base_url, member)
        transaction.on_commit(lambda: _send_verify(practice, email, member.display_name, url))
    return member


def _send_verify(practice: Any, email: str, display_name: str, url: str) -> None:
    send_mail(
        f"Confirm your e-mail for the {practice.name} community",
        f"Hello {display_name},\n\nPlease confirm your e-mail address to join the "
        f"{practice.name} community:\n\n{url}\n\nThe link works for 3 days. If you did not "
        "sign up, ignore this message.\n",
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


def _send_existing(practice: Any, email: str, base_url: str) -> None:
    send_mail(
        f"Your {practice.name} community sign-up",
        "Someone (hopefully you) tried to sign up with this e-mail address, which already has "
        f"an account. Sign in at {base_url.rstrip('/')}{settings.LOGIN_URL_PATH} instead.\n",
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


def member_verify_email(*, token: str) -> tuple[CommunityMember, bool]:
    """Activate the member named by a verification link; returns (member, newly_verified).

    Raises signing.BadSignature (or SignatureExpired) for a bad or old link; verifying
    twice is harmless (and the second time signs no one in: see views.members.verify)."""
    data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    with transaction.atomic():
        member = CommunityMember.objects.select_for_update().get(pk=data["m"])
        newly = member.email_verified_at is None
        if newly:
            member.email_verified_at = timezone.now()
            if member.status == CommunityMember.Status.PENDING:
                member.status = CommunityMember.Status.ACTIVE
            member.save(update_fields=["email_verified_at", "status"])
            audit_record(
                action="community.member_verified",
                actor=member.user,
                practice=member.practice_id,
                obj=member,
            )
    return member, newly


def member_suspend(*, member: CommunityMember, actor: Any, ip: str | None = None) -> None:
    _set_status(member, actor, CommunityMember.Status.SUSPENDED, "community.member_suspended", ip)


def member_reinstate(*, member: CommunityMember, actor: Any, ip: str | None = None) -> None:
    status = (
        CommunityMember.Status.ACTIVE
        if member.email_verified_at
        else CommunityMember.Status.PENDING
    )
    _set_status(member, actor, status, "community.member_reinstated", ip)


def _set_status(member: CommunityMember, actor: Any, status: str, action: str, ip: Any) -> None:
    with transaction.atomic():
        CommunityMember.objects.filter(pk=member.pk).update(status=status)
        member.status = status
        audit_record(action=action, actor=actor, practice=member.practice_id, obj=member, ip=ip)
