"""The public practice site: pages anyone may read, cached whole (no private variation)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from bedside.community import selectors
from bedside.community.sitecache import cached_site_page
from bedside.community.validators import video_embed_url


def _page(request: HttpRequest, practice, template: str, context: dict) -> TemplateResponse:
    context = {"practice": practice, "site_base": f"/p/{practice.slug}/", **context}
    context.setdefault("og_title", practice.name)
    context.setdefault("og_description", practice.description or practice.name)
    return TemplateResponse(request, template, context)


@cached_site_page
def home(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    return _page(
        request,
        practice,
        "community/site/home.html",
        {
            "clinicians": selectors.profile_list_public(practice=practice, kind="clinician"),
            "entries": selectors.blog_list_public(practice=practice, limit=3),
            "events": selectors.event_list_upcoming(practice=practice)[:3],
            "topic": selectors.topic_of_week(practice=practice),
            "og_type": "website",
        },
    )


@cached_site_page
def team(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    people = selectors.profile_list_public(practice=practice)
    return _page(
        request,
        practice,
        "community/site/team.html",
        {"people": people, "og_title": f"Our team · {practice.name}"},
    )


@cached_site_page
def profile(request: HttpRequest, slug: str, profile_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    person = selectors.profile_get_public(practice=practice, slug=profile_slug)
    return _page(
        request,
        practice,
        "community/site/profile.html",
        {
            "person": person,
            "embed_url": video_embed_url(person.video_url) if person.video_url else None,
            "og_title": f"{person.name} · {practice.name}",
            "og_description": person.title or practice.name,
            "og_image": person.photo.url if person.photo else "",
            "og_type": "profile",
        },
    )


@cached_site_page
def blog(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    return _page(
        request,
        practice,
        "community/site/blog.html",
        {
            "entries": selectors.blog_list_public(practice=practice, limit=50),
            "og_title": f"Blog · {practice.name}",
        },
    )


@cached_site_page
def blog_entry(request: HttpRequest, slug: str, entry_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    entry = selectors.blog_get_public(practice=practice, slug=entry_slug)
    return _page(
        request,
        practice,
        "community/site/blog_entry.html",
        {
            "entry": entry,
            "og_title": entry.title,
            "og_description": entry.summary,
            "og_image": entry.image.url if entry.image else "",
            "og_type": "article",
        },
    )


@cached_site_page
def events(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    return _page(
        request,
        practice,
        "community/site/events.html",
        {
            "events": selectors.event_list_upcoming(practice=practice),
            "og_title": f"Events · {practice.name}",
        },
    )


@cached_site_page
def guidelines(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    return _page(request, practice, "community/site/guidelines.html", {})


@cached_site_page
def boards(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    return _page(
        request,
        practice,
        "community/site/boards.html",
        {"boards": selectors.board_list(practice=practice)},
    )


@cached_site_page
def board(request: HttpRequest, slug: str, board_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    the_board = selectors.board_get(practice=practice, slug=board_slug)
    return _page(
        request,
        practice,
        "community/site/board.html",
        {
            "board": the_board,
            "cards": the_board.cards.all(),
            "og_title": f"{the_board.title} · {practice.name}",
        },
    )


class BlogFeed(Feed):
    """RSS 2.0 feed of the practice's published blog entries."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, slug):  # type: ignore[no-untyped-def,override]
        return selectors.practice_for_site(slug=slug)

    def title(self, practice):  # type: ignore[no-untyped-def]
        return f"{practice.name} — blog"

    def link(self, practice):  # type: ignore[no-untyped-def]
        return reverse("site:blog", args=[practice.slug])

    def description(self, practice):  # type: ignore[no-untyped-def]
        return practice.description or f"News from {practice.name}"

    subtitle = description

    def items(self, practice):  # type: ignore[no-untyped-def]
        entries = list(selectors.blog_list_public(practice=practice, limit=30))
        for entry in entries:
            entry.practice = practice  # spare a query per item
        return entries

    def item_title(self, item):  # type: ignore[no-untyped-def]
        return item.title

    def item_description(self, item):  # type: ignore[no-untyped-def]
        return item.body_html

    def item_link(self, item):  # type: ignore[no-untyped-def]
        return reverse("site:blog_entry", args=[item.practice.slug, item.slug])

    def item_pubdate(self, item):  # type: ignore[no-untyped-def]
        return item.published_at

    def item_updateddate(self, item):  # type: ignore[no-untyped-def]
        return item.published_at


class AtomBlogFeed(BlogFeed):
    feed_type = Atom1Feed


rss_feed = cached_site_page(BlogFeed())
atom_feed = cached_site_page(AtomBlogFeed())


@cached_site_page
def stories(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    return _page(
        request,
        practice,
        "community/site/stories.html",
        {
            "stories": selectors.story_list_public(practice=practice),
            "og_title": f"Patient stories · {practice.name}",
        },
    )


@cached_site_page
def story(request: HttpRequest, slug: str, story_id: int) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    the_story = selectors.story_get_public(practice=practice, story_id=story_id)
    return _page(
        request,
        practice,
        "community/site/story.html",
        {
            "story": the_story,
            "og_title": the_story.title,
            "og_type": "article",
            "og_image": the_story.photo.url if the_story.photo else "",
        },
    )
