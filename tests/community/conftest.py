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
