"""The XSS corpus through every way user text reaches a page: Markdown posts, display
names, profile fields. Nothing that could run script survives."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from bedside.community.markup import render_markdown
from bedside.community.models import ClinicianProfile
from bedside.community.validators import validate_display_name
from tests.community import factories as f
from tests.community.htmlcheck import payloads, script_problems

PAYLOADS = payloads()


def test_corpus_has_at_least_100_payloads():
    assert len(PAYLOADS) >= 100


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_output_holds_no_script_handler_or_javascript_url(payload):
    html = render_markdown(payload)
    assert script_problems(html) == []
    assert "<script" not in html.lower()


def test_whole_corpus_as_one_post_is_safe():
    html = render_markdown("\n\n".join(PAYLOADS))
    assert script_problems(html) == []


def test_links_get_nofollow_ugc_noopener_and_raw_html_stays_text():
    html = render_markdown('[tips](https://example.org/walk) and <b>bold?</b> <a href="x">y</a>')
    assert html == (
        '<p><a href="https://example.org/walk" rel="nofollow ugc noopener">tips</a> and '
        '&lt;b&gt;bold?&lt;/b&gt; &lt;a href="x"&gt;y&lt;/a&gt;</p>\n'
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_display_name_validator_refuses_every_payload(payload):
    with pytest.raises(ValidationError):
        validate_display_name(payload[:40])


def test_display_names_and_posts_render_escaped_even_if_stored_raw(practice):
    """Defence in depth: a display name that slipped past validation is still escaped."""
    cache.clear()
    forum = f.make_forum(practice)
    author = f.make_member(practice, "<img src=x onerror=alert(1)>")
    thread = f.make_thread(forum, author, title="<script>alert(1)</script>", body="hello")
    for i, payload in enumerate(PAYLOADS[:40]):
        reply_author = f.make_member(practice, f"{payload[:30]}{i}")
        thread.posts.create(
            practice=practice, author=reply_author, body=payload, body_html=render_markdown(payload)
        )
    response = Client().get(f"/p/{practice.slug}/threads/{thread.pk}/")
    assert response.status_code == 200
    assert (
        script_problems(
            response.content.decode(),
            allowed_tags={"form", "button", "select", "input", "link", "meta"},
        )
        == []
    )


def test_profile_fields_render_escaped(practice):
    cache.clear()
    for i, payload in enumerate(PAYLOADS):
        ClinicianProfile.objects.create(
            practice=practice,
            name=payload[:120],
            slug=f"p{i}",
            title=payload[:120],
            specialties=payload[:300],
            interests=payload[:300],
            bio=payload,
            bio_html=render_markdown(payload),
        )
    client = Client()
    team = client.get(f"/p/{practice.slug}/team/").content.decode()
    assert script_problems(team, allowed_tags={"link", "meta"}) == []
    for i in range(0, len(PAYLOADS), 7):
        page = client.get(f"/p/{practice.slug}/team/p{i}/").content.decode()
        assert script_problems(page, allowed_tags={"link", "meta"}) == [], PAYLOADS[i]
