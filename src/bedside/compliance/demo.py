"""Demo data for the guard: Maple's roster, a default policy, one active consent. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bedside.accounts.models import User
from bedside.compliance.models import CompliancePolicy, Consent, StaffMember
from bedside.core.models import Practice

ROSTER = {
    "maple-family-clinic": [
        ("Dr. Priya Raman", "Family physician"),
        ("Dr. June Park", "Pediatrician"),
        ("Hygienist Tara Nguyen", "Dental hygienist"),
        ("Nurse Will Adams", "Registered nurse"),
        ("Grace Okoye", "Compliance officer"),
        ("Marcus Bell", "Office manager"),
    ],
    "lakeside-dental": [("Dr. Samuel Osei", "Dentist"), ("Hygienist Lena Ortiz", "Hygienist")],
}
AUTHORIZATION = (
    "I authorize Maple Family Clinic to publish my name and my story about my recovery on its "
    "social media and website until the expiry date. I may revoke this at any time in writing; "
    "my care does not depend on signing."
)


def seed() -> None:
    for slug, staff in ROSTER.items():
        practice = Practice.objects.filter(slug=slug).first()
        if practice is None:
            continue
        for name, role_title in staff:
            StaffMember.objects.get_or_create(
                practice=practice, name=name, defaults={"role_title": role_title}
            )
        CompliancePolicy.objects.get_or_create(
            practice=practice, defaults={"sensitive_categories": ["patient_relationship"]}
        )
    maple = Practice.objects.filter(slug="maple-family-clinic").first()
    if (
        maple is None
        or Consent.objects.filter(practice=maple, patient_name="Rosa Delgado").exists()
    ):
        return
    signed_at = timezone.now()
    Consent.objects.create(
        practice=maple,
        patient_name="Rosa Delgado",
        covers=["name", "story"],
        channels=["all"],
        expires_on=(signed_at + dt.timedelta(days=365 * 2)).date(),
        authorization_text=AUTHORIZATION,
        signer_name="Rosa Delgado",
        signed_at=signed_at,
        created_by=User.objects.filter(email="compliance@maple.example").first(),
    )
