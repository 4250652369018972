"""The permission matrix, cell by cell: this table is the specification."""

import pytest

from bedside.accounts.permissions import MFA_REQUIRED, Perm, Role, role_has, role_needs_mfa

Y, N = True, False
# fmt: off
EXPECTED = {
    #                          owner admin compl editor clin viewer
    Perm.VIEW:                (Y,    Y,    Y,    Y,     Y,   Y),
    Perm.COMPOSE:             (Y,    Y,    Y,    Y,     Y,   N),
    Perm.SUBMIT:              (Y,    Y,    Y,    Y,     Y,   N),
    Perm.APPROVE:             (Y,    Y,    Y,    N,     N,   N),
    Perm.PUBLISH:             (Y,    Y,    N,    Y,     N,   N),
    Perm.OVERRIDE_COMPLIANCE: (Y,    N,    Y,    N,     N,   N),
    Perm.MANAGE_CONSENTS:     (Y,    Y,    Y,    N,     N,   N),
    Perm.MANAGE_CHANNELS:     (Y,    Y,    N,    N,     N,   N),
    Perm.MANAGE_LISTENING:    (Y,    Y,    N,    Y,     N,   N),
    Perm.MODERATE:            (Y,    Y,    Y,    Y,     N,   N),
    Perm.ANSWER_QUESTIONS:    (Y,    N,    N,    N,     Y,   N),
    Perm.PEER_SPACE:          (Y,    N,    N,    N,     Y,   N),
    Perm.MANAGE_TEAM:         (Y,    Y,    N,    N,     N,   N),
    Perm.MANAGE_SETTINGS:     (Y,    Y,    N,    N,     N,   N),
    Perm.VIEW_AUDIT:          (Y,    Y,    Y,    N,     N,   N),
}
# fmt: on
ROLES = [Role.OWNER, Role.ADMIN, Role.COMPLIANCE_OFFICER, Role.EDITOR, Role.CLINICIAN, Role.VIEWER]


def test_table_covers_every_permission():
    assert set(EXPECTED) == set(Perm)


@pytest.mark.parametrize("perm", list(Perm))
@pytest.mark.parametrize("index", range(len(ROLES)), ids=[r.value for r in ROLES])
def test_cell(perm, index):
    assert role_has(ROLES[index], perm) is EXPECTED[perm][index]


def test_mfa_is_required_for_publish_approve_and_admin_rights():
    assert {
        Perm.APPROVE,
        Perm.PUBLISH,
        Perm.MANAGE_TEAM,
        Perm.MANAGE_SETTINGS,
        Perm.MANAGE_CHANNELS,
    } <= MFA_REQUIRED
    assert Perm.VIEW not in MFA_REQUIRED and Perm.COMPOSE not in MFA_REQUIRED


def test_which_roles_need_mfa():
    assert [role_needs_mfa(r) for r in ROLES] == [True, True, True, True, False, False]
