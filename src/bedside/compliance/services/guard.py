"""The guard every outgoing text goes through: context, scan, stored findings, policy.

check = text_check(practice=p, text=t, kind="post", channel_type="mastodon", actor=user)
need = approval_requirement(practice=p, checks=[check], author=membership)
need.blocked, need.needs_second_person, need.reasons
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.compliance.engine import CATEGORIES, scan
from bedside.compliance.models import (
    KINDS,
    REPLY_KINDS,
    CompliancePolicy,
    Consent,
    Override,
    StaffMember,
    TextCheck,
)
from bedside.core.models import Practice

OVERRIDE_REASON_MIN = 10
CATEGORY_LABELS = {c: c.replace("_", " ") for c in CATEGORIES}


def content_hash(*, text: str, kind: str, channel_type: str | None = None) -> str:
    """SHA-256 of kind, channel and text: any edit, or another kind or channel, changes it."""
    payload = f"{kind}\x1f{channel_type or ''}\x1f{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()


def approval_is_valid(*, approved_hash: str, current_text_hash: str) -> bool:
    """An approval holds only for the exact content it was given for: an edit voids it."""
    if not approved_hash or not current_text_hash:
        return False
    return hmac.compare_digest(approved_hash, current_text_hash)


def policy_for(practice: Practice) -> CompliancePolicy:
    """The practice's policy; an unsaved default when none was saved yet (reads never write)."""
    try:
        return CompliancePolicy.objects.get(practice=practice)
    except CompliancePolicy.DoesNotExist:
        return CompliancePolicy(practice=practice)


