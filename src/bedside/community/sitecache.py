"""Whole-page cache for the public practice site.

Pages under /p/<slug>/ that show only published, public content are kept as rendered
bytes in each web process's memory, under the practice's *site version*; every
service that changes what those pages show calls `site_changed(practice)`, which
moves the version once the change commits, so the next request re-renders.

Where the version lives: the embedded default (SQLite, database cache, one machine)
keeps it as a stamp file under DATA_DIR — a stat() per request instead of a SQLite
connection, which costs more than rendering the page; any other deployment (Redis
cache, or PostgreSQL on many machines) keeps it in the shared cache.

Nothing private varies these pages: they are rendered without the session, the user
or a CSRF token (views marked `anonymous_only` are cached for signed-out visitors
only). Browsers and proxies must revalidate (max-age=0 + ETag → 304): a story whose
consent is revoked disappears at once, not after a shared cache's max-age.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

CACHE_CONTROL = "public, max-age=0, must-revalidate"
MAX_PAGES = 1024  # per process; a page is a few to ~150 kB
# Changes made outside this app (the practice's own profile, edited in accounts) do not
# move the site version: pages are re-rendered at least this often to pick them up.
PAGE_TTL = 300


def _stamp_mode() -> bool:
    db_engine = settings.DATABASES["default"]["ENGINE"]
    backend = settings.CACHES["default"]["BACKEND"]
    return db_engine.endswith("sqlite3") and backend.endswith("DatabaseCache")


def _stamp_path(slug: str) -> Path:
    return Path(settings.DATA_DIR) / "site-stamps" / slug


def _version_key(slug: str) -> str:
    return f"site:v:{slug}"


def site_version(slug: str) -> str:
    if _stamp_mode():
        try:
            st = os.stat(_stamp_path(slug))
        except FileNotFoundError:
            return "0"
        return f"{st.st_ino}.{st.st_mtime_ns}"
    version = cache.get(_version_key(slug))
    if version is None:
        cache.add(_version_key(slug), 1, None)
        version = cache.get(_version_key(slug), 1)
    return str(version)


def _bump(slug: str) -> None:
    if _stamp_mode():
        path = _stamp_path(slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{slug}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_bytes(os.urandom(8))
        os.replace(tmp, path)  # a new inode: a new version, even within one mtime tick
        return
    try:
        cache.incr(_version_key(slug))
    except ValueError:
        cache.set(_version_key(slug), 2, None)


def site_changed(practice) -> None:  # type: ignore[no-untyped-def]
    """Invalidate every cached page of the practice's site once the change commits.

    `practice` is a Practice or its id."""

    def bump() -> None:
        slug = getattr(practice, "slug", None)
        if slug is None:
            from bedside.core.models import Practice

            slug = Practice.objects.filter(pk=practice).values_list("slug", flat=True).first()
        if slug:
            _bump(slug)

    transaction.on_commit(bump)


class LocalLRU:
    """A small thread-safe LRU of rendered pages in this process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> tuple | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: tuple, value: tuple) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


PAGES = LocalLRU(MAX_PAGES)


def cached_site_page(view=None, *, anonymous_only: bool = False):  # type: ignore[no-untyped-def]
    """Cache a public site view's 200 response per (slug, host, path, site version).

    `anonymous_only`: pages that differ for signed-in members (forms, members-only
    forums, one's own held posts) are cached only for visitors who are not signed in;
    the view renders them with `cacheable=True` (no messages, no CSRF token).
    """
    if view is None:
        return lambda v: cached_site_page(v, anonymous_only=anonymous_only)

    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.method != "GET" or request.GET:
            return view(request, slug, *args, **kwargs)
        if anonymous_only and request.user.is_authenticated:
            return view(request, slug, *args, **kwargs)
        key = (slug, request.get_host(), request.path)
        version = site_version(slug)
        hit = PAGES.get(key)
        if hit is not None and hit[0] == version and hit[4] > time.time():
            _, content, content_type, etag, _ = hit
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
            expires = time.time() + PAGE_TTL
            PAGES.put(key, (version, response.content, response["Content-Type"], etag, expires))
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        return response

    return wrapper
