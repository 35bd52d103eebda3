"""The role × action matrix (DESIGN.md §6): every URL and every GraphQL root field, allowed and denied.

A URL name or a GraphQL root field that is missing from the matrix fails `test_matrix_covers_every_*`, so a new page
or operation cannot ship without saying who may use it. The world is the tiny demo world (`load_demo(scale=0.05)`)
seen by the demo account of each role; objects are found by natural keys (references, e-mail addresses).

Writes are checked by their EFFECT, not their status code: every POST (and every form page's submission, the
row's `post`) and every mutation names `effect(world) -> snapshot` (a row count, a status, a field). Each call runs
in a rolled-back savepoint; an allowed role must change the snapshot, a refused one must leave it as it was — a
redirect that changed nothing is a refusal, never a success.
"""

import importlib

import pytest
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ApiToken
from core.models import AuditEvent
from tests.conftest import GraphQLClient

ROLES = ("anonymous", "requester", "ict_staff", "ict_manager", "hr", "admin")
OWN_NAMESPACES = {"accounts", "core", "skills", "support", "staffing", "reports", "knowhow", "notifications"}
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


# url name → kwargs builder taking the world dict, roles allowed to GET it. Pages that only accept POST are listed
# with method "post", the roles allowed, `data` (a dict or a builder) or `prepare(client, world) -> data` (e.g. a
# first upload), and `effect(world) -> snapshot`: row counts, a status, a field — compared before and after.
URLS: dict[str, dict] = {
    "home": {"allowed": EVERYONE},
    "accounts:profile": {
        "allowed": EVERYONE,
        "post": {
            "data": {"display_name": "マトリクス", "preferred_language": "ja"},
            "effect": lambda world: AuditEvent.objects.filter(verb="user.update_profile").count(),
            "allowed": EVERYONE,
        },
    },
    "accounts:token_create": {
        "method": "post",
        "allowed": EVERYONE,
        "data": {"name": "matrix"},
        "effect": lambda world: ApiToken.objects.filter(name="matrix").count(),
    },
    "accounts:token_revoke": {
        "method": "post",
        "skip": "needs the caller's own token; covered in tests/accounts",
    },
    "accounts:audit_events": {"allowed": {"admin"}},
    "accounts:audit_events_export": {"allowed": {"admin"}, "query": "?format=csv"},
}

# GraphQL root field → operation, variables, roles allowed; a mutation also its `effect(world) -> snapshot`.
GRAPHQL: dict[str, dict] = {
    "me": {"query": "query { me { email } }", "allowed": EVERYONE},
    "organizations": {"query": "query { organizations(first: 1) { totalCount } }", "allowed": EVERYONE},
    "auditEvents": {"query": "query { auditEvents(first: 1) { totalCount } }", "allowed": {"admin"}},
    "node": {"skip": "scoped per type; covered by each app's node tests"},
}


# Each app keeps its rows in tests/<app>/access_matrix_rows.py as <APP>_URLS and <APP>_GRAPHQL.
for _app in ("core", "skills", "support", "staffing", "reports", "knowhow", "notifications"):
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


def _resolve(value, world):
    return value(world) if callable(value) else value


def _write(spec, world, call):
    """Run one call in a rolled-back savepoint with the row's effect snapshot taken before and after it."""

    def run():
        before = spec["effect"](world) if "effect" in spec else None
        with TestCase.captureOnCommitCallbacks(
            execute=True
        ):  # the jobs a POST queues run as after its commit
            result = call()
        after = spec["effect"](world) if "effect" in spec else None
        return result, before != after

    return rolled_back(run)


def _refused_anonymously(response) -> bool:
    return response.status_code in (401, 403, 404) or (
        response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
    )


def _post_rows() -> dict[str, dict]:
    """Every POST the matrix checks: POST-only URLs, and the form submission of pages that also answer GET
    (`"post": {...}` on the row: its own data, effect and allowed roles)."""
    rows = {name: spec for name, spec in URLS.items() if spec.get("method") == "post"}
    rows |= {f"{name} (POST)": {**spec, **spec["post"]} for name, spec in URLS.items() if "post" in spec}
    return rows


