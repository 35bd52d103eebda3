"""The support example operations validate against the schema and run without errors in the tiny demo world."""

import json
from pathlib import Path

import pytest
from django.db import transaction
from graphql import parse, validate

from accounts.models import User
from config.schema import schema
from seeds.reference import load_reference

from .test_demo import run_steps

OPERATIONS = sorted(
    (Path(__file__).resolve().parents[2] / "graphql" / "operations").glob("support_*.graphql")
)
ACCOUNTS = {
    "requester": "requester@example.com",
    "ict_staff": "staff@example.com",
    "ict_manager": "manager@example.com",
    "hr": "hr@example.com",
    "admin": "admin@example.com",
}


def header(text: str, key: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return None


@pytest.mark.parametrize("path", OPERATIONS, ids=[p.stem for p in OPERATIONS])
def test_operation_is_valid(path):
    assert validate(schema.graphql_schema, parse(path.read_text())) == []


def test_operations_run_in_demo_world(db, gql):
    """One tiny world; each operation runs in its own savepoint (like tests/api), without any error — neither
    top-level nor in a mutation payload."""
    load_reference()
    run_steps()
    failures = {}
    for path in OPERATIONS:
        text = path.read_text()
        user = User.objects.get(email=ACCOUNTS[header(text, "role")])
        variables = json.loads(header(text, "variables") or "{}")
        with transaction.atomic():
            result = gql(user).execute(text, variables)
            transaction.set_rollback(True)
        payload_errors = [v.get("errors") for v in (result.get("data") or {}).values() if isinstance(v, dict)]
        if result.get("errors") or any(payload_errors):
            failures[path.stem] = result.get("errors") or payload_errors
    assert failures == {}
