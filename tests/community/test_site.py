"""The public practice site: pages, Open Graph, feeds, caching, profiles and the blog service."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bedside.audit.models import AuditEvent
from bedside.community import services
from bedside.community.models import BlogEntry
from bedside.community.validators import video_embed_url
from tests.community import factories as f

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_home_shows_the_practice_profile_with_open_graph_tags(practice):
    practice.description = "Family medicine for all ages."
    practice.save()
    f.make_blog(practice, "Flu shots are here")

    response = Client().get(f"/p/{practice.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Maple Family Clinic</h1>" in body
    assert '<meta property="og:title" content="Maple Family Clinic">' in body
    assert '<meta property="og:description" content="Family medicine for all ages.">' in body
    assert '<meta property="og:url" content="http://testserver/p/maple-family-clinic/">' in body
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body
    assert "Flu shots are here" in body
    assert "csrfmiddlewaretoken" not in body  # nothing private in a cached page
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = Client().get(f"/p/{practice.slug}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "sidenav" not in body  # the public base, not the staff shell


def test_unknown_practice_is_404():
    assert Client().get("/p/no-such-practice/").status_code == 404


def test_cached_page_is_invalidated_when_the_blog_changes(practice, django_assert_num_queries):
    client = Client()
    client.get(f"/p/{practice.slug}/blog/")
    with django_assert_num_queries(0):
        cached = client.get(f"/p/{practice.slug}/blog/")
    assert "No posts yet." in cached.content.decode()

    entry = services.blog_entry_publish(practice=practice, title="Heat safety", body="Drink water.")

    assert "Heat safety" in client.get(f"/p/{practice.slug}/blog/").content.decode()
    services.blog_entry_unpublish(entry_id=entry.pk)
    assert "Heat safety" not in client.get(f"/p/{practice.slug}/blog/").content.decode()


def test_blog_entry_publish_is_idempotent_per_source_post(practice, owner):
    first = services.blog_entry_publish(
        practice=practice, title="Clinic hours", body="Open *Saturdays*.", author=owner.user,
        source_post_id=41,
    )  # fmt: skip
    again = services.blog_entry_publish(
        practice=practice, title="Clinic hours (updated)", body="Open Saturdays 9-1.",
        author=owner.user, source_post_id=41,
    )  # fmt: skip

    assert again.pk == first.pk
    assert BlogEntry.objects.filter(practice=practice).count() == 1
    assert again.title == "Clinic hours (updated)"
    assert again.body_html == "<p>Open Saturdays 9-1.</p>\n"
    assert AuditEvent.objects.filter(action="community.blog_published").count() == 2


def test_blog_entry_image_needs_alt_text(practice):
    image = SimpleUploadedFile("hero.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.blog_entry_publish(practice=practice, title="T", body="B", image=image)
    assert "alt_text" in exc.value.message_dict
    assert BlogEntry.objects.count() == 0


def test_blog_entry_unpublish_twice_is_harmless(practice):
    entry = f.make_blog(practice)
    services.blog_entry_unpublish(entry_id=entry.pk)
    services.blog_entry_unpublish(entry_id=entry.pk)
    assert AuditEvent.objects.filter(action="community.blog_unpublished").count() == 1
    assert Client().get(f"/p/{practice.slug}/blog/{entry.slug}/").status_code == 404


def test_rss_and_atom_feeds_list_published_entries_only(practice):
    f.make_blog(practice, "Flu shots are here", "Walk in **any weekday**.")
    gone = f.make_blog(practice, "Old news")
    services.blog_entry_unpublish(entry_id=gone.pk)
    client = Client()

    rss = client.get(f"/p/{practice.slug}/feed.xml")
    atom = client.get(f"/p/{practice.slug}/atom.xml")

    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    assert [i.findtext("title") for i in channel.findall("item")] == ["Flu shots are here"]
    assert channel.find("item").findtext("link") == (
        "http://testserver/p/maple-family-clinic/blog/flu-shots-are-here/"
    )
    assert atom["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(atom.content)
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Flu shots are here"
    ]


@pytest.mark.parametrize(
    ("link", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=<script>", None),
        ("javascript:alert(1)//youtube.com", None),
        ("https://vimeo.com/channels/staffpicks", None),
    ],
)  # fmt: skip
def test_welcome_video_only_privacy_enhanced_embeds(link, embed):
    assert video_embed_url(link) == embed


def test_profile_page_with_photo_alt_text_and_privacy_enhanced_video(practice, owner):
    photo = SimpleUploadedFile("park.jpg", PNG, content_type="image/jpeg")
    profile = services.clinician_profile_create(
        practice=practice, actor=owner.user, name="Dr. June Park", title="MD, Family medicine",
        specialties="Family medicine, Sports medicine", interests="running",
        photo=photo, photo_alt="Dr. Park smiling in the clinic hallway",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )  # fmt: skip

    body = Client().get(f"/p/{practice.slug}/team/{profile.slug}/").content.decode()

    assert 'alt="Dr. Park smiling in the clinic hallway"' in body
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in body
    assert "<li>Sports medicine</li>" in body
    assert '<meta property="og:type" content="profile">' in body


def test_profile_photo_without_alt_text_is_refused(practice, owner):
    photo = SimpleUploadedFile("park.jpg", PNG, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.clinician_profile_create(
            practice=practice, actor=owner.user, name="Dr. June Park", photo=photo, photo_alt=" "
        )
    assert "photo_alt" in exc.value.message_dict


def test_profile_form_rejects_a_non_embeddable_video(practice, owner, login):
    response = login(owner).post(
        "/community/site/profiles/",
        {"kind": "clinician", "name": "Dr. Ada", "video_url": "https://evil.example/v.mp4",
         "position": 0, "published": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Give an https YouTube" in response.content.decode()


def test_team_and_events_pages_render(practice, owner):
    import datetime as dt

    from django.utils import timezone

    services.event_create(
        practice=practice, actor=owner.user, title="Flu-shot clinic",
        starts_at=timezone.now() + dt.timedelta(days=2), location="Main office",
    )  # fmt: skip
    client = Client()
    assert client.get(f"/p/{practice.slug}/team/").status_code == 200
    events = client.get(f"/p/{practice.slug}/events/").content.decode()
    assert "Flu-shot clinic" in events


def test_board_card_needs_alt_text_and_shows_as_a_candidate_post(practice, editor, login):
    board = services.board_create(practice=practice, actor=editor.user, title="Healthy recipes")
    client = login(editor)
    image = SimpleUploadedFile("soup.png", PNG, content_type="image/png")
    client.post(
        f"/community/site/boards/{board.pk}/cards/",
        {"title": "Lentil soup", "image": image, "alt_text": ""},
    )
    assert board.cards.count() == 0
    image = SimpleUploadedFile("soup.png", PNG, content_type="image/png")
    client.post(
        f"/community/site/boards/{board.pk}/cards/",
        {"title": "Lentil soup", "text": "Warm and cheap", "image": image,
         "alt_text": "A bowl of lentil soup"},
    )  # fmt: skip
    assert board.cards.count() == 1
    staff_page = client.get("/community/site/boards/").content.decode()
    assert "Lentil soup: Warm and cheap</textarea>" in staff_page
    public = Client().get(f"/p/{practice.slug}/boards/{board.slug}/").content.decode()
    assert 'alt="A bowl of lentil soup"' in public
