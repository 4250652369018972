import io

import pytest
from django.core.management import call_command

from bedside.content.models import Post
from bedside.publishing.models import Delivery

pytestmark = pytest.mark.django_db


def test_demo_content_is_seeded_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(Post.objects.values_list("state", flat=True)) == [
        "draft",
        "in_review",
        "scheduled",
    ]
    assert Delivery.objects.get().state == "scheduled"
