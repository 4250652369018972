"""The practice's compliance policy and staff roster: writes, each audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.compliance.engine import CATEGORIES
from bedside.compliance.models import CompliancePolicy, StaffMember


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not {perm.value.replace('_', ' ')}.")
    if not actor.user.has_mfa:
        raise PermissionDenied("Two-factor authentication must be set up before using this right.")


def compliance_policy_update(
    *,
    actor: Membership,
    sensitive_categories: list[str],
    require_approval_for_all: bool,
    block_on_warn_in_replies: bool,
    ip: str | None = None,
) -> CompliancePolicy:
    _require(actor, Perm.MANAGE_SETTINGS)
    unknown = sorted(set(sensitive_categories) - set(CATEGORIES))
    if unknown:
        raise ValidationError({"sensitive_categories": f"Unknown category: {unknown[0]}."})
    with transaction.atomic():
        policy, _ = CompliancePolicy.objects.get_or_create(practice=actor.practice)
        new: dict[str, Any] = {
            "sensitive_categories": sorted(set(sensitive_categories)),
            "require_approval_for_all": bool(require_approval_for_all),
            "block_on_warn_in_replies": bool(block_on_warn_in_replies),
        }
        changed = sorted(k for k, v in new.items() if getattr(policy, k) != v)
        for key, value in new.items():
            setattr(policy, key, value)
        policy.save()
        audit_record(
            action="compliance.policy_updated",
            actor=actor.user,
            practice=actor.practice,
            obj=policy,
            ip=ip,
            data={"fields": changed, **new},
        )
    return policy


def staff_member_create(
    *, actor: Membership, name: str, role_title: str = "", ip: str | None = None
) -> StaffMember:
    _require(actor, Perm.MANAGE_SETTINGS)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(
            {"name": "Write the name as the public sees it, e.g. Dr. Priya Raman."}
        )
    if StaffMember.objects.filter(practice=actor.practice, name__iexact=name).exists():
        raise ValidationError({"name": "This name is already on the roster."})
    with transaction.atomic():
        member = StaffMember.objects.create(
            practice=actor.practice, name=name[:120], role_title=role_title.strip()[:80]
        )
        audit_record(
            action="compliance.staff_added", actor=actor.user, practice=actor.practice,
            obj=member, ip=ip,
        )  # fmt: skip
    return member


def staff_member_set_active(
    *, actor: Membership, staff_member: StaffMember, active: bool, ip: str | None = None
) -> StaffMember:
    _require(actor, Perm.MANAGE_SETTINGS)
    if staff_member.practice_id != actor.practice_id:
        raise PermissionDenied("This roster entry belongs to another practice.")
    with transaction.atomic():
        staff_member.active = active
        staff_member.save(update_fields=["active"])
        audit_record(
            action="compliance.staff_activated" if active else "compliance.staff_deactivated",
            actor=actor.user, practice=actor.practice, obj=staff_member, ip=ip,
        )  # fmt: skip
    return staff_member
