from django.core.files.uploadedfile import SimpleUploadedFile

from bedside.accounts.permissions import Perm
from tests.url_cases import UrlCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _setup(w):
    from bedside.compliance.models import StaffMember
    from bedside.compliance.services import consent_create, text_check

    w.objects["consent"] = consent_create(
        actor=w.personas["owner"],
        patient_name="Rosa Delgado",
        covers=["name", "story"],
        channels=["all"],
        expires_on=None,
        document=SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf"),
    )
    w.objects["staff"] = StaffMember.objects.create(
        practice=w.practice, name="Hygienist Tara Nguyen"
    )
    w.objects["check"] = text_check(practice=w.practice, text="Thanks Maria!", kind="review_reply")


def _consent(w):
    return w.objects["consent"].pk


CASES = [
    UrlCase("compliance:check", lambda w: "/compliance/check/", setup=_setup),
    UrlCase(
        "compliance:check",
        lambda w: "/compliance/check/",
        method="post",
        data=lambda w: {"text": "Thanks Maria!", "kind": "review_reply"},
    ),
    UrlCase(
        "compliance:check_partial",
        lambda w: "/compliance/check/findings/",
        method="post",
        data=lambda w: {"text": "Thanks Maria!", "kind": "review_reply"},
    ),
    UrlCase(
        "compliance:check_override",
        lambda w: f"/compliance/checks/{w.objects['check'].pk}/override/",
        method="post",
        perm=Perm.OVERRIDE_COMPLIANCE,
        scope="object",
        data=lambda w: {"reason": "Written authorization on file.", "next": "/compliance/check/"},
    ),
    UrlCase("compliance:policy", lambda w: "/compliance/policy/", perm=Perm.MANAGE_SETTINGS),
    UrlCase(
        "compliance:staff_add",
        lambda w: "/compliance/policy/staff/",
        method="post",
        perm=Perm.MANAGE_SETTINGS,
        data=lambda w: {"name": "Nurse Will Adams", "role_title": "Nurse"},
    ),
    UrlCase(
        "compliance:staff_toggle",
        lambda w: f"/compliance/policy/staff/{w.objects['staff'].pk}/toggle/",
        method="post",
        perm=Perm.MANAGE_SETTINGS,
        scope="object",
    ),
    UrlCase("compliance:consents", lambda w: "/compliance/consents/", perm=Perm.MANAGE_CONSENTS),
    UrlCase(
        "compliance:consents",
        lambda w: "/compliance/consents/?status=all",
        perm=Perm.MANAGE_CONSENTS,
    ),
    UrlCase(
        "compliance:consent_new", lambda w: "/compliance/consents/new/", perm=Perm.MANAGE_CONSENTS
    ),
    UrlCase(
        "compliance:consent_detail",
        lambda w: f"/compliance/consents/{_consent(w)}/",
        perm=Perm.MANAGE_CONSENTS,
        scope="object",
    ),
    UrlCase(
        "compliance:consent_revoke",
        lambda w: f"/compliance/consents/{_consent(w)}/revoke/",
        method="post",
        perm=Perm.MANAGE_CONSENTS,
        scope="object",
        data=lambda w: {"reason": "The patient asked in writing."},
    ),
    UrlCase(
        "compliance:consent_document",
        lambda w: f"/compliance/consents/{_consent(w)}/document/",
        perm=Perm.MANAGE_CONSENTS,
        scope="object",
    ),
    UrlCase(
        "api:scan_texts",
        lambda w: "/api/v1/scan",
        method="post",
        api=True,
        data=lambda w: {"id": "a", "text": "Thanks Maria!", "kind": "review_reply"},
    ),
]
