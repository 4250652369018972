"""Demo content for Maple Family Clinic's site and community (idempotent).

No patient accounts are seeded (the demo's users are the practices' staff): join the
community at /p/maple-family-clinic/join/ to try it as a patient.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.community.markup import plain_summary, render_markdown
from bedside.community.models import (
    BlogEntry,
    Challenge,
    ClinicianProfile,
    Event,
    Forum,
    GroupMeeting,
    PeerClinician,
)
from bedside.core.models import Practice

PROFILES = [
    ("Dr. Priya Raman", "dr-priya-raman", "MD, Family medicine", "Family medicine, Women's health",
     "prevention, running", "https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
    ("Dr. June Park", "dr-june-park", "MD, Sports medicine", "Sports medicine, Family medicine",
     "knee injuries, cycling", ""),
]  # fmt: skip
BLOG = [
    ("Flu shots are here", "Walk in **any weekday** from 8 to 5. Bring your insurance card."),
    ("Five tips for a heart-healthy kitchen", "1. Cook with olive oil\n2. Add beans\n3. Less salt"),
]


def seed() -> None:
    practice = Practice.objects.filter(slug="maple-family-clinic").first()
    if practice is None:
        return
    now = timezone.now()
    for name, slug, title, specialties, interests, video in PROFILES:
        bio = f"{name} has cared for Springfield families for years."
        ClinicianProfile.objects.update_or_create(
            practice=practice, slug=slug,
            defaults={"name": name, "title": title, "specialties": specialties,
                      "interests": interests, "video_url": video, "bio": bio,
                      "bio_html": render_markdown(bio)},
        )  # fmt: skip
    for i, (title, body) in enumerate(BLOG):
        BlogEntry.objects.get_or_create(
            practice=practice, slug=title.lower().replace(" ", "-")[:60],
            defaults={"title": title, "body": body, "body_html": render_markdown(body),
                      "summary": plain_summary(body), "published_at": now - dt.timedelta(days=i)},
        )  # fmt: skip
    Event.objects.get_or_create(
        practice=practice, title="Saturday flu-shot clinic",
        defaults={"starts_at": now + dt.timedelta(days=5), "location": "1200 Maple Avenue"},
    )  # fmt: skip
    general, _ = Forum.objects.get_or_create(
        practice=practice, slug="healthy-living", defaults={"title": "Healthy living"}
    )
    group, _ = Forum.objects.get_or_create(
        practice=practice, slug="diabetes-support",
        defaults={"title": "Diabetes support group", "kind": "support_group",
                  "visibility": "members", "description": "Members only. Meets monthly."},
    )  # fmt: skip
    if not group.meetings.exists():
        GroupMeeting.objects.create(
            forum=group, starts_at=now + dt.timedelta(days=9), mode="in_person",
            location="Maple Family Clinic, room B",
        )  # fmt: skip
    clinician = Membership.objects.filter(practice=practice, role="clinician").first()
    if clinician:
        PeerClinician.objects.get_or_create(
            user=clinician.user,
            defaults={"practice": practice, "display_name": clinician.user.display_name,
                      "npi": "1245319599", "specialty": "Sports medicine",
                      "interests": "knee injuries", "verified_at": now},
        )  # fmt: skip
    today = timezone.localdate()
    Challenge.objects.get_or_create(
        practice=practice, slug="spring-steps",
        defaults={"title": "Spring steps", "kind": "steps", "unit": "steps", "goal": 150_000,
                  "starts_on": today - dt.timedelta(days=2), "ends_on": today + dt.timedelta(days=26)},
    )  # fmt: skip