def staff_names(*, practice: Practice) -> list[str]:
    """Active roster names as written, then every member's display name; no duplicates."""
    names = list(
        StaffMember.objects.filter(practice=practice, active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    members = (
        Membership.objects.filter(practice=practice)
        .exclude(user__display_name="")
        .order_by("user__display_name")
        .values_list("user__display_name", flat=True)
    )
    seen = set(names)
    for name in members:
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _today(practice: Practice) -> dt.date:
    """Consents expire at the end of their day in the practice's time zone."""
    return timezone.localdate(timezone=practice.zone)


def _active_consents(practice: Practice) -> list[Consent]:
    return list(
        Consent.objects.active(today=_today(practice)).filter(practice=practice).order_by("pk")
    )


def compliance_context(*, practice: Practice) -> dict[str, Any]:
    """The engine context from the practice's profile, roster and active, unexpired consents."""
    return _context(practice, _active_consents(practice))


def _context(practice: Practice, consents: list[Consent]) -> dict[str, Any]:
    return {
        "practice_name": practice.name,
        "staff": staff_names(practice=practice),
        "practice_phone": practice.phone,
        "practice_fax": practice.fax,
        "practice_address": practice.address_line,
        "practice_email": practice.email,
        "website": practice.website,
        "consents": [
            {
                "name": c.patient_name,
                "covers": sorted(c.covers),
                # The engine reads an empty channel list as "every channel".
                "channels": [] if c.all_channels else sorted(c.channels),
            }
            for c in consents
        ],
    }


def context_fingerprint(context: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(context, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _stored_findings(text: str, report: Any, consents: list[Consent]) -> list[dict[str, Any]]:
    """Findings as offsets and words only: no piece of the text, no patient name."""
    out = []
    for f in report.findings:
        item = f.to_dict()
        for consent in consents:
            if consent.patient_name and consent.patient_name in item["explanation"]:
                item["explanation"] = item["explanation"].replace(
                    consent.patient_name, "this patient"
                )
                item["consent_id"] = consent.pk
        span = text[f.start : f.end]
        if len(span.strip()) >= 3:
            for key in ("explanation", "suggestion"):
                if span in item[key]:
                    item[key] = item[key].replace(span, "[…]")
        out.append(item)
    return out


def text_check(
    *,
    practice: Practice,
    text: str,
    kind: str,
    channel_type: str | None = None,
    actor: Any = None,
) -> TextCheck:
    """Scan `text` with the practice's context and store the findings by content hash.

    The same text (same kind and channel) under the same context reuses its row. Raises
    ValidationError naming `kind` or `text` for bad input (too large, unknown kind).
    """
    if kind not in KINDS:
        raise ValidationError({"kind": f"Choose one of: {', '.join(KINDS)}."})
    if not isinstance(text, str):
        raise ValidationError({"text": "The text must be a string."})
    consents = _active_consents(practice)
    context = _context(practice, consents)
    fingerprint = context_fingerprint(context)
    digest = content_hash(text=text, kind=kind, channel_type=channel_type)
    found = TextCheck.objects.filter(
        practice=practice, content_hash=digest, context_fingerprint=fingerprint
    ).first()
    if found is not None:
        return found
    from bedside.compliance.engine import TextTooLarge

    scan_context = dict(context, channel=channel_type or "")
    try:
        report = scan(text, kind=kind, context=scan_context)
    except TextTooLarge as exc:
        raise ValidationError({"text": str(exc)}) from exc
    check = TextCheck(
        practice=practice,
        content_hash=digest,
        context_fingerprint=fingerprint,
        kind=kind,
        channel_type=channel_type or "",
        verdict=report.verdict,
        findings=_stored_findings(text, report, consents),
    )
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:  # the same text checked at the same moment elsewhere
        return TextCheck.objects.get(
            practice=practice, content_hash=digest, context_fingerprint=fingerprint
        )
    return check


@dataclass
class ApprovalRequirement:
    """What the policy asks of a set of checked texts before they may go out."""

    blocked: bool = False
    needs_second_person: bool = False
    reasons: list[str] = field(default_factory=list)


def _span(f: dict[str, Any]) -> tuple[int, int, str]:
    return (int(f["start"]), int(f["end"]), str(f["category"]))


def overridden_spans(*, practice: Practice, content_hash: str) -> set[tuple[int, int, str]]:
    spans: set[tuple[int, int, str]] = set()
    for findings in Override.objects.filter(
        practice=practice, content_hash=content_hash
    ).values_list("findings", flat=True):
        spans.update((int(s), int(e), str(c)) for s, e, c in findings)
    return spans


def _labels(categories: set[str]) -> str:
    return ", ".join(CATEGORY_LABELS.get(c, c) for c in sorted(categories))


def approval_requirement(
    *, practice: Practice, checks: list[TextCheck], author: Any = None
) -> ApprovalRequirement:
    """Apply the practice's policy to checked texts.

    blocked: a block finding no override covers (or, when the policy says so, a warning in a
    reply). needs_second_person: warnings, overridden blocks, a finding in a sensitive
    category, or a policy that wants every text approved. The approver must not be `author`.
    """
    policy = policy_for(practice)
    sensitive = set(policy.sensitive_categories or [])
    result = ApprovalRequirement()
    blocking: set[str] = set()
    overridden: set[str] = set()
    warned: set[str] = set()
    touchy: set[str] = set()
    for check in checks:
        if check.practice_id != practice.pk:
            raise PermissionDenied("This check belongs to another practice.")
        spans = overridden_spans(practice=practice, content_hash=check.content_hash)
        for f in check.findings:
            category, severity = f["category"], f["severity"]
            if category in sensitive:
                touchy.add(category)
            if severity == "block":
                (overridden if _span(f) in spans else blocking).add(category)
            elif severity == "warn":
                if policy.block_on_warn_in_replies and check.kind in REPLY_KINDS:
                    blocking.add(category)
                else:
                    warned.add(category)
    if blocking:
        result.blocked = True
        result.reasons.append(
            f"Blocking findings ({_labels(blocking)}): edit the text, "
            "or a compliance officer may override them with a written reason."
        )
    if overridden:
        result.reasons.append(
            f"A compliance officer overrode blocking findings ({_labels(overridden)}): "
            "someone other than the author must approve."
        )
    if warned:
        result.reasons.append(
            f"Warnings ({_labels(warned)}): someone other than the author must approve."
        )
    if touchy:
        result.reasons.append(
            f"Findings in categories the practice marks sensitive ({_labels(touchy)}): "
            "someone other than the author must approve."
        )
    if policy.require_approval_for_all:
        result.reasons.append(
            "The practice's policy asks for a second person to approve every text."
        )
    result.needs_second_person = bool(
        overridden or warned or touchy or policy.require_approval_for_all
    )
    return result


def finding_override(
    *, actor: Membership, check: TextCheck, reason: str, ip: str | None = None
) -> Override:
    """Let this exact text's blocking findings through, with a written reason (audited)."""
    if not actor.can(Perm.OVERRIDE_COMPLIANCE):
        raise PermissionDenied(f"Your role ({actor.role}) may not override compliance findings.")
    if not actor.user.has_mfa:
        raise PermissionDenied("Two-factor authentication must be set up before overriding.")
    if check.practice_id != actor.practice_id:
        raise PermissionDenied("This check belongs to another practice.")
    reason = (reason or "").strip()
    if len(reason) < OVERRIDE_REASON_MIN:
        raise ValidationError({"reason": f"Write why (at least {OVERRIDE_REASON_MIN} characters)."})
    blocks = [f for f in check.findings if f["severity"] == "block"]
    if not blocks:
        raise ValidationError({"check": "This text has no blocking finding to override."})
    with transaction.atomic():
        override = Override.objects.create(
            practice_id=check.practice_id,
            text_check=check,
            content_hash=check.content_hash,
            findings=[list(_span(f)) for f in blocks],
            actor=actor.user,
            reason=reason,
        )
        audit_record(
            action="compliance.override",
            actor=actor.user,
            practice=check.practice_id,
            obj=override,
            ip=ip,
            data={
                "check_id": check.pk,
                "categories": sorted({f["category"] for f in blocks}),
                "findings": len(blocks),
            },
        )
    return override
