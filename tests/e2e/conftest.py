"""Browser tests: Playwright driving Debian's chromium, headless, against live_server.

Playwright cannot download its own browsers here, so it launches
/usr/bin/chromium. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.conftest import require

CHROMIUM = os.environ.get("BEDSIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# live_server runs the app in a thread beside the async-free sync Playwright API.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's launch arguments: Debian's chromium, never a download."""
    require(Path(CHROMIUM).exists() or bool(shutil.which("chromium")), f"no Chromium at {CHROMIUM}")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def browser_context_args(live_server):
    return {"base_url": live_server.url, "viewport": {"width": 1280, "height": 860}}


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    return page


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def totp_now(secret: str, margin: float = 5.0) -> str:
    """The current code, never one about to expire: near the end of a 30-second period
    (a loaded CI machine can take seconds to submit it) wait for the next one."""
    remaining = 30 - time.time() % 30
    if remaining < margin:
        time.sleep(remaining + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page, email: str, password: str, totp_secret: str) -> None:
    """The real sign-in: password, then the authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_now(totp_secret))
    page.get_by_role("button", name="Sign In").click()
    # the dashboard itself, not any URL ending in "/" (the code page does too)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
