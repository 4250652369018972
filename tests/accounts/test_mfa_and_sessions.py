import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from bedside.accounts.middleware import SESSION_ACTIVITY_KEY
from bedside.accounts.models import Membership
from bedside.audit.models import AuditEvent
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory


def _totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def owner_without_mfa(practice):
    return MembershipFactory(
        user=UserFactory(email="nomfa@maple.test", mfa=False), practice=practice, role="owner"
    )


def test_member_with_admin_rights_but_no_mfa_is_sent_to_set_it_up(owner_without_mfa):
    client = client_for(owner_without_mfa)
    response = client.get("/settings/team/")
    assert response.status_code == 200  # viewing the team needs no MFA
    response = client.get("/settings/practice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/settings/security/two-factor-required/")
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert b"Set up an authenticator app" in page.content


def test_invite_is_refused_without_mfa_and_nothing_is_created(owner_without_mfa):
    client = client_for(owner_without_mfa)
    response = client.post("/settings/team/", {"email": "new@maple.test", "role": "editor"})
    assert response.status_code == 302 and "two-factor-required" in response["Location"]
    assert owner_without_mfa.practice.invitations.count() == 0


def test_api_refuses_mfa_rights_without_mfa_but_allows_reading(owner_without_mfa, api):
    client = api(owner_without_mfa)
    assert client.get("/api/v1/me").status_code == 200


def test_login_with_password_then_totp_lands_on_dashboard(owner):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "owner@maple.test", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in before the second factor
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": _totp_now(owner.user.totp_secret)}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor_id=owner.user_id).count() == 1


def test_bad_totp_code_does_not_sign_in_and_is_audited(owner):
    client = Client()
    client.post(
        "/accounts/login/", {"login": "owner@maple.test", "password": "correct-horse-battery"}
    )
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="mfa.failed", actor_id=owner.user_id).count() == 1


def test_wrong_password_is_refused_and_audited_without_the_email(owner):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "owner@maple.test", "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_id == str(owner.user_id)
    assert event.actor_email == "" and "maple" not in str(event.data)


def test_failed_logins_are_rate_limited(owner):
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/login/", {"login": "owner@maple.test", "password": "wrong-password-1"}
        )
    response = client.post(
        "/accounts/login/", {"login": "owner@maple.test", "password": "correct-horse-battery"}
    )
    # the correct password is refused too while the limit holds
    assert b"Too many failed login attempts" in response.content
    assert client.get("/").status_code == 302


def test_idle_session_is_signed_out(owner, practice):
    practice.idle_timeout_minutes = 15
    practice.save()
    client = client_for(owner)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_ACTIVITY_KEY] = time.time() - 16 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # still signed out


def test_active_session_within_limit_stays(owner):
    client = client_for(owner)
    client.get("/")
    session = client.session
    session[SESSION_ACTIVITY_KEY] = time.time() - 14 * 60
    session.save()
    assert client.get("/").status_code == 200


def test_sign_out_everywhere_ends_other_sessions_but_not_this_one(owner):
    first, second = client_for(owner), client_for(owner)
    assert second.get("/").status_code == 200
    response = first.post("/settings/security/sign-out-everywhere/")
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_practice_switcher_changes_current_practice(owner, other_practice):
    Membership.objects.create(user=owner.user, practice=other_practice, role="viewer")
    client = client_for(owner)
    assert b"Maple Family Clinic</h1>" in client.get("/").content
    client.post("/practice/switch/", {"practice_id": other_practice.pk})
    assert b"Lakeside Dental</h1>" in client.get("/").content
    # a practice the user does not belong to is ignored
    client.post("/practice/switch/", {"practice_id": 999999})
    assert b"Lakeside Dental</h1>" in client.get("/").content


def test_setting_up_totp_is_audited_and_unlocks_admin_rights(
    owner_without_mfa, django_capture_on_commit_callbacks
):
    client = Client()
    client.post(
        "/accounts/login/", {"login": "nomfa@maple.test", "password": "correct-horse-battery"}
    )
    assert "two-factor-required" in client.get("/settings/practice/")["Location"]
    # allauth asks for the password again before changing the second factor
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/")
    client.post(page["Location"], {"password": "correct-horse-battery"})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_now(secret)})
    assert response.status_code == 302
    added = AuditEvent.objects.filter(action="mfa.added", actor_id=owner_without_mfa.user_id)
    assert sorted(e.data["type"] for e in added) == ["recovery_codes", "totp"]
    assert client.get("/settings/practice/").status_code == 200
