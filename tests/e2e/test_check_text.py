import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bedside.accounts.demo import DEMO_PASSWORD, demo_totp_secret
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phi_slip_is_highlighted_and_one_click_fixes_it(page):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "editor@maple.example", DEMO_PASSWORD, demo_totp_secret("editor@maple.example"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check a text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a text")
    page.get_by_label("Text to check").press_sequentially(
        "Happy birthday Mrs. Okafor! Dr. June Park and Rosa Delgado say hi.", delay=5
    )

    mark = page.locator("mark.finding.block")
    expect(mark).to_have_count(1)
    expect(mark).to_have_attribute("data-category", "name")
    expect(mark).to_contain_text("Mrs. Okafor")
    expect(page.locator("[data-verdict]")).to_have_text("block")
    expect(page.locator(".finding-list li").first).to_contain_text(
        "A person's name (with a title)."
    )
    # Rosa Delgado has a consent on file: an information note, not a finding that blocks.
    expect(page.locator("mark.finding.info")).to_contain_text("Rosa Delgado")
    screenshot(page, "check-text-block")

    page.get_by_role("button", name=re.compile("Replace “Mrs. Okafor”")).click()

    expect(page.locator("[data-verdict]")).to_have_text("pass")
    expect(page.get_by_label("Text to check")).to_have_value(
        "Happy birthday [name removed]! Dr. June Park and Rosa Delgado say hi."
    )
    expect(page.locator("mark.finding.block")).to_have_count(0)
    screenshot(page, "check-text-pass")


def test_changing_the_kind_checks_again(page):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "viewer@maple.example", DEMO_PASSWORD, demo_totp_secret("viewer@maple.example"))
    page.goto("/compliance/check/")

    page.get_by_label("Text to check").fill("Sorry your crown came loose.")
    page.get_by_label("Text to check").press("End")
    expect(page.locator("[data-verdict]")).to_have_text("warn")

    page.get_by_label("Kind of text").select_option("review_reply")

    expect(page.locator("[data-verdict]")).to_have_text("block")
    expect(page.locator("mark.finding")).to_have_attribute("data-category", "patient_relationship")
