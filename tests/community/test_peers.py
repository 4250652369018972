"""Peer space: NPI-verified invitations, access, directory, and the PHI block."""

from __future__ import annotations

import pytest

from bedside.community import services
from bedside.community.models import PeerClinician, PeerPost, PeerThread
from bedside.community.validators import npi_is_valid
from tests.community import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("npi", f.VALID_NPIS)
def test_real_format_npis_pass_the_check_digit(npi):
    assert npi_is_valid(npi)


@pytest.mark.parametrize(
    "npi", ["1234567890", "1234567894", "123456789", "12345678931", "0234567893", "3234567893",
            "12345678a3", "", "1245319598"],
)  # fmt: skip
def test_wrong_npis_fail(npi):
    assert not npi_is_valid(npi)


def test_owner_verifies_a_clinician_with_a_valid_npi(practice, owner, clinician, login):
    client = login(owner)
    bad = client.post(
        "/community/peers/invite/",
        {"membership": clinician.pk, "npi": "1234567890", "specialty": "Family medicine"},
    )
    assert bad.status_code == 400 and "fails the NPI check digit" in bad.content.decode()
    assert PeerClinician.objects.count() == 0

    client.post(
        "/community/peers/invite/",
        {"membership": clinician.pk, "npi": "1234567893", "specialty": "Family medicine",
         "interests": "sports medicine"},
    )  # fmt: skip
    peer = PeerClinician.objects.get()
    assert (peer.user, peer.npi, peer.invited_by) == (clinician.user, "1234567893", owner.user)


def test_cannot_invite_another_practices_clinician(practice, owner, outsider, login):
    response = login(owner).post(
        "/community/peers/invite/",
        {"membership": outsider.pk, "npi": "1234567893", "specialty": "Dentistry"},
    )
    assert response.status_code == 400
    assert PeerClinician.objects.count() == 0


def test_unverified_clinician_is_refused_and_verified_one_sees_the_directory(
    practice, clinician, owner, login
):
    assert login(clinician).get("/peers/").status_code == 403
    f.make_peer(clinician, f.VALID_NPIS[0], specialty="Pediatrics")
    f.make_peer(owner, f.VALID_NPIS[1], specialty="Family medicine", interests="diabetes")
    page = login(clinician).get("/peers/?specialty=Pediatrics").content.decode()
    assert "Dr. June Park" in page and "Dr. Priya Raman" not in page
    page = login(clinician).get("/peers/?interest=diabet").content.decode()
    assert "Dr. Priya Raman" in page


def test_de_identified_case_is_posted_and_phi_is_blocked(practice, clinician, login):
    peer = f.make_peer(clinician, f.VALID_NPIS[0])
    thread = services.peer_thread_start(
        peer=peer, kind="case", title="Persistent cough",
        body="A man in his 50s presented with a 6-week cough and no fever. Chest X-ray clear.",
    )  # fmt: skip
    assert thread.posts.count() == 1

    response = login(clinician).post(
        f"/peers/threads/{thread.pk}/",
        {"body": "Similar: John Smith, DOB 4/2/1961, MRN 4432211 presented with cough."},
    )
    assert response.status_code == 422
    assert "Not posted: the guard found identifying details." in response.content.decode()
    assert PeerPost.objects.count() == 1
    with pytest.raises(services.GuardBlocked):
        services.peer_thread_start(
            peer=peer, kind="case", title="Case", body="Maria Lopez, 94, admitted 3/2/2026."
        )
    assert PeerThread.objects.count() == 1


def test_revoked_peer_loses_access(practice, clinician, login):
    from django.utils import timezone

    peer = f.make_peer(clinician, f.VALID_NPIS[0])
    peer.revoked_at = timezone.now()
    peer.save()
    assert login(clinician).get("/peers/").status_code == 403
