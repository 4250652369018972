"""Audit hooks for events that allauth and Django raise (login, MFA changes).

These only record; they hold no business rules.
"""

from __future__ import annotations

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from bedside.audit.services import audit_record


def _ip(request) -> str | None:  # type: ignore[no-untyped-def]
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _practices(user):  # type: ignore[no-untyped-def]
    ids = list(user.memberships.values_list("practice_id", flat=True)) if user is not None else []
    return ids or [None]


@receiver(auth_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    for practice_id in _practices(user):
        audit_record(
            action="auth.login", actor=user, practice=practice_id, obj=user, ip=_ip(request)
        )


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):  # type: ignore[no-untyped-def]
    from bedside.accounts.models import User

    # The attempted e-mail is not stored (it may be mistyped personal data);
    # a known user is referenced by id in each of their practices' chains.
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    for practice_id in _practices(user):
        audit_record(
            action="auth.login_failed", practice=practice_id, object_type="accounts.user",
            object_id=user.pk if user else "", ip=_ip(request),
        )  # fmt: skip


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    if user is not None:
        for practice_id in _practices(user):
            audit_record(
                action="auth.logout", actor=user, practice=practice_id, obj=user, ip=_ip(request)
            )


def _mfa_event(action: str):  # type: ignore[no-untyped-def]
    def handler(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
        authenticator = kwargs.get("authenticator")
        data = {"type": getattr(authenticator, "type", "")}
        for practice_id in _practices(user):
            audit_record(
                action=action,
                actor=user,
                practice=practice_id,
                obj=user,
                ip=_ip(request),
                data=data,
            )

    return handler


_added = _mfa_event("mfa.added")
_removed = _mfa_event("mfa.removed")
_reset = _mfa_event("mfa.recovery_codes_reset")
mfa_signals.authenticator_added.connect(_added, dispatch_uid="bedside.mfa.added")
mfa_signals.authenticator_removed.connect(_removed, dispatch_uid="bedside.mfa.removed")
mfa_signals.authenticator_reset.connect(_reset, dispatch_uid="bedside.mfa.reset")


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    for practice_id in _practices(user):
        audit_record(
            action="mfa.failed", actor=user, practice=practice_id, obj=user, ip=_ip(request)
        )
