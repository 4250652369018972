"""Compliance services: the guard (every outgoing text), policy and roster, consents."""

from bedside.compliance.services.consents import (
    CONSENT_USAGE_PROVIDERS,
    MAX_DOCUMENT_BYTES,
    ConsentRevocation,
    ConsentUsage,
    ConsentUsageProvider,
    consent_create,
    consent_delete,
    consent_revoke,
    consent_usages,
    document_type,
)
from bedside.compliance.services.guard import (
    ApprovalRequirement,
    approval_is_valid,
    approval_requirement,
    compliance_context,
    content_hash,
    context_fingerprint,
    finding_override,
    overridden_spans,
    policy_for,
    staff_names,
    text_check,
)
from bedside.compliance.services.settings import (
    compliance_policy_update,
    staff_member_create,
    staff_member_set_active,
)

__all__ = [
    "CONSENT_USAGE_PROVIDERS",
    "MAX_DOCUMENT_BYTES",
    "ApprovalRequirement",
    "ConsentRevocation",
    "ConsentUsage",
    "ConsentUsageProvider",
    "approval_is_valid",
    "approval_requirement",
    "compliance_context",
    "compliance_policy_update",
    "consent_create",
    "consent_delete",
    "consent_revoke",
    "consent_usages",
    "content_hash",
    "context_fingerprint",
    "document_type",
    "finding_override",
    "overridden_spans",
    "policy_for",
    "staff_member_create",
    "staff_member_set_active",
    "staff_names",
    "text_check",
]
