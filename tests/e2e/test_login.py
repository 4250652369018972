import io

import pytest
from django.core.management import call_command

from bedside.accounts.demo import DEMO_PASSWORD, demo_totp_secret
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_owner_signs_in_with_totp_and_lands_on_the_dashboard(page):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "owner@maple.example", DEMO_PASSWORD, demo_totp_secret("owner@maple.example"))
    assert page.get_by_role("heading", level=1).inner_text() == "Maple Family Clinic"
    assert (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Dashboard")
        .get_attribute("aria-current")
        == "page"
    )
    path = screenshot(page, "dashboard")
    assert path.stat().st_size > 10_000


def test_wrong_totp_keeps_the_user_out(page):
    call_command("seed_demo", stdout=io.StringIO())
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("editor@maple.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill("123456")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_text("Incorrect code").is_visible()
    page.goto("/")
    assert "/accounts/" in page.url  # still at the sign-in stages, not the dashboard


def test_pages_are_reachable_by_keyboard(page):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "admin@maple.example", DEMO_PASSWORD, demo_totp_secret("admin@maple.example"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
