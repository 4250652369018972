"""The guard service: context, checks stored by hash, the approval policy, overrides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bedside.audit.models import AuditEvent
from bedside.compliance.models import CompliancePolicy, Override, TextCheck
from bedside.compliance.services import (
    approval_is_valid,
    approval_requirement,
    compliance_context,
    content_hash,
    finding_override,
    text_check,
)
from tests.compliance.factories import ConsentFactory, StaffMemberFactory

PHI_REPLY = "Thanks Maria, glad the new meds are working!"
SAFE_POST = "We are closed Nov 27 for Thanksgiving. Call (217) 555-0142 to book."


@pytest.fixture
def roster(practice):
    StaffMemberFactory(practice=practice, name="Hygienist Tara Nguyen", role_title="Hygienist")
    StaffMemberFactory(practice=practice, name="Nurse Will Adams", active=False)
    return practice


def test_context_holds_profile_roster_members_and_active_consents(practice, owner, roster):
    ConsentFactory(practice=practice, patient_name="Rosa Delgado", channels=["all"])
    ConsentFactory(practice=practice, patient_name="Ada Expired", expires_on=dt.date(2020, 1, 1))
    ConsentFactory(
        practice=practice,
        patient_name="Ben Revoked",
        revoked_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    ConsentFactory(
        practice=practice, patient_name="Cy Mastodon", channels=["mastodon"], covers=["name"]
    )

    ctx = compliance_context(practice=practice)

    assert ctx["practice_name"] == "Maple Family Clinic"
    assert ctx["practice_phone"] == "(217) 555-0142"
    assert ctx["practice_address"] == "1 Main Street, Springfield, IL 62704"
    assert ctx["staff"] == ["Hygienist Tara Nguyen", "Dr. Priya Raman"]
    assert ctx["consents"] == [
        {"name": "Rosa Delgado", "covers": ["name", "story"], "channels": []},
        {"name": "Cy Mastodon", "covers": ["name"], "channels": ["mastodon"]},
    ]


def test_text_check_stores_findings_by_hash_without_the_text(practice):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")

    assert check.verdict == "block"
    assert check.content_hash == content_hash(text=PHI_REPLY, kind="review_reply")
    assert [(f["start"], f["end"], f["category"], f["severity"]) for f in check.findings] == [
        (7, 12, "name", "block"),
        (14, 43, "patient_relationship", "block"),
    ]
    stored = str(TextCheck.objects.values_list("findings", flat=True).get())
    assert "Maria" not in stored and "meds" not in stored


def test_same_text_and_context_reuses_the_row(practice):
    first = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")
    again = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")
    other_kind = text_check(practice=practice, text=PHI_REPLY, kind="post")
    other_channel = text_check(
        practice=practice, text=PHI_REPLY, kind="review_reply", channel_type="gbp"
    )

    assert again.pk == first.pk
    assert len({first.pk, other_kind.pk, other_channel.pk}) == 3


def test_new_consent_rescans_and_turns_the_name_into_an_info_note(practice):
    text = "Rosa Delgado ran her first 5K after rehab with us!"
    before = text_check(practice=practice, text=text, kind="post")
    consent = ConsentFactory(practice=practice, patient_name="Rosa Delgado")

    after = text_check(practice=practice, text=text, kind="post")

    assert before.verdict == "block"
    assert after.pk != before.pk
    assert after.verdict == "pass"
    info = [f for f in after.findings if f["category"] == "name"]
    assert info[0]["severity"] == "info"
    assert info[0]["consent_id"] == consent.pk
    assert "Rosa" not in str(after.findings)


def test_staff_change_rescans(practice):
    text = "Say hello to Tara Nguyen, our new hygienist!"
    before = text_check(practice=practice, text=text, kind="post")
    StaffMemberFactory(practice=practice, name="Tara Nguyen")

    after = text_check(practice=practice, text=text, kind="post")

    assert before.verdict == "block"
    assert (after.pk != before.pk, after.verdict) == (True, "pass")


def test_bad_kind_and_too_large_text_name_the_field(practice):
    with pytest.raises(ValidationError) as bad_kind:
        text_check(practice=practice, text="hi", kind="tweet")
    with pytest.raises(ValidationError) as too_big:
        text_check(practice=practice, text="a" * 1_000_001, kind="post")

    assert list(bad_kind.value.message_dict) == ["kind"]
    assert list(too_big.value.message_dict) == ["text"]
    assert TextCheck.objects.count() == 0


# ---- approval policy -------------------------------------------------------------------


def test_clean_text_needs_nothing(practice, editor):
    check = text_check(practice=practice, text=SAFE_POST, kind="post")

    need = approval_requirement(practice=practice, checks=[check], author=editor)

    assert (check.verdict, need.blocked, need.needs_second_person, need.reasons) == (
        "pass", False, False, [],
    )  # fmt: skip


def test_block_finding_blocks(practice, editor):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")

    need = approval_requirement(practice=practice, checks=[check], author=editor)

    assert need.blocked is True
    assert need.reasons[0].startswith("Blocking findings (name, patient relationship)")


def test_warn_finding_needs_a_second_person(practice, editor):
    check = text_check(practice=practice, text="Ask Nurse Adams about flu shots.", kind="post")

    need = approval_requirement(practice=practice, checks=[check], author=editor)

    assert check.verdict == "warn"
    assert (need.blocked, need.needs_second_person) == (False, True)
    assert need.reasons == ["Warnings (name): someone other than the author must approve."]


def test_policy_sensitive_category_and_approve_all(practice, editor):
    ConsentFactory(practice=practice, patient_name="Rosa Delgado")
    check = text_check(practice=practice, text="Rosa Delgado is our star!", kind="post")
    CompliancePolicy.objects.create(practice=practice, sensitive_categories=["name"])

    need = approval_requirement(practice=practice, checks=[check], author=editor)
    assert (need.blocked, need.needs_second_person) == (False, True)

    CompliancePolicy.objects.filter(practice=practice).update(
        sensitive_categories=[], require_approval_for_all=True
    )
    clean = text_check(practice=practice, text=SAFE_POST, kind="post")
    need = approval_requirement(practice=practice, checks=[clean], author=editor)
    assert (need.blocked, need.needs_second_person) == (False, True)
    assert need.reasons == ["The practice's policy asks for a second person to approve every text."]


def test_policy_can_block_warnings_in_replies(practice, editor):
    CompliancePolicy.objects.create(practice=practice, block_on_warn_in_replies=True)
    reply = text_check(practice=practice, text="Ask Nurse Adams about it.", kind="comment_reply")
    post = text_check(practice=practice, text="Ask Nurse Adams about it.", kind="post")

    assert reply.verdict == "warn"
    assert approval_requirement(practice=practice, checks=[reply], author=editor).blocked is True
    assert approval_requirement(practice=practice, checks=[post], author=editor).blocked is False


def test_checks_from_another_practice_are_refused(practice, other_practice, editor):
    theirs = text_check(practice=other_practice, text=SAFE_POST, kind="post")
    with pytest.raises(PermissionDenied):
        approval_requirement(practice=practice, checks=[theirs], author=editor)


# ---- overrides --------------------------------------------------------------------------


def test_officer_override_unblocks_that_exact_text_and_still_needs_a_second_person(
    practice, compliance_officer, editor
):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")

    override = finding_override(
        actor=compliance_officer,
        check=check,
        reason="Maria asked us in writing to reply.",
        ip="10.0.0.1",
    )

    need = approval_requirement(practice=practice, checks=[check], author=editor)
    assert (need.blocked, need.needs_second_person) == (False, True)
    assert override.findings == [[7, 12, "name"], [14, 43, "patient_relationship"]]
    event = AuditEvent.objects.get(action="compliance.override")
    assert event.data == {
        "check_id": check.pk,
        "categories": ["name", "patient_relationship"],
        "findings": 2,
    }
    assert event.ip == "10.0.0.1"
    assert "Maria" not in str(event.data)


def test_edit_after_override_voids_it(practice, compliance_officer, editor):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")
    finding_override(actor=compliance_officer, check=check, reason="Patient asked in writing.")

    edited = text_check(practice=practice, text=PHI_REPLY + " ", kind="review_reply")

    assert approval_requirement(practice=practice, checks=[edited], author=editor).blocked is True


def test_override_covers_only_the_findings_it_saw(practice, compliance_officer, editor):
    text = "Rosa Delgado and Maria loved the new meds."
    ConsentFactory(practice=practice, patient_name="Rosa Delgado")
    check = text_check(practice=practice, text=text, kind="post")
    finding_override(actor=compliance_officer, check=check, reason="Maria consented by e-mail.")
    from bedside.compliance.models import Consent

    Consent.objects.filter(practice=practice).update(
        revoked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    rescanned = text_check(practice=practice, text=text, kind="post")

    assert rescanned.pk != check.pk
    assert (
        approval_requirement(practice=practice, checks=[rescanned], author=editor).blocked is True
    )


@pytest.mark.parametrize("role", ["admin", "editor", "clinician", "viewer"])
def test_non_officer_cannot_override_and_nothing_changes(practice, personas, role):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")

    with pytest.raises(PermissionDenied):
        finding_override(actor=personas[role], check=check, reason="I really want to post this.")

    assert Override.objects.count() == 0
    assert not AuditEvent.objects.filter(action="compliance.override").exists()


def test_owner_may_override(practice, owner):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")
    assert finding_override(actor=owner, check=check, reason="Written consent on paper.").pk


def test_override_needs_mfa(practice, compliance_officer):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=compliance_officer.user).delete()
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")

    with pytest.raises(PermissionDenied):
        finding_override(actor=compliance_officer, check=check, reason="Patient asked in writing.")
    assert Override.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "   ", "ok fine"])
def test_override_needs_a_written_reason(practice, compliance_officer, reason):
    check = text_check(practice=practice, text=PHI_REPLY, kind="review_reply")

    with pytest.raises(ValidationError) as exc:
        finding_override(actor=compliance_officer, check=check, reason=reason)

    assert list(exc.value.message_dict) == ["reason"]
    assert Override.objects.count() == 0


def test_override_of_another_practices_check_is_refused(other_practice, compliance_officer):
    theirs = text_check(practice=other_practice, text=PHI_REPLY, kind="review_reply")
    with pytest.raises(PermissionDenied):
        finding_override(actor=compliance_officer, check=theirs, reason="Patient asked in writing.")


def test_override_of_a_text_without_blocks_is_refused(practice, compliance_officer):
    check = text_check(practice=practice, text=SAFE_POST, kind="post")
    with pytest.raises(ValidationError):
        finding_override(actor=compliance_officer, check=check, reason="Nothing to override here.")


def test_approval_is_valid_only_for_the_same_hash():
    approved = content_hash(text="Flu shots today!", kind="post", channel_type="mastodon")

    assert approval_is_valid(approved_hash=approved, current_text_hash=approved) is True
    edited = content_hash(text="Flu shots today!!", kind="post", channel_type="mastodon")
    assert approval_is_valid(approved_hash=approved, current_text_hash=edited) is False
    assert approval_is_valid(approved_hash="", current_text_hash="") is False


def test_a_concurrent_identical_check_returns_the_row_that_won(practice, monkeypatch):
    import bedside.compliance.services.guard as guard

    real_scan = guard.scan

    def scan_while_someone_else_saves(text, *, kind, context):
        report = real_scan(text, kind=kind, context=context)
        TextCheck.objects.create(
            practice=practice,
            content_hash=content_hash(text=text, kind=kind),
            context_fingerprint=guard.context_fingerprint(compliance_context(practice=practice)),
            kind=kind,
            verdict=report.verdict,
            findings=[],
        )
        return report

    monkeypatch.setattr(guard, "scan", scan_while_someone_else_saves)

    check = text_check(practice=practice, text=SAFE_POST, kind="post")

    assert TextCheck.objects.count() == 1
    assert check.pk == TextCheck.objects.get().pk


def test_a_check_costs_a_fixed_number_of_queries(practice, owner, django_assert_num_queries):
    for name in ("Ana Active", "Bo Active", "Cy Active"):
        ConsentFactory(practice=practice, patient_name=name)
    StaffMemberFactory(practice=practice, name="Dr. June Park")

    with django_assert_num_queries(
        7
    ):  # roster, members, consents, lookup, savepoint, insert, release
        text_check(practice=practice, text=PHI_REPLY, kind="review_reply")
    with django_assert_num_queries(4):  # the same text again: no insert
        text_check(practice=practice, text=PHI_REPLY, kind="review_reply")
