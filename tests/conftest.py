"""Shared fixtures: a practice with one persona per role, an outsider from
another practice, clients signed in as any of them, and service guards.

Where a service (browser, PostgreSQL, Redis) is absent a test skips with the
reason — except in CI (CI=true), where absence fails the test instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Role
from tests.factories import MembershipFactory, PracticeFactory, UserFactory
from tests.fakes.fixtures import http, server  # noqa: F401  (fake-server fixtures for every test)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# CI runs the property tests with a fixed seed: a red build must be reproducible,
# not a lottery; developers' runs keep exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")


def require(condition: bool, reason: str) -> None:
    """Skip when a service is missing on a developer's machine; fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def practice(db):
    return PracticeFactory(
        name="Maple Family Clinic", slug="maple-family-clinic", phone="(217) 555-0142"
    )


@pytest.fixture
def other_practice(db):
    return PracticeFactory(
        name="Lakeside Dental", slug="lakeside-dental", time_zone="America/New_York"
    )


def _member(practice, role: Role, email: str, name: str) -> Membership:
    user = UserFactory(email=email, display_name=name, mfa=True)
    return MembershipFactory(user=user, practice=practice, role=role.value)


@pytest.fixture
def owner(practice):
    return _member(practice, Role.OWNER, "owner@maple.test", "Dr. Priya Raman")


@pytest.fixture
def admin(practice):
    return _member(practice, Role.ADMIN, "admin@maple.test", "Marcus Bell")


@pytest.fixture
def compliance_officer(practice):
    return _member(practice, Role.COMPLIANCE_OFFICER, "compliance@maple.test", "Grace Okoye")


@pytest.fixture
def editor(practice):
    return _member(practice, Role.EDITOR, "editor@maple.test", "Will Turner")


@pytest.fixture
def clinician(practice):
    return _member(practice, Role.CLINICIAN, "clinician@maple.test", "Dr. June Park")


@pytest.fixture
def viewer(practice):
    return _member(practice, Role.VIEWER, "viewer@maple.test", "Lena Ortiz")


@pytest.fixture
def outsider(other_practice):
    """The owner of another practice: sees nothing of ours."""
    return _member(other_practice, Role.OWNER, "owner@lakeside.test", "Dr. Samuel Osei")


@pytest.fixture
def personas(owner, admin, compliance_officer, editor, clinician, viewer) -> dict[str, Membership]:
    return {m.role: m for m in (owner, admin, compliance_officer, editor, clinician, viewer)}


def client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["bedside.practice_id"] = membership.practice_id
    session.save()
    return client


@pytest.fixture
def login():
    return client_for


@dataclass
class ApiClient:
    """Calls /api/v1 with a bearer token acting as one member."""

    token: str
    client: Client = field(default_factory=Client)

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, path: str, **params):
        return self.client.get(path, params, **self._headers())

    def post(self, path: str, json=None, raw: bytes | None = None):
        import orjson

        body = raw if raw is not None else orjson.dumps(json if json is not None else {})
        return self.client.post(path, body, content_type="application/json", **self._headers())

    def request(self, method: str, path: str, json=None):
        import orjson

        body = orjson.dumps(json) if json is not None else b""
        return self.client.generic(
            method.upper(), path, body, content_type="application/json", **self._headers()
        )


def api_client_for(membership: Membership) -> ApiClient:
    from bedside.accounts.services import api_token_create

    _, raw = api_token_create(membership=membership, name="test")
    return ApiClient(raw)


@pytest.fixture
def api():
    return api_client_for
