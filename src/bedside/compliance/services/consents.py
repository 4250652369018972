"""Patients' written authorizations: record, sign, revoke. Kept six years; never deleted.

Other apps tell the guard which published items used a consent by appending a provider:

    from bedside.compliance.services import CONSENT_USAGE_PROVIDERS, ConsentUsage

    class PostsUsingConsent:
        def __call__(self, consent) -> list[ConsentUsage]: ...       # what used it
        def on_revoke(self, consent, usages, *, actor) -> None: ...  # optional: queue removal

    CONSENT_USAGE_PROVIDERS.append(PostsUsingConsent())

A plain function works too (no `on_revoke`: it is only listed). `on_revoke` runs inside
the revoking transaction: enqueue removal tasks with `transaction.on_commit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.compliance.models import Consent

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
COVER_CHOICES = ("name", "story", "photo")
# Magic numbers: the document's type is read from its first bytes, never from its name.
DOCUMENT_TYPES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class ConsentUsage:
    """One published item that relied on a consent."""

    kind: str
    id: int | str
    title: str
    url: str


class ConsentUsageProvider(Protocol):
    def __call__(self, consent: Consent) -> list[ConsentUsage]: ...


CONSENT_USAGE_PROVIDERS: list[Callable[[Consent], list[ConsentUsage]]] = []


def consent_usages(*, consent: Consent) -> list[ConsentUsage]:
    usages: list[ConsentUsage] = []
    for provider in CONSENT_USAGE_PROVIDERS:
        usages.extend(provider(consent))
    return usages


def _require(actor: Membership) -> None:
    if not actor.can(Perm.MANAGE_CONSENTS):
        raise PermissionDenied(f"Your role ({actor.role}) may not manage consents.")
    if not actor.user.has_mfa:
        raise PermissionDenied("Two-factor authentication must be set up before managing consents.")


def document_type(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) read from the file's first bytes; ValidationError otherwise."""
    if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": "The document is over 10 MB."})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, ext in DOCUMENT_TYPES:
        if head.startswith(magic):
            return content_type, ext
    raise ValidationError({"document": "Upload the signed authorization as a PDF, PNG or JPEG."})


def _clean_choices(values: list[str], allowed: tuple[str, ...] | None, field: str) -> list[str]:
    values = sorted({v.strip() for v in values if v and v.strip()})
    if not values:
        raise ValidationError({field: "Choose at least one."})
    if allowed is not None:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValidationError({field: f"Unknown choice: {unknown[0]}."})
    return values


def consent_create(
    *,
    actor: Membership,
    patient_name: str,
    covers: list[str],
    channels: list[str],
    expires_on: dt.date | None,
    authorization_text: str = "",
    document: UploadedFile | None = None,
    signer_name: str = "",
    signed: bool = False,
    ip: str | None = None,
) -> Consent:
    """Record an authorization: an uploaded signed document, or the patient's e-signature
    (typed name and "I authorize", stamped with time and IP), or both."""
    _require(actor)
    errors: dict[str, str] = {}
    patient_name = " ".join((patient_name or "").split())
    if not patient_name:
        errors["patient_name"] = "Write the patient's name as it will appear."
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = "The expiry date is in the past."
    signer_name = " ".join((signer_name or "").split())
    if signed and not signer_name:
        errors["signer_name"] = "The patient types their name to sign."
    if signer_name and not signed:
        errors["signed"] = "The patient must tick “I authorize” to sign."
    if document is None and not signed:
        errors["document"] = "Upload the signed authorization, or have the patient sign here."
    if errors:
        raise ValidationError(errors)
    covers = _clean_choices(covers, COVER_CHOICES, "covers")
    channels = _clean_choices(channels, None, "channels")
    if "all" in channels:
        channels = ["all"]
    content_type = ""
    if document is not None:
        content_type, ext = document_type(document)
        document.name = f"authorization.{ext}"
    now = timezone.now()
    consent = Consent(
        practice=actor.practice,
        patient_name=patient_name[:200],
        covers=covers,
        channels=channels,
        expires_on=expires_on,
        authorization_text=authorization_text.strip(),
        document_type=content_type,
        signer_name=signer_name[:200] if signed else "",
        signed_at=now if signed else None,
        signed_ip=ip if signed else None,
        created_by=actor.user,
    )
    if document is not None:
        consent.document.save(document.name, document, save=False)
    try:
        with transaction.atomic():
            consent.save()
            audit_record(
                action="consent.created",
                actor=actor.user,
                practice=actor.practice,
                obj=consent,
                ip=ip,
                data={
                    "covers": covers,
                    "channels": channels,
                    "expires_on": expires_on.isoformat() if expires_on else None,
                    "document": document is not None,
                    "e_signed": bool(signed),
                },
            )
    except BaseException:
        if consent.document:  # no row, no file: do not leave a signed form lying around
            consent.document.storage.delete(consent.document.name)
        raise
    return consent


@dataclass(frozen=True)
class ConsentRevocation:
    consent: Consent
    usages: list[ConsentUsage]


def consent_revoke(
    *, actor: Membership, consent: Consent, reason: str, ip: str | None = None
) -> ConsentRevocation:
    """Revoke: the consent stops feeding the guard's context at once; every published item
    that used it is listed, and each provider's `on_revoke` hook queues its removal."""
    _require(actor)
    if consent.practice_id != actor.practice_id:
        raise PermissionDenied("This consent belongs to another practice.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Write why the consent is revoked (e.g. patient's request)."}
        )
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.revoked_at is not None:
            raise ValidationError({"consent": "This consent was already revoked."})
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor.user
        locked.revoke_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        usages: list[ConsentUsage] = []
        for provider in CONSENT_USAGE_PROVIDERS:
            found = list(provider(locked))
            usages.extend(found)
            hook: Any = getattr(provider, "on_revoke", None)
            if hook is not None:
                hook(locked, found, actor=actor)
        audit_record(
            action="consent.revoked",
            actor=actor.user,
            practice=actor.practice,
            obj=locked,
            ip=ip,
            data={"usages": [[u.kind, str(u.id)] for u in usages]},
        )
    consent.refresh_from_db()
    return ConsentRevocation(consent=consent, usages=usages)


def consent_delete(*, actor: Membership, consent: Consent, ip: str | None = None) -> None:
    """Refused: authorizations are kept six years. Revoking is the only way out."""
    raise ValidationError(
        {"consent": "A consent is kept for six years and cannot be deleted; revoke it instead."}
    )


def consent_document_open(*, actor: Membership, consent: Consent, ip: str | None = None) -> Any:
    """Open the signed document for reading; each opening is audited (who saw it, when)."""
    _require(actor)
    if consent.practice_id != actor.practice_id:
        raise PermissionDenied("This consent belongs to another practice.")
    handle = consent.document.open("rb")
    audit_record(
        action="consent.document_viewed", actor=actor.user, practice=actor.practice,
        obj=consent, ip=ip,
    )  # fmt: skip
    return handle
