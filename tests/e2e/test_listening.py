"""The listening stream as a practice manager sees it: highlight, chart, htmx state change."""

import io

import pytest
from django.core.management import call_command

from bedside.accounts.demo import DEMO_PASSWORD, demo_totp_secret
from bedside.listening.models import Mention
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_reads_the_stream_and_marks_a_mention_answered_in_place(page):
    call_command("seed_demo", stdout=io.StringIO())
    negative = Mention.objects.get(external_id="demo-2")
    sign_in(page, "editor@maple.example", DEMO_PASSWORD, demo_totp_secret("editor@maple.example"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Listening").click()
    page.wait_for_url("**/listening/")
    item = page.locator(f"#mention-{negative.pk}")
    assert item.locator("mark").inner_text() == "Maple Family Clinic"
    assert page.get_by_role("img", name="5 mentions over 14 days").is_visible()
    page.get_by_text("Show the figures as a table").click()
    assert page.get_by_role("table").first.is_visible()
    item.get_by_label("State of this mention").select_option("answered")
    item.get_by_role("button", name="Set").click()
    page.locator(f"#mention-{negative.pk} strong", has_text="Answered").wait_for()
    assert page.url.endswith("/listening/")  # swapped in place by htmx, no reload
    negative.refresh_from_db()
    assert negative.state == "answered"
    screenshot(page, "listening-stream")
