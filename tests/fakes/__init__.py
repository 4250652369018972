"""Fake network servers for hermetic tests (see tests/fakes/server.py)."""

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

__all__ = ["FakeRequest", "FakeResponse", "FakeServer"]
