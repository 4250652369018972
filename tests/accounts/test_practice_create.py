import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bedside.accounts.models import Membership
from bedside.audit.models import AuditEvent
from bedside.core.models import Practice
from bedside.listening.models import Monitor


@pytest.mark.django_db
def test_create_practice_makes_the_owner_and_the_default_monitors():
    out = io.StringIO()
    call_command(
        "create_practice",
        name="Cedar Pediatrics",
        slug="cedar-peds",
        owner_email="Boss@Cedar.test",
        stdout=out,
    )
    practice = Practice.objects.get(slug="cedar-peds")
    owner = Membership.objects.get(practice=practice)
    assert owner.role == "owner" and owner.user.email == "boss@cedar.test"
    assert not owner.user.has_usable_password()
    names = set(Monitor.objects.filter(practice=practice).values_list("name", flat=True))
    assert any("Cedar Pediatrics" in n for n in names), names
    assert (
        AuditEvent.objects.filter(action="practice.created", practice_id=practice.pk).count() == 1
    )
    assert "created cedar-peds" in out.getvalue()


@pytest.mark.django_db
def test_bad_time_zone_exits_2_and_creates_nothing():
    with pytest.raises(CommandError) as info:
        call_command(
            "create_practice", name="X", slug="x", time_zone="Mars/Base", owner_email="a@b.test"
        )
    assert info.value.returncode == 2 and "time_zone" in str(info.value)
    assert not Practice.objects.filter(slug="x").exists()
