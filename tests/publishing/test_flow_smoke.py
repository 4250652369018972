import pytest

from bedside.content import services as content
from bedside.publishing import services as publishing
from bedside.publishing.models import Delivery
from tests.fakes.webhook import WebhookFake
from tests.helpers import CLEAN_TEXT, WEBHOOK_SECRET, in_hours, webhook_channel


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.BEDSIDE_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]


def test_end_to_end_publish_to_webhook(owner, editor, compliance_officer, http, time_machine):
    with WebhookFake(secret=WEBHOOK_SECRET) as hook:
        channel = webhook_channel(owner, url=f"{hook.url}/hook")
        post = content.post_create(
            actor=editor, text=CLEAN_TEXT, channel_ids=[channel.pk], scheduled_at=in_hours(2)
        )
        content.post_submit(actor=editor, post=post)
        content.post_approve(actor=compliance_officer, post=post)
        post.refresh_from_db()
        assert post.state == "scheduled"
        delivery = Delivery.objects.get(post=post)
        assert delivery.state == "scheduled"
        time_machine.move_to(in_hours(3))
        assert publishing.delivery_run(delivery_id=delivery.pk, http=http) == "published"
        delivery.refresh_from_db()
        post.refresh_from_db()
        assert post.state == "published"
        assert delivery.external_id == "wh_1"
        assert hook.stats()["unique"] == 1
