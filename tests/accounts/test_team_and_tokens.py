import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from bedside.accounts import services
from bedside.accounts.models import ApiToken, Membership
from bedside.audit.models import AuditEvent
from tests.conftest import client_for


def test_owner_changes_a_role_and_it_is_audited(owner, viewer):
    services.membership_change_role(
        actor=owner, membership_id=viewer.pk, role="editor", ip="10.0.0.1"
    )
    viewer.refresh_from_db()
    assert viewer.role == "editor"
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.data == {"user_id": viewer.user_id, "from": "viewer", "to": "editor"}
    assert event.ip == "10.0.0.1" and event.actor_id == owner.user_id


def test_admin_cannot_grant_owner_and_nothing_changes(admin, viewer):
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=admin, membership_id=viewer.pk, role="owner")
    viewer.refresh_from_db()
    assert viewer.role == "viewer"
    assert not AuditEvent.objects.filter(action="member.role_changed").exists()


def test_last_owner_cannot_be_demoted_or_removed(owner, admin):
    second_owner_needed = "at least one owner"
    with pytest.raises(ValidationError, match=second_owner_needed):
        services.membership_remove(actor=owner, membership_id=owner.pk)
    # with a second owner, one owner may step the other down; the last one stays
    admin.role = "owner"
    admin.save()
    services.membership_change_role(actor=admin, membership_id=owner.pk, role="viewer")
    with pytest.raises(ValidationError, match=second_owner_needed):
        services.membership_remove(actor=admin, membership_id=admin.pk)
    assert Membership.objects.filter(practice=admin.practice, role="owner").count() == 1


def test_nobody_changes_their_own_role(owner):
    with pytest.raises(ValidationError, match="your own role"):
        services.membership_change_role(actor=owner, membership_id=owner.pk, role="viewer")


def test_removing_a_member_revokes_their_tokens(owner, editor):
    token, raw = services.api_token_create(membership=editor, name="script")
    services.membership_remove(actor=owner, membership_id=editor.pk)
    assert not Membership.objects.filter(pk=editor.pk).exists()
    assert services.api_token_authenticate(raw_token=raw) is None


def test_invitation_flow_creates_the_account_with_the_role(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.BEDSIDE_BASE_URL = "https://bedside.test"
    with pytest.raises(ValidationError):
        services.invitation_create(actor=owner, email=owner.user.email, role="editor")
    client = client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/settings/team/", {"email": "New.Person@Maple.test", "role": "editor"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(
        w for w in mail.outbox[0].body.split() if w.startswith("https://bedside.test/invitations/")
    )
    path = link.removeprefix("https://bedside.test")
    guest = Client()
    assert guest.get(path).status_code == 200
    response = guest.post(
        path, {"password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.person@maple.test")
    assert membership.role == "editor" and membership.practice == owner.practice
    assert guest.get("/").status_code == 200
    # single use
    assert guest.get(path).status_code == 404


def test_api_token_is_shown_once_and_stored_hashed(owner):
    client = client_for(owner)
    client.post("/settings/security/tokens/", {"name": "reporting"})
    page = client.get("/settings/security/").content.decode()
    token = ApiToken.objects.get(name="reporting")
    raw = page.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("bsd_") and raw[:8] == token.prefix
    assert raw not in token.token_hash
    assert raw not in client.get("/settings/security/").content.decode()


def test_revoked_token_is_refused(owner, api):
    client = api(owner)
    assert client.get("/api/v1/me").status_code == 200
    token = ApiToken.objects.get(membership=owner)
    services.api_token_revoke(actor=owner, token_id=token.pk)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_member_cannot_revoke_someone_elses_token(owner, editor):
    token, _ = services.api_token_create(membership=owner, name="owner's")
    with pytest.raises(ApiToken.DoesNotExist):
        services.api_token_revoke(actor=editor, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None
