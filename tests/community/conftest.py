import pytest
from django.core.cache import cache

from bedside.community.sitecache import PAGES


@pytest.fixture(autouse=True)
def _fresh_site_cache():
    """Each test starts with no cached pages and no site versions."""
    cache.clear()
    PAGES.clear()


@pytest.fixture(autouse=True)
def _fresh_fragments():
    from bedside.community.views.members import FRAGMENTS

    FRAGMENTS.clear()


@pytest.fixture(autouse=True)
def _on_commit_runs_now(request, monkeypatch):
    """In the (fast) non-transactional tests nothing ever commits, so callbacks queued with
    transaction.on_commit (cache version bumps, e-mails) run at once instead. The tests
    marked transaction=True exercise the real commit path."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
