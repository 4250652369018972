"""The publishing flow in a browser: compose with a PHI slip, see it highlighted, fix it,
submit, approve as a second person, see it on the calendar, publish to the webhook fake."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bedside.accounts.demo import DEMO_PASSWORD, demo_totp_secret
from bedside.accounts.models import Membership
from bedside.channels import connect
from bedside.core.http import HttpClient
from bedside.publishing import tasks
from bedside.publishing.models import Delivery
from tests.e2e.conftest import screenshot, sign_in
from tests.fakes.webhook import WebhookFake
from tests.helpers import WEBHOOK_SECRET, webhook_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLIP = "Happy birthday to Mrs. Okafor, who turned 94 today! Flu shots are in."
FIXED = "Free flu shots this week! Walk in any weekday from 9 to 5. More at cdc.gov/flu"


@pytest.fixture
def hook(settings, monkeypatch):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    client = HttpClient(allowed_networks=["127.0.0.1/32"], connect_timeout=2, read_timeout=5)
    monkeypatch.setattr(connect, "_shared_http", client)
    with WebhookFake(secret=WEBHOOK_SECRET) as fake:
        yield fake
    client.close()


def _as(page, email):
    page.context.clear_cookies()
    sign_in(page, email, DEMO_PASSWORD, demo_totp_secret(email))


def test_compose_fix_submit_approve_calendar_publish(page, hook):
    call_command("seed_demo", stdout=io.StringIO())
    owner = Membership.objects.get(user__email="owner@maple.example")
    channel = webhook_channel(owner, url=f"{hook.url}/hook", name="Clinic website hook")
    local = timezone.localtime(timezone.now() + dt.timedelta(days=1), owner.practice.zone)
    when = local.replace(hour=10, minute=0, second=0, microsecond=0)

    # Compose as the editor, with a PHI slip: it is highlighted as we type.
    _as(page, "editor@maple.example")
    page.goto("/content/compose/")
    text = page.get_by_label("Post text", exact=True)
    text.fill(SLIP)
    text.press("End")  # a keyup: the editor checks the text
    finding = page.locator("#editor-text-findings mark[data-category='name']")
    finding.wait_for()
    assert "Mrs. Okafor" in finding.inner_text()
    assert page.locator("#editor-text-findings [data-verdict='block']").is_visible()
    screenshot(page, "publish-flow-1-phi-highlighted")

    # Fix it: the findings clear.
    text.fill(FIXED)
    text.press("End")
    page.locator("#editor-text-findings [data-verdict='pass']").wait_for()
    page.get_by_label("Clinic website hook (Signed webhook)").check()
    page.get_by_label("When (practice time)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#preview .network-preview").wait_for()
    page.get_by_role("button", name="Save and send for approval").click()
    page.wait_for_url("**/content/posts/*/")
    assert page.locator(".post-state").inner_text() == "In review"
    post_url = page.url

    # A second person approves.
    _as(page, "compliance@maple.example")
    page.goto("/content/approvals/")
    page.get_by_role("link", name=FIXED[:20], exact=False).click()
    page.get_by_role("button", name="Approve").click()
    page.locator(".post-state", has_text="Scheduled").wait_for()
    screenshot(page, "publish-flow-2-approved")

    # It is on the calendar, on its day.
    page.goto(f"/content/calendar/?date={when.date().isoformat()}")
    day = page.locator(f".day[data-date='{when.date().isoformat()}']")
    assert "Free flu shots this week!" in day.inner_text()
    assert "10:00 AM" in day.inner_text()

    # Its time comes; the worker's task publishes it to the webhook.
    delivery = Delivery.objects.get(channel=channel)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert tasks.deliver.call_local(delivery.pk) == "published"
    assert hook.stats()["unique"] == 1

    page.goto(post_url)
    assert page.locator(".post-state").inner_text() == "Published"
    assert page.locator(".delivery[data-state='published']").is_visible()
    assert page.get_by_role("link", name="View on Signed webhook").get_attribute("href") == (
        f"{hook.url}/posts/wh_1"
    )
    screenshot(page, "publish-flow-3-published")
