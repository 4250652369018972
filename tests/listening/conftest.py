"""Listening fixtures: monitors, sources and a built matcher runtime."""

from __future__ import annotations

import pytest

from bedside.listening.models import Monitor, Source
from bedside.listening.runtime import ListeningRuntime, reset_runtime


@pytest.fixture(autouse=True)
def _no_process_runtime():
    reset_runtime()
    yield
    reset_runtime()


@pytest.fixture
def monitor(practice):
    return Monitor.objects.create(
        practice=practice,
        name="Maple Family Clinic",
        kind=Monitor.Kind.PRACTICE_NAME,
        phrases=["Maple Family Clinic", "#MapleClinic"],
        exclude=["maple family clinic syrup"],
    )


@pytest.fixture
def make_source(db):
    def make(uri: str, practice=None, **kw) -> Source:  # type: ignore[no-untyped-def]
        return Source.objects.create(uri=uri, practice=practice, **kw)

    return make


@pytest.fixture
def rt(db):
    """A runtime; call `rt.build_now()` once the test's monitors exist."""
    runtime = ListeningRuntime(isolated=False)  # in-process builds: faster tests
    yield runtime
    runtime.stop()
