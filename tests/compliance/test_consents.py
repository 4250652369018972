"""Consents: record (upload or e-signature), revoke, expiry, the guard's context, retention,
and who may open the signed document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from bedside.audit.models import AuditEvent
from bedside.compliance import services
from bedside.compliance.models import Consent, ConsentDeletionRefused
from bedside.compliance.services import (
    CONSENT_USAGE_PROVIDERS,
    ConsentUsage,
    compliance_context,
    consent_create,
    consent_revoke,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def pdf(name="signed form.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def create(actor, **kw):
    fields = {
        "patient_name": "Rosa Delgado",
        "covers": ["name", "story"],
        "channels": ["all"],
        "expires_on": dt.date(2027, 3, 1),
        "document": pdf(),
    }
    fields.update(kw)
    return consent_create(actor=actor, **fields)


@pytest.fixture
def fake_provider():
    """A stand-in for publishing: two posts used the consent; on revoke it queues removal."""

    class Provider:
        def __init__(self):
            self.revoked = []

        def __call__(self, consent):
            return [
                ConsentUsage("post", 11, "Rosa's 5K", "/content/posts/11/"),
                ConsentUsage("post", 12, "Thank you Rosa", "/content/posts/12/"),
            ]

        def on_revoke(self, consent, usages, *, actor):
            self.revoked.append((consent.pk, [u.id for u in usages], actor.pk))

    provider = Provider()
    CONSENT_USAGE_PROVIDERS.append(provider)
    yield provider
    CONSENT_USAGE_PROVIDERS.remove(provider)


@time_machine.travel(NOW, tick=False)
def test_upload_is_stored_under_the_practice_with_a_random_name(practice, compliance_officer):
    consent = create(compliance_officer, document=pdf("Rosa Delgado consent.pdf"))

    path = Path(consent.document.path)
    assert path.parent == Path(settings.MEDIA_ROOT) / "consents" / str(practice.pk)
    assert "Rosa" not in path.name and path.suffix == ".pdf" and len(path.stem) == 32
    assert path.read_bytes() == PDF
    assert consent.document_type == "application/pdf"
    assert (consent.status, consent.created_by_id) == ("active", compliance_officer.user_id)
    event = AuditEvent.objects.get(action="consent.created")
    assert event.object_id == str(consent.pk)
    assert event.data == {
        "covers": ["name", "story"],
        "channels": ["all"],
        "expires_on": "2027-03-01",
        "document": True,
        "e_signed": False,
    }
    assert "Rosa" not in str(event.data)


@time_machine.travel(NOW, tick=False)
def test_e_signature_records_name_time_and_ip(practice, owner):
    consent = create(
        owner, document=None, signer_name="Rosa  Delgado", signed=True, ip="203.0.113.9",
        channels=["mastodon", "facebook"],
    )  # fmt: skip

    assert (consent.signer_name, consent.signed_at, consent.signed_ip) == (
        "Rosa Delgado", NOW, "203.0.113.9",
    )  # fmt: skip
    assert consent.channels == ["facebook", "mastodon"]
    assert not consent.document


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"document": pdf("x.pdf", b"<html>not a pdf</html>")}, "document"),
        (
            {"document": SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))},
            "document",
        ),
        ({"document": None}, "document"),
        ({"document": None, "signed": True}, "signer_name"),
        ({"document": None, "signer_name": "Rosa Delgado"}, "signed"),
        ({"patient_name": "  "}, "patient_name"),
        ({"covers": []}, "covers"),
        ({"covers": ["address"]}, "covers"),
        ({"channels": []}, "channels"),
        ({"expires_on": dt.date(2026, 3, 1)}, "expires_on"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_consent_input_names_the_field_and_saves_nothing(practice, owner, changes, field):
    with pytest.raises(ValidationError) as exc:
        create(owner, **changes)

    assert field in exc.value.message_dict
    assert Consent.objects.count() == 0
    assert not AuditEvent.objects.filter(action="consent.created").exists()
    assert not (Path(settings.MEDIA_ROOT) / "consents").exists() or not any(
        (Path(settings.MEDIA_ROOT) / "consents").rglob("*.*")
    )


def test_png_is_accepted_by_its_content(practice, owner):
    consent = create(owner, document=SimpleUploadedFile("scan.pdf", PNG))
    assert (consent.document_type, consent.document.name.endswith(".png")) == ("image/png", True)


def test_file_is_removed_when_the_row_is_not_saved(practice, owner, monkeypatch):
    import bedside.compliance.services.consents as module

    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(module, "audit_record", boom)
    with pytest.raises(RuntimeError):
        create(owner)
    assert Consent.objects.count() == 0
    assert not any((Path(settings.MEDIA_ROOT) / "consents").rglob("*.pdf"))


@pytest.mark.parametrize("role", ["editor", "clinician", "viewer"])
def test_only_consent_managers_record(practice, personas, role):
    with pytest.raises(PermissionDenied):
        create(personas[role])
    assert Consent.objects.count() == 0


def test_active_consent_feeds_the_context_until_it_expires(practice, owner):
    with time_machine.travel(NOW, tick=False):
        create(owner, expires_on=dt.date(2026, 3, 31))
        assert [c["name"] for c in compliance_context(practice=practice)["consents"]] == [
            "Rosa Delgado"
        ]
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), tick=False):
        assert compliance_context(practice=practice)["consents"] == []
        assert Consent.objects.get().status == "expired"


def test_revoke_lists_usages_calls_hooks_and_leaves_the_context(
    practice, compliance_officer, fake_provider
):
    consent = create(compliance_officer)

    with transaction.atomic():
        result = consent_revoke(
            actor=compliance_officer, consent=consent, reason="Asked by phone 3/2.", ip="10.1.1.1"
        )

    assert [u.id for u in result.usages] == [11, 12]
    assert fake_provider.revoked == [(consent.pk, [11, 12], compliance_officer.pk)]
    consent.refresh_from_db()
    assert consent.status == "revoked"
    assert (consent.revoked_by_id, consent.revoke_reason) == (
        compliance_officer.user_id, "Asked by phone 3/2.",
    )  # fmt: skip
    assert compliance_context(practice=practice)["consents"] == []
    event = AuditEvent.objects.get(action="consent.revoked")
    assert event.data == {"usages": [["post", "11"], ["post", "12"]]}


def test_revoke_needs_a_reason_and_happens_once(practice, owner):
    consent = create(owner)
    with pytest.raises(ValidationError):
        consent_revoke(actor=owner, consent=consent, reason=" ")
    consent_revoke(actor=owner, consent=consent, reason="Patient request")
    with pytest.raises(ValidationError):
        consent_revoke(actor=owner, consent=consent, reason="Patient request")
    assert AuditEvent.objects.filter(action="consent.revoked").count() == 1


def test_editor_cannot_revoke_and_nothing_changes(practice, owner, editor, fake_provider):
    consent = create(owner)

    with pytest.raises(PermissionDenied):
        consent_revoke(actor=editor, consent=consent, reason="I do not like it")

    consent.refresh_from_db()
    assert (consent.revoked_at, fake_provider.revoked) == (None, [])


def test_other_practice_cannot_revoke(practice, owner, outsider):
    consent = create(owner)
    with pytest.raises(PermissionDenied):
        consent_revoke(actor=outsider, consent=consent, reason="Not mine to revoke")
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_a_consent_cannot_be_deleted(practice, owner):
    consent = create(owner)

    with pytest.raises(ConsentDeletionRefused):
        consent.delete()
    with pytest.raises(ConsentDeletionRefused):
        Consent.objects.filter(pk=consent.pk).delete()
    with pytest.raises(ValidationError):
        services.consent_delete(actor=owner, consent=consent)
    assert Consent.objects.filter(pk=consent.pk).exists()


# ---- pages -------------------------------------------------------------------------------


def test_document_is_served_to_consent_managers_only(practice, personas, outsider, login):
    consent = create(personas["owner"])
    url = f"/compliance/consents/{consent.pk}/document/"

    response = login(personas["compliance_officer"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="consent.document_viewed").count() == 1

    for role in ("editor", "clinician", "viewer"):
        assert login(personas[role]).get(url).status_code == 403
    assert login(outsider).get(url).status_code == 404
    media = "/media/" + consent.document.name
    assert login(personas["owner"]).get(media).status_code == 404
    assert AuditEvent.objects.filter(action="consent.document_viewed").count() == 1


def test_record_consent_page_with_upload(practice, owner, login):
    client = login(owner)
    assert b"I authorize Maple Family Clinic" in client.get("/compliance/consents/new/").content

    response = client.post(
        "/compliance/consents/new/",
        {
            "patient_name": "Rosa Delgado", "covers": ["name", "story"], "channels": ["all"],
            "expires_on": "", "authorization_text": "I authorize ...", "document": pdf(),
        },
    )  # fmt: skip

    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/compliance/consents/{consent.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Consent for Rosa Delgado" in detail and "Open the signed authorization" in detail


def test_record_consent_page_e_signature_and_errors(practice, owner, login):
    client = login(owner)
    data = {
        "patient_name": "Rosa Delgado", "covers": ["name"], "channels": ["mastodon"],
        "authorization_text": "I authorize ...", "signer_name": "Rosa Delgado",
    }  # fmt: skip

    unsigned = client.post("/compliance/consents/new/", data)
    assert unsigned.status_code == 200
    assert "must tick" in unsigned.content.decode()
    assert Consent.objects.count() == 0

    signed = client.post(
        "/compliance/consents/new/", {**data, "signed": "on"}, REMOTE_ADDR="198.51.100.4"
    )
    assert signed.status_code == 302
    consent = Consent.objects.get()
    assert (consent.signer_name, consent.signed_ip) == ("Rosa Delgado", "198.51.100.4")


@time_machine.travel(NOW, tick=False)
def test_list_filters_by_status(practice, owner, login):
    create(owner, patient_name="Ana Active")
    create(owner, patient_name="Eve Expiring", expires_on=dt.date(2026, 3, 3))
    gone = create(owner, patient_name="Rex Revoked")
    consent_revoke(actor=owner, consent=gone, reason="Patient request")

    def names(status):
        client = login(owner)  # a fresh session: travelling in time trips the idle sign-out
        body = client.get("/compliance/consents/", {"status": status}).content.decode()
        return [n for n in ("Ana Active", "Eve Expiring", "Rex Revoked") if n in body]

    assert names("active") == ["Ana Active", "Eve Expiring"]
    assert names("revoked") == ["Rex Revoked"]
    assert names("all") == ["Ana Active", "Eve Expiring", "Rex Revoked"]
    with time_machine.travel(dt.datetime(2026, 3, 10, tzinfo=dt.UTC), tick=False):
        assert names("expired") == ["Eve Expiring"]
        assert names("active") == ["Ana Active"]


def test_revoke_page_shows_the_usages(practice, owner, login, fake_provider):
    consent = create(owner)
    client = login(owner)

    response = client.post(
        f"/compliance/consents/{consent.pk}/revoke/", {"reason": "Patient request"}, follow=True
    )

    body = response.content.decode()
    assert "Consent revoked. 2 published items used it: removal is queued." in body
    assert "Rosa&#x27;s 5K" in body
    assert Consent.objects.get().status == "revoked"


def test_outsider_sees_none_of_our_consents(practice, owner, outsider, login):
    create(owner)
    body = login(outsider).get("/compliance/consents/?status=all").content.decode()
    assert "Rosa Delgado" not in body


def test_expiry_is_the_end_of_the_day_in_the_practice_zone(practice, owner):
    with time_machine.travel(NOW, tick=False):
        create(owner, expires_on=dt.date(2026, 3, 31))
    # 03:00 UTC on April 1 is still March 31 in Chicago.
    with time_machine.travel(dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC), tick=False):
        assert len(compliance_context(practice=practice)["consents"]) == 1
    with time_machine.travel(dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC), tick=False):
        assert compliance_context(practice=practice)["consents"] == []


def test_consent_list_query_count_does_not_grow(
    practice, owner, login, django_assert_max_num_queries
):
    client = login(owner)
    create(owner, patient_name="Ana Active")
    with django_assert_max_num_queries(20) as one:
        client.get("/compliance/consents/?status=all")
    for i in range(5):
        create(owner, patient_name=f"Patient {i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/compliance/consents/?status=all")
