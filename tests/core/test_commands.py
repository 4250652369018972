import io
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bedside.accounts.demo import DEMO_PASSWORD, demo_totp_secret
from bedside.accounts.models import Membership, User
from bedside.accounts.services import api_token_authenticate
from bedside.core.models import Practice


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())
    assert Practice.objects.filter(slug__in=["maple-family-clinic", "lakeside-dental"]).count() == 2
    maple = Practice.objects.get(slug="maple-family-clinic")
    assert maple.name == "Maple Family Clinic" and maple.time_zone == "America/Chicago"
    roles = dict(Membership.objects.filter(practice=maple).values_list("user__email", "role"))
    assert roles == {
        "owner@maple.example": "owner",
        "admin@maple.example": "admin",
        "compliance@maple.example": "compliance_officer",
        "editor@maple.example": "editor",
        "clinician@maple.example": "clinician",
        "viewer@maple.example": "viewer",
    }
    assert (
        Membership.objects.get(user__email="owner@lakeside.example").practice.slug
        == "lakeside-dental"
    )
    assert User.objects.count() == 7
    text = out.getvalue()
    assert DEMO_PASSWORD in text and demo_totp_secret("owner@maple.example") in text
    assert User.objects.get(email="owner@maple.example").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_create_api_token_prints_only_a_working_token():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "create_api_token", email="editor@maple.example", practice="maple-family-clinic", stdout=out
    )
    raw = out.getvalue().strip()
    assert "\n" not in raw and raw.startswith("bsd_")
    token = api_token_authenticate(raw_token=raw)
    assert token.membership.user.email == "editor@maple.example"


@pytest.mark.django_db
def test_create_api_token_for_non_member_exits_2():
    call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError) as info:
        call_command(
            "create_api_token", email="owner@lakeside.example", practice="maple-family-clinic"
        )
    assert info.value.returncode == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_bedside_run_serves_and_stops_cleanly_on_ctrl_c(tmp_path):
    """The real command: web server and worker as one process tree; SIGINT stops both."""
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(tmp_path), "BEDSIDE_DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("BEDSIDE_QUEUE_URL", None)
    env.pop("BEDSIDE_TESTING", None)
    subprocess.run(
        [sys.executable, "-m", "bedside", "migrate", "-v0"], env=env, check=True, timeout=120
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bedside", "run", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert response.json() == {"status": "ok"}
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 2  # gunicorn and the huey worker
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        for pid in children:
            assert not os.path.exists(f"/proc/{pid}"), f"child {pid} outlived bedside run"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
