"""The practice-site channel: a post becomes a blog entry and a feed item."""

import pytest
from django.test import Client

from bedside.channels.connect import connector_for
from bedside.channels.connectors.base import Media, PublishRequest
from bedside.channels.services import channel_create
from bedside.community.models import BlogEntry
from bedside.core.http import TerminalError

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def site_channel(owner):
    return channel_create(actor=owner, type="site", name="Our website", settings={})


def _request(post_id, text, media=()):
    return PublishRequest(
        text=text, media=list(media), idempotency_key=f"k-{post_id}", metadata={"post_id": post_id}
    )


def test_publish_creates_a_blog_entry_in_the_feeds_and_a_resend_updates_it(
    site_channel, practice, settings
):
    settings.BEDSIDE_BASE_URL = "https://bedside.test"
    connector = connector_for(site_channel)
    first = connector.publish(_request(41, "Flu shots are in\n\nWalk in Monday to Friday, 8 to 5."))
    entry = BlogEntry.objects.get(pk=int(first.external_id))
    assert entry.practice == practice and entry.title == "Flu shots are in"
    assert first.url == f"https://bedside.test/p/{practice.slug}/blog/{entry.slug}/"
    again = connector.publish(_request(41, "Flu shots are in\n\nWalk in Monday to Saturday."))
    assert again.external_id == first.external_id
    assert BlogEntry.objects.filter(practice=practice).count() == 1
    feed = Client().get(f"/p/{practice.slug}/feed.xml").content.decode()
    assert "Flu shots are in" in feed and "Saturday" in feed


def test_delete_takes_the_entry_off_the_feed(site_channel, practice):
    connector = connector_for(site_channel)
    result = connector.publish(_request(7, "Closed for Thanksgiving on Thursday."))
    connector.delete(result.external_id)
    assert "Thanksgiving" not in Client().get(f"/p/{practice.slug}/atom.xml").content.decode()
    with pytest.raises(TerminalError) as info:
        connector.delete("999999")
    assert info.value.kind == "not_found"


def test_an_image_needs_its_alt_text(site_channel):
    connector = connector_for(site_channel)
    with pytest.raises(TerminalError) as info:
        connector.publish(
            _request(8, "New waiting room!", [Media(data=PNG, mime="image/png", alt_text="")])
        )
    assert info.value.kind == "rejected"
    assert not BlogEntry.objects.filter(source_post_id=8).exists()


def test_validate_names_the_practice_site(site_channel, practice):
    info = connector_for(site_channel).validate()
    assert info.name == practice.name and info.url.endswith(f"/p/{practice.slug}/")


@pytest.mark.django_db(transaction=True)  # the site's page cache moves on commit
def test_edit_updates_the_entry_in_place_and_never_revives_a_removed_one(site_channel, practice):
    connector = connector_for(site_channel)
    first = connector.publish(_request(9, "Flu shots are in\n\nWalk in Monday to Friday."))
    entry = BlogEntry.objects.get(pk=int(first.external_id))
    edited = connector.edit(first.external_id, _request(9, "Flu shots are in\n\nAlso Saturday."))
    entry.refresh_from_db()
    assert (edited.external_id, edited.url) == (first.external_id, first.url)
    assert "Also Saturday" in entry.body and entry.unpublished_at is None
    feed = Client().get(f"/p/{practice.slug}/feed.xml").content.decode()
    assert "Also Saturday" in feed, feed
    connector.delete(first.external_id)
    with pytest.raises(TerminalError) as info:
        connector.edit(first.external_id, _request(9, "Back again?"))
    assert info.value.kind == "not_found"
    entry.refresh_from_db()
    assert "Back again" not in entry.body and entry.unpublished_at is not None
