"""Every URL: who may reach it (role × URL) and that no practice sees another's data."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from bedside.accounts.permissions import Role, role_has
from tests.conftest import api_client_for, client_for
from tests.url_cases import UrlCase, World

# URLs that are not Bedside's own tenant pages: allauth's sign-in flows and the
# API's schema and docs pages.
EXEMPT_MODULE_PREFIXES = ("allauth.",)
EXEMPT_NAMES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def _walk(patterns, ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = p.namespace and ((ns + ":") if ns else "") + p.namespace or ns
            yield from _walk(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            module = getattr(p.callback, "__module__", "") or ""
            if not module.startswith(EXEMPT_MODULE_PREFIXES):
                yield f"{ns}:{p.name}" if ns else p.name


def _all_cases() -> list[UrlCase]:
    cases: list[UrlCase] = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                module = importlib.import_module(f"tests.{info.name}.cases")
            except ModuleNotFoundError:
                continue
            cases.extend(module.CASES)
    return cases


CASES = _all_cases()
ROLES = [r.value for r in Role]


def test_every_url_has_a_case():
    urls = set(_walk(get_resolver().url_patterns)) - EXEMPT_NAMES
    covered = {c.name for c in CASES}
    assert urls - covered == set(), "URLs without a case in tests/<app>/cases.py"
    assert covered - urls == set(), "cases for URLs that no longer exist"
    for case in CASES:
        if case.scope == "public":
            assert case.reason, f"{case.id}: a public case must say why it holds no practice data"


@pytest.fixture
def world(practice, personas, outsider) -> World:
    w = World(practice=practice, personas=personas, outsider=outsider)
    for case in CASES:
        if case.setup:
            case.setup(w)
    return w


def _call(case: UrlCase, world: World, membership):
    path = case.build(world)
    data = case.data(world) if case.data else None
    if case.api:
        client = api_client_for(membership)
        if case.method == "get":
            return client.get(path)
        return client.request(case.method, path, json=data or {})
    client = client_for(membership)
    return getattr(client, case.method)(path, data or {})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", [c for c in CASES if c.perm is not None], ids=lambda c: c.id)
def test_role_matrix(case: UrlCase, role: str, world: World):
    response = _call(case, world, world.personas[role])
    if role_has(role, case.perm):
        assert response.status_code not in (403, 404), f"{role} should reach {case.id}"
        assert response.status_code < 500
    else:
        assert response.status_code == case.denied, f"{role} must be refused {case.id}"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.scope in ("object", "list")], ids=lambda c: c.id
)
def test_other_practice_sees_nothing(case: UrlCase, world: World):
    response = _call(case, world, world.outsider)
    if case.scope == "object":
        assert response.status_code == 404, f"{case.id} leaked another practice's object"
    else:
        assert response.status_code < 500
        body = response.content.decode()
        assert world.practice.name not in body
        for member in world.personas.values():
            assert member.user.email not in body
