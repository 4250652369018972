"""Demo practices and one member per role. Deterministic, so re-running changes nothing."""

from __future__ import annotations

import base64
import hashlib

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from bedside.accounts.models import Membership, User
from bedside.accounts.permissions import Role
from bedside.core.models import Practice

DEMO_PASSWORD = "bedside-demo-2026"  # noqa: S105 — published on purpose, demo only

PRACTICES = [
    {
        "slug": "maple-family-clinic",
        "name": "Maple Family Clinic",
        "time_zone": "America/Chicago",
        "street_address": "1200 Maple Avenue",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
        "phone": "(217) 555-0142",
        "fax": "(217) 555-0143",
        "email": "hello@maple.example",
        "website": "https://maple.example",
        "description": "Family medicine for all ages in Springfield, Illinois.",
    },
    {
        "slug": "lakeside-dental",
        "name": "Lakeside Dental",
        "time_zone": "America/New_York",
        "street_address": "45 Shore Road",
        "city": "Burlington",
        "state": "VT",
        "postal_code": "05401",
        "phone": "(802) 555-0190",
        "email": "smile@lakeside.example",
        "website": "https://lakeside.example",
        "description": "General and family dentistry by the lake.",
    },
]

MEMBERS = [
    ("maple-family-clinic", "owner@maple.example", Role.OWNER, "Dr. Priya Raman"),
    ("maple-family-clinic", "admin@maple.example", Role.ADMIN, "Marcus Bell"),
    ("maple-family-clinic", "compliance@maple.example", Role.COMPLIANCE_OFFICER, "Grace Okoye"),
    ("maple-family-clinic", "editor@maple.example", Role.EDITOR, "Will Turner"),
    ("maple-family-clinic", "clinician@maple.example", Role.CLINICIAN, "Dr. June Park"),
    ("maple-family-clinic", "viewer@maple.example", Role.VIEWER, "Lena Ortiz"),
    ("lakeside-dental", "owner@lakeside.example", Role.OWNER, "Dr. Samuel Osei"),
]


def demo_totp_secret(email: str) -> str:
    digest = hashlib.sha256(f"bedside-demo-totp:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def seed() -> None:
    practices = {}
    for spec in PRACTICES:
        fields = {k: v for k, v in spec.items() if k != "slug"}
        practice, _ = Practice.objects.update_or_create(slug=spec["slug"], defaults=fields)
        practices[practice.slug] = practice
    for slug, email, role, name in MEMBERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
        Membership.objects.update_or_create(
            user=user, practice=practices[slug], defaults={"role": role}
        )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, demo_totp_secret(email))
            RecoveryCodes.activate(user)


def logins_text() -> str:
    lines = [
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        f"  {'e-mail':<28} {'role':<20} TOTP secret (add to an authenticator app)",
    ]
    for _slug, email, role, _name in MEMBERS:
        lines.append(f"  {email:<28} {role.value:<20} {demo_totp_secret(email)}")
    lines.append("")
    return "\n".join(lines)
