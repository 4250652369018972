"""Reddit listing JSON: newest posts, a created_utc cursor, malformed answers."""

from __future__ import annotations

import pytest

from bedside.listening.models import Mention
from bedside.listening.polling import source_poll
from tests.fakes.listening_social import SocialFake, reddit_post
from tests.fakes.server import FakeResponse

pytestmark = pytest.mark.django_db


def test_listing_posts_become_mentions_once(monitor, server, make_source, rt, http):
    social = SocialFake(server)
    social.reddit_posts = [
        reddit_post(
            "a1",
            "Anyone tried Maple Family Clinic?",
            selftext="Looking for a GP",
            created_utc=1_800_000_000,
        ),
        reddit_post("a2", "Parking downtown", created_utc=1_800_000_100),
    ]
    rt.build_now()
    source = make_source(f"reddit:{server.url}/r/springfield/new.json")
    assert source_poll(source_id=source.pk, rt=rt, http=http, force=True) == "ok"
    source.refresh_from_db()
    mention = Mention.objects.get()
    assert (mention.external_id, mention.author, mention.url) == (
        "t3_a1", "redditor", "https://www.reddit.com/r/springfield/comments/a1/x/",
    )  # fmt: skip
    assert mention.text == "Anyone tried Maple Family Clinic?\nLooking for a GP"
    assert mention.published_at.timestamp() == 1_800_000_000
    assert source.cursor == "1800000100.0"
    social.reddit_posts.append(
        reddit_post("a3", "Maple Family Clinic again", created_utc=1_800_000_200)
    )
    source_poll(source_id=source.pk, rt=rt, http=http, force=True)
    source.refresh_from_db()
    assert source.items_seen == 3  # the two old posts were skipped by the cursor
    assert Mention.objects.count() == 2
    assert server.violations == []


def test_malformed_listing_is_recorded(monitor, server, make_source, rt, http):
    server.route("GET", "/r/x/new.json", lambda req: FakeResponse(200, {"error": 403}))
    rt.build_now()
    source = make_source(f"reddit:{server.url}/r/x/new.json")
    assert source_poll(source_id=source.pk, rt=rt, http=http, force=True) == "error"
    source.refresh_from_db()
    assert source.last_error == "Reddit answered something that is not a listing (data.children)"
