"""Success stories: published only under a consent that covers them; revoking the consent
unpublishes them everywhere (through compliance's CONSENT_USAGE_PROVIDERS)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.community import services
from bedside.community.models import Story
from bedside.compliance.services import consent_revoke, consent_usages
from tests.community import factories as f
from tests.community.test_community import member_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def submitted(practice, **kw):
    member = f.make_member(practice, "hiker")
    return services.story_submit(
        member=member,
        title="Back to hiking",
        body="After months of physical therapy I hiked again this spring.",
        **kw,
    )


def test_member_submits_a_story_that_stays_private(practice):
    member = f.make_member(practice, "hiker")
    member_client(member).post(
        f"/p/{practice.slug}/stories/share/", {"title": "Back to hiking", "body": "I hiked again!"}
    )
    story = Story.objects.get()
    assert story.status == "submitted"
    assert "Back to hiking" not in Client().get(f"/p/{practice.slug}/stories/").content.decode()


def test_publishing_needs_a_consent_covering_story_and_name(practice, editor):
    story = submitted(practice, share_name=True)
    story_only = f.make_consent(practice, covers=("story",))
    with pytest.raises(ValidationError) as exc:
        services.story_publish(membership=editor, story=story, consent=story_only)
    assert "it does not cover name" in str(exc.value)
    other_channel = f.make_consent(practice, covers=("story", "name"), channels=("facebook",))
    with pytest.raises(ValidationError) as exc:
        services.story_publish(membership=editor, story=story, consent=other_channel)
    assert "practice site and community" in str(exc.value)
    expired = f.make_consent(practice)
    expired.expires_on = timezone.localdate() - dt.timedelta(days=1)
    expired.save()
    with pytest.raises(ValidationError) as exc:
        services.story_publish(membership=editor, story=story, consent=expired)
    assert "the consent is expired" in str(exc.value)
    story.refresh_from_db()
    assert story.status == "submitted"


def test_consent_from_another_practice_is_refused(practice, other_practice, editor):
    story = submitted(practice)
    with pytest.raises(ValidationError):
        services.story_publish(
            membership=editor, story=story, consent=f.make_consent(other_practice)
        )


def test_viewer_cannot_publish(practice, viewer):
    from django.core.exceptions import PermissionDenied

    story = submitted(practice)
    with pytest.raises(PermissionDenied):
        services.story_publish(membership=viewer, story=story, consent=f.make_consent(practice))


@pytest.mark.django_db(transaction=True)
def test_story_with_consent_appears_and_revocation_unpublishes_it(
    practice, editor, compliance_officer
):
    story = submitted(practice, share_name=True)
    consent = f.make_consent(practice, name="Maria Lopez", covers=("story", "name"))
    services.story_publish(membership=editor, story=story, consent=consent)
    client = Client()
    listing = client.get(f"/p/{practice.slug}/stories/").content.decode()
    assert "Back to hiking" in listing and "Maria Lopez" in listing
    assert client.get(f"/p/{practice.slug}/stories/{story.pk}/").status_code == 200
    usages = consent_usages(consent=consent)
    assert [(u.kind, u.id) for u in usages] == [("community.story", story.pk)]

    revocation = consent_revoke(actor=compliance_officer, consent=consent, reason="patient asked")

    assert [(u.kind, u.id) for u in revocation.usages] == [("community.story", story.pk)]
    story.refresh_from_db()
    assert story.status == "unpublished"
    assert "Back to hiking" not in client.get(f"/p/{practice.slug}/stories/").content.decode()
    assert client.get(f"/p/{practice.slug}/stories/{story.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="community.story_unpublished")
    assert event.data == {"reason": "consent_revoked"}


def test_staff_publish_page_flow(practice, editor, login):
    story = submitted(practice)
    consent = f.make_consent(practice, covers=("story",))
    client = login(editor)
    assert "Back to hiking" in client.get("/community/stories/").content.decode()
    client.post(f"/community/stories/{story.pk}/", {"consent": consent.pk})
    story.refresh_from_db()
    assert (story.status, story.consent, story.shown_name) == ("published", consent, "")
    client.post(f"/community/stories/{story.pk}/", {"action": "unpublish"})
    story.refresh_from_db()
    assert story.status == "unpublished"
