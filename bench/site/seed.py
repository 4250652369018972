"""Seed the bench database: one practice with a full site and a thread of 200 replies.

Run by run.py with the bench's environment (BEDSIDE_DATA_DIR, production settings).
Prints the practice slug and the thread id as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from bedside.community.markup import render_markdown  # noqa: E402
from bedside.community.models import (  # noqa: E402
    BlogEntry,
    ClinicianProfile,
    CommunityMember,
    Event,
    Forum,
    Post,
    Thread,
)
from bedside.core.models import Practice  # noqa: E402

practice, _ = Practice.objects.get_or_create(
    slug="bench-clinic",
    defaults={
        "name": "Bench Family Clinic",
        "street_address": "1 Main Street",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
        "phone": "(217) 555-0100",
        "website": "https://bench.example",
        "description": "Family medicine for all ages. " * 5,
    },
)
now = timezone.now()
for i in range(6):
    ClinicianProfile.objects.get_or_create(
        practice=practice,
        slug=f"clinician-{i}",
        defaults={"name": f"Dr. Clinician {i}", "title": "MD, Family medicine",
                  "specialties": "Family medicine, Sports medicine", "bio": "Hello!",
                  "bio_html": "<p>Hello!</p>"},
    )  # fmt: skip
for i in range(10):
    body = "Flu season tips: **wash hands**, get vaccinated, rest. " * 20
    BlogEntry.objects.get_or_create(
        practice=practice,
        slug=f"entry-{i}",
        defaults={"title": f"Health note {i}", "body": body, "body_html": render_markdown(body),
                  "summary": body[:280], "published_at": now - dt.timedelta(days=i)},
    )  # fmt: skip
for i in range(3):
    Event.objects.get_or_create(
        practice=practice, title=f"Flu-shot clinic {i}",
        defaults={"starts_at": now + dt.timedelta(days=i + 1), "location": "Main office"},
    )  # fmt: skip
forum, _ = Forum.objects.get_or_create(
    practice=practice, slug="general", defaults={"title": "General"}
)
members = []
for i in range(20):
    user, _ = get_user_model().objects.get_or_create(email=f"bench{i}@mail.test")
    member, _ = CommunityMember.objects.get_or_create(
        practice=practice, user=user,
        defaults={"display_name": f"walker_{i}", "status": "active", "trusted": True,
                  "guidelines_accepted_at": now, "email_verified_at": now},
    )  # fmt: skip
    members.append(member)
thread = Thread.objects.filter(practice=practice, title="Walking after dinner").first()
if thread is None:
    thread = Thread.objects.create(
        practice=practice, forum=forum, author=members[0], title="Walking after dinner",
        last_activity_at=now, reply_count=200,
    )  # fmt: skip
    text = "A 20-minute walk after dinner really helps me sleep. *Anyone else?* [tips](https://example.org)"
    html = render_markdown(text)
    Post.objects.create(practice=practice, thread=thread, author=members[0], body=text,
                        body_html=html, is_opening=True)  # fmt: skip
    Post.objects.bulk_create(
        Post(practice=practice, thread=thread, author=members[i % 20], body=text, body_html=html)
        for i in range(200)
    )
# A signed-in member's session, for the uncached (per-member) thread page.
from django.test import Client  # noqa: E402

client = Client()
client.force_login(members[1].user, backend="django.contrib.auth.backends.ModelBackend")
session = client.cookies["sessionid"].value
print(json.dumps({"slug": practice.slug, "thread": thread.pk, "session": session}))
