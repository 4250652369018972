"""The site page cache: versions move on change (stamp file or shared cache), pages are
re-rendered once per version, and signed-in visitors never get a cached page."""

from __future__ import annotations

import pytest
from django.test import Client

from bedside.community import services, sitecache
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def test_stamp_file_version_moves_on_every_bump(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(sitecache, "_stamp_mode", lambda: True)
    assert sitecache.site_version("maple") == "0"
    sitecache._bump("maple")
    first = sitecache.site_version("maple")
    sitecache._bump("maple")
    assert sitecache.site_version("maple") not in {"0", first}
    assert sorted(p.name for p in (tmp_path / "site-stamps").iterdir()) == ["maple"]


def test_stamp_mode_page_is_invalidated_by_a_new_blog_entry(
    practice, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(sitecache, "_stamp_mode", lambda: True)
    client = Client()
    assert "No posts yet." in client.get(f"/p/{practice.slug}/blog/").content.decode()
    services.blog_entry_publish(practice=practice, title="Heat safety", body="Drink water.")
    assert "Heat safety" in client.get(f"/p/{practice.slug}/blog/").content.decode()


def test_new_reply_invalidates_the_cached_thread_page(practice):
    forum = f.make_forum(practice)
    member = f.make_member(practice)
    thread = f.make_thread(forum, member)
    client = Client()
    client.get(f"/p/{practice.slug}/threads/{thread.pk}/")
    services.post_reply(member=member, thread=thread, body="Fresh reply about stretching")
    assert (
        "Fresh reply about stretching"
        in client.get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    )


def test_signed_in_member_gets_a_live_page_with_forms(practice):
    forum = f.make_forum(practice)
    member = f.make_member(practice)
    thread = f.make_thread(forum, member)
    Client().get(f"/p/{practice.slug}/threads/{thread.pk}/")  # cached for visitors
    client = Client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    assert "Post reply" in body and "csrfmiddlewaretoken" in body
    anonymous = Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    assert "csrfmiddlewaretoken" not in anonymous and member.display_name in anonymous


def test_practice_profile_edits_show_after_the_page_ttl(practice):
    import time_machine

    client = Client()
    with time_machine.travel("2026-05-01 12:00:00+00:00", tick=False) as traveller:
        client.get(f"/p/{practice.slug}/")
        practice.description = "Now open on Saturdays."
        practice.save()
        assert "Now open on Saturdays." not in client.get(f"/p/{practice.slug}/").content.decode()
        traveller.shift(sitecache.PAGE_TTL + 1)
        assert "Now open on Saturdays." in client.get(f"/p/{practice.slug}/").content.decode()
