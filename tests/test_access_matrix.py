"""The role × action matrix (DESIGN.md §6): every URL and every GraphQL root field, allowed and denied.

A URL name or a GraphQL root field that is missing from the matrix fails `test_matrix_covers_every_*`, so a new page
or operation cannot ship without saying who may use it. The world is the tiny demo world (`load_demo(scale=0.05)`)
seen by the demo account of each role; objects are found by natural keys (references, e-mail addresses).
"""

import importlib

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import GraphQLClient

ROLES = ("anonymous", "requester", "ict_staff", "ict_manager", "hr", "admin")
OWN_NAMESPACES = {"accounts", "skills", "support", "staffing", "reports"}
EVERYONE = {"requester", "ict_staff", "ict_manager", "hr", "admin"}
ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}


def own_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace in OWN_NAMESPACES:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


# url name → (kwargs builder taking the world dict, roles allowed to GET it). Pages that only accept POST are listed
# with method "post" and the roles allowed; a denied POST answers 403/404 and changes nothing.
URLS: dict[str, dict] = {
    "home": {"allowed": EVERYONE},
    "accounts:profile": {"allowed": EVERYONE},
    "accounts:token_create": {"method": "post", "allowed": EVERYONE, "data": {"name": "matrix"}},
    "accounts:token_revoke": {
        "method": "post",
        "skip": "needs the caller's own token; covered in tests/accounts",
    },
}

# GraphQL root field → (operation, variables, roles allowed)
GRAPHQL: dict[str, dict] = {
    "me": {"query": "query { me { email } }", "allowed": EVERYONE},
    "organizations": {"query": "query { organizations(first: 1) { totalCount } }", "allowed": EVERYONE},
    "node": {"skip": "scoped per type; covered by each app's node tests"},
}


# Each app keeps its rows in tests/<app>/access_matrix_rows.py as <APP>_URLS and <APP>_GRAPHQL.
for _app in ("skills", "support", "staffing", "reports"):
    try:
        _rows = importlib.import_module(f"tests.{_app}.access_matrix_rows")
    except ModuleNotFoundError:
        continue
    URLS.update(getattr(_rows, f"{_app.upper()}_URLS", {}))
    GRAPHQL.update(getattr(_rows, f"{_app.upper()}_GRAPHQL", {}))


def rolled_back(call):
    """Run one request in a savepoint that is rolled back, so each role meets the same world."""
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


def test_matrix_covers_every_url():
    missing = sorted(own_url_names() - set(URLS))
    assert not missing, f"add these URL names to the access matrix: {missing}"


def test_matrix_covers_every_graphql_operation():
    from config.schema import schema

    fields = set(schema.graphql_schema.query_type.fields)
    if schema.graphql_schema.mutation_type:
        fields |= set(schema.graphql_schema.mutation_type.fields)
    missing = sorted(fields - set(GRAPHQL))
    assert not missing, f"add these GraphQL fields to the access matrix: {missing}"


@pytest.fixture
def world(demo_users):
    return {"users": demo_users}


def client_for_role(role, world):
    from django.test import Client

    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def test_every_url_answers_each_role_as_the_matrix_says(world):
    failures = []
    for name, spec in sorted(URLS.items()):
        if "skip" in spec:
            continue
        kwargs = spec["kwargs"](world) if "kwargs" in spec else {}
        url = reverse(name, kwargs=kwargs) + spec.get("query", "")
        for role in ROLES:
            client = client_for_role(role, world)
            if spec.get("method") == "post":
                response = rolled_back(lambda c=client, u=url, s=spec: c.post(u, s.get("data", {})))
                ok = response.status_code in (200, 302) and role != "anonymous"
            else:
                response = rolled_back(lambda c=client, u=url: c.get(u))
                ok = response.status_code == 200
            allowed = role in spec["allowed"]
            if role == "anonymous":
                denied_properly = response.status_code in (302, 401, 403, 404) and (
                    response.status_code != 302 or "/accounts/login/" in response.get("Location", "")
                )
            else:
                denied_properly = response.status_code in (403, 404)
            if allowed and not ok:
                failures.append(f"{name} as {role}: expected success, got {response.status_code}")
            if not allowed and not denied_properly:
                failures.append(f"{name} as {role}: expected refusal, got {response.status_code}")
    assert not failures, "\n".join(failures)


DENIAL_CODES = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}


def test_every_graphql_operation_answers_each_role_as_the_matrix_says(world):
    failures = []
    for field, spec in sorted(GRAPHQL.items()):
        if "skip" in spec:
            continue
        for role in ROLES:
            user = None if role == "anonymous" else world["users"][role]
            result = rolled_back(
                lambda u=user, s=spec: GraphQLClient(u).execute(s["query"], s.get("variables", {}))
            )
            codes = {e.get("extensions", {}).get("code") for e in result.get("errors", [])}
            allowed = role in spec["allowed"]
            if allowed and codes:
                failures.append(f"{field} as {role}: expected success, got {result.get('errors')}")
            if not allowed and not (codes & DENIAL_CODES):
                failures.append(f"{field} as {role}: expected refusal, got {result}")
    assert not failures, "\n".join(failures)
