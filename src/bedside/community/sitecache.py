"""Whole-page cache for the public practice site.

Pages under /p/<slug>/ that show only published, public content are cached as
rendered bytes under a key holding the practice's site version; every service
that changes what those pages show calls `site_changed(practice_id)`, which bumps
the version (old entries simply age out). Nothing private varies these pages:
they are rendered without the session, the user or a CSRF token.

Browsers and proxies must revalidate (max-age=0 + ETag → 304): a story whose consent
is revoked has to disappear at once, not after a shared cache's max-age.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

PAGE_TTL = 600
CACHE_CONTROL = "public, max-age=0, must-revalidate"
VERSION_TTL = None  # versions live until evicted; a lost version only costs a re-render


def _version_key(slug: str) -> str:
    return f"site:v:{slug}"


def site_version(slug: str) -> int:
    version = cache.get(_version_key(slug))
    if version is None:
        version = 1
        cache.add(_version_key(slug), version, VERSION_TTL)
    return int(version)


def site_changed(practice) -> None:  # type: ignore[no-untyped-def]
    """Invalidate every cached page of the practice's site once the change commits."""

    def bump() -> None:
        key = _version_key(practice.slug)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, VERSION_TTL)

    transaction.on_commit(bump)


def cached_site_page(view):
    """Cache a public site view's 200 response per (slug, path, version)."""

    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.method != "GET" or request.GET:
            return view(request, slug, *args, **kwargs)
        key = f"site:page:{slug}:{site_version(slug)}:{request.get_host()}{request.path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type, etag = hit
            if etag in request.headers.get("If-None-Match", ""):
                response = HttpResponse(status=304)
            else:
                response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, slug, *args, **kwargs)
            if hasattr(response, "render"):
                response = response.render()
            if response.status_code != 200:
                return response
            etag = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
            cache.set(key, (response.content, response["Content-Type"], etag), PAGE_TTL)
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        return response

    return wrapper