def test_every_write_row_declares_its_effect():
    """A POST or a mutation is checked by what it changes, not by its status code alone."""
    from config.schema import schema

    mutations = set(schema.graphql_schema.mutation_type.fields)
    missing = [name for name, spec in _post_rows().items() if not spec.keys() & {"effect", "skip"}]
    missing += [
        name for name in mutations if name in GRAPHQL and not GRAPHQL[name].keys() & {"effect", "skip"}
    ]
    assert not sorted(missing), f"say what these change (an `effect`): {sorted(missing)}"


def test_every_page_answers_each_role_as_the_matrix_says(world):
    """GET pages answer 200 to the allowed roles and 403/404 (or the login page) to the others."""
    failures = []
    for name, spec in sorted(URLS.items()):
        if "skip" in spec or spec.get("method") == "post":
            continue
        url = reverse(name, kwargs=spec["kwargs"](world) if "kwargs" in spec else {}) + spec.get("query", "")
        for role in ROLES:
            client = client_for_role(role, world)
            response = rolled_back(lambda c=client, u=url: c.get(u))
            if role == "anonymous":
                denied_properly = _refused_anonymously(response)
            else:
                denied_properly = response.status_code in (403, 404)
            if role in spec["allowed"] and response.status_code != 200:
                failures.append(f"{name} as {role}: expected success, got {response.status_code}")
            if role not in spec["allowed"] and not denied_properly:
                failures.append(f"{name} as {role}: expected refusal, got {response.status_code}")
    assert not failures, "\n".join(failures)


def test_every_post_takes_effect_exactly_for_the_roles_the_matrix_says(world):
    """A POST takes effect for an allowed role (success status *and* its `effect` snapshot changed) and changes
    nothing for a refused one (403/404, or a redirect back with a message — but then the snapshot is unchanged)."""
    failures = []
    for name, spec in sorted(_post_rows().items()):
        if "skip" in spec:
            continue
        url_name = name.removesuffix(" (POST)")
        url = reverse(url_name, kwargs=spec["kwargs"](world) if "kwargs" in spec else {}) + spec.get(
            "query", ""
        )
        for role in ROLES:
            client = client_for_role(role, world)

            def call(c=client, u=url, s=spec):
                data = s["prepare"](c, world) if "prepare" in s else _resolve(s.get("data", {}), world)
                return c.post(u, data)

            response, changed = _write(spec, world, call)
            if role == "anonymous":
                ok, denied_properly = False, _refused_anonymously(response) and not changed
            else:
                ok = response.status_code in (200, 302) and changed
                denied_properly = response.status_code in (302, 400, 403, 404) and not changed
            if role in spec["allowed"] and not ok:
                failures.append(
                    f"{name} as {role}: expected an effect, got {response.status_code}, {changed=}"
                )
            if role not in spec["allowed"] and not denied_properly:
                failures.append(f"{name} as {role}: expected refusal, got {response.status_code}, {changed=}")
    assert not failures, "\n".join(failures)


DENIAL_CODES = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}


def _payload_errors(result: dict, field: str) -> list:
    payload = (result.get("data") or {}).get(field)
    if not isinstance(payload, dict):
        return []
    return payload.get("errors") or []


def test_every_graphql_operation_answers_each_role_as_the_matrix_says(world):
    """Queries answer the allowed roles without errors and refuse the others (FORBIDDEN, NOT_FOUND …). A mutation
    takes effect for an allowed role (no error at all *and* its `effect` snapshot changed) and changes nothing for a
    refused one (a denial code or an error in its payload, and the snapshot unchanged)."""
    failures = []
    for field, spec in sorted(GRAPHQL.items()):
        if "skip" in spec:
            continue
        for role in ROLES:
            user = None if role == "anonymous" else world["users"][role]
            result, changed = _write(
                spec,
                world,
                lambda u=user, s=spec: GraphQLClient(u).execute(
                    s["query"], _resolve(s.get("variables", {}), world)
                ),
            )
            codes = {e.get("extensions", {}).get("code") for e in result.get("errors", [])}
            payload_errors = _payload_errors(result, field)
            allowed = role in spec["allowed"]
            writes = "effect" in spec
            if allowed and (codes or payload_errors or (writes and not changed)):
                failures.append(
                    f"{field} as {role}: expected success, got {result.get('errors') or payload_errors} {changed=}"
                )
            refused = bool(codes & DENIAL_CODES) or (writes and bool(payload_errors))
            if not allowed and not (refused and not changed):
                failures.append(f"{field} as {role}: expected refusal, got {result} {changed=}")
    assert not failures, "\n".join(failures)
