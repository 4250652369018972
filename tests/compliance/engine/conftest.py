"""Shared fixtures for the compliance engine tests (no Django, no database)."""

from __future__ import annotations

import pytest

from bedside.compliance.engine import Context
from bench.compliance.corpus import PRACTICES


@pytest.fixture(scope="session")
def contexts() -> dict[str, Context]:
    return {ref: Context.from_dict(data) for ref, data in PRACTICES.items()}


@pytest.fixture(scope="session")
def raman(contexts: dict[str, Context]) -> Context:
    """Raman Family Dental: staff Dr. Priya Raman, Tara Nguyen, Will Brennan, Grace Holloway."""
    return contexts["raman"]
