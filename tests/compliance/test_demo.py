import io

from django.core.management import call_command

from bedside.compliance.models import CompliancePolicy, Consent, StaffMember
from bedside.compliance.services import compliance_context, text_check
from bedside.core.models import Practice


def test_demo_seed_is_idempotent_and_feeds_the_guard(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    maple = Practice.objects.get(slug="maple-family-clinic")
    assert StaffMember.objects.filter(practice=maple).count() == 6
    assert CompliancePolicy.objects.count() == 2
    assert Consent.objects.get().status == "active"
    context = compliance_context(practice=maple)
    assert "Hygienist Tara Nguyen" in context["staff"]
    check = text_check(
        practice=maple,
        text="Rosa Delgado is back on the trails thanks to Dr. June Park!",
        kind="post",
    )
    assert check.verdict == "pass"


def test_dashboard_tiles(practice, owner, viewer, login):
    body = login(owner).get("/").content.decode()
    assert 'href="/compliance/check/"' in body and 'href="/compliance/consents/"' in body
    assert 'href="/compliance/consents/"' not in login(viewer).get("/").content.decode()
