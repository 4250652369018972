"""The permission matrix: which role may do what. The one place it is written.

Rights that publish, approve or administer need two-factor authentication
before they can be used (see `MFA_REQUIRED`).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    COMPLIANCE_OFFICER = "compliance_officer"
    EDITOR = "editor"
    CLINICIAN = "clinician"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Perm(StrEnum):
    VIEW = "view"  # see the practice's workspace
    COMPOSE = "compose"  # write and edit drafts, check texts
    SUBMIT = "submit"  # send a draft for approval
    APPROVE = "approve"  # approve someone else's text
    PUBLISH = "publish"  # schedule, publish, pause, reply publicly
    OVERRIDE_COMPLIANCE = "override_compliance"  # override a blocking finding, with a reason
    MANAGE_CONSENTS = "manage_consents"  # record and revoke patient authorizations
    MANAGE_CHANNELS = "manage_channels"  # connect networks, edit credentials
    MANAGE_LISTENING = "manage_listening"  # monitors and alerts
    MODERATE = "moderate"  # community moderation
    ANSWER_QUESTIONS = "answer_questions"  # answer public Q&A as a clinician
    PEER_SPACE = "peer_space"  # the clinicians' peer space
    MANAGE_TEAM = "manage_team"  # invite, change roles, remove
    MANAGE_SETTINGS = "manage_settings"  # practice profile, policies
    VIEW_AUDIT = "view_audit"  # read the audit log


_ALL = frozenset(Perm)

MATRIX: dict[Role, frozenset[Perm]] = {
    Role.OWNER: _ALL,
    Role.ADMIN: _ALL - {Perm.OVERRIDE_COMPLIANCE, Perm.ANSWER_QUESTIONS, Perm.PEER_SPACE},
    Role.COMPLIANCE_OFFICER: frozenset(
        {
            Perm.VIEW,
            Perm.COMPOSE,
            Perm.SUBMIT,
            Perm.APPROVE,
            Perm.OVERRIDE_COMPLIANCE,
            Perm.MANAGE_CONSENTS,
            Perm.MODERATE,
            Perm.VIEW_AUDIT,
        }
    ),
    Role.EDITOR: frozenset(
        {Perm.VIEW, Perm.COMPOSE, Perm.SUBMIT, Perm.PUBLISH, Perm.MANAGE_LISTENING, Perm.MODERATE}
    ),
    Role.CLINICIAN: frozenset(
        {Perm.VIEW, Perm.COMPOSE, Perm.SUBMIT, Perm.ANSWER_QUESTIONS, Perm.PEER_SPACE}
    ),
    Role.VIEWER: frozenset({Perm.VIEW}),
}

# Rights that act on the outside world or on other people's access.
MFA_REQUIRED: frozenset[Perm] = frozenset(
    {
        Perm.APPROVE,
        Perm.PUBLISH,
        Perm.OVERRIDE_COMPLIANCE,
        Perm.MANAGE_CONSENTS,
        Perm.MANAGE_CHANNELS,
        Perm.MANAGE_TEAM,
        Perm.MANAGE_SETTINGS,
        Perm.VIEW_AUDIT,
    }
)


def role_has(role: str | Role, perm: Perm) -> bool:
    return perm in MATRIX[Role(role)]


def role_needs_mfa(role: str | Role) -> bool:
    return bool(MATRIX[Role(role)] & MFA_REQUIRED)
