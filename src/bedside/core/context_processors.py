"""The page shell: navigation and the practice switcher.

Navigation names areas by URL name; an area whose app is not installed yet
shows as "coming soon" instead of a broken link.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

NAV = [
    ("Dashboard", "core:dashboard"),
    ("Compose", "content:compose"),
    ("Calendar", "content:calendar"),
    ("Approvals", "content:approvals"),
    ("Check a text", "compliance:check"),
    ("Listening", "listening:stream"),
    ("Reviews", "reviews:list"),
    ("Inbox", "inbox:list"),
    ("Community", "community:manage"),
    ("Analytics", "analytics:overview"),
    ("Settings", "accounts:settings"),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def shell(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path
    items = []
    for label, name in NAV:
        url = _url(name)
        active = bool(url) and (path == url if url == "/" else path.startswith(url or "\0"))
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
