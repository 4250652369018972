"""Pytest fixtures shared by the connector and HTTP tests (imported by their conftest.py)."""

import pytest

from bedside.core.http import HttpClient
from tests.fakes.server import FakeServer


@pytest.fixture
def http():
    """An HttpClient allowed to reach the 127.0.0.1 fakes, with short timeouts."""
    client = HttpClient(allowed_networks=["127.0.0.1/32"], connect_timeout=1.0, read_timeout=1.0)
    yield client
    client.close()


@pytest.fixture
def server():
    with FakeServer() as srv:
        yield srv
