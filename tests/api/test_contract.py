"""The API contract: graphql/schema.graphql is current, and every example operation validates and runs."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from graphql import parse, validate

from config.schema import schema
from core.fiscal import fiscal_year_of, today
from tests.conftest import GraphQLClient

ROOT = Path(settings.BASE_DIR)
OPERATIONS = sorted((ROOT / "graphql" / "operations").glob("*.graphql"))


def current_sdl() -> str:
    """The SDL as `manage.py graphql_schema` writes it (descriptions in English)."""
    from django.utils import translation
    from graphql import print_schema

    with translation.override("en"):
        return print_schema(schema.graphql_schema)


def test_schema_snapshot_is_current():
    path = ROOT / "graphql" / "schema.graphql"
    assert path.exists(), "run `manage.py graphql_schema`"
    assert path.read_text().strip() == current_sdl().strip(), (
        "graphql/schema.graphql is stale: regenerate it with `manage.py graphql_schema` and commit it"
    )


def test_there_are_example_operations():
    assert OPERATIONS


def test_no_python_in_the_graphql_folder():
    assert not list((ROOT / "graphql").rglob("*.py"))


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda p: p.name)
def test_operation_validates_against_the_schema(path):
    errors = validate(schema.graphql_schema, parse(path.read_text()))
    assert not errors, errors


def header(text: str, key: str) -> str | None:
    match = re.search(rf"^#\s*{key}:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda p: p.name)
def test_operation_runs_for_its_role(path, demo_users):
    text = path.read_text()
    role = header(text, "role") or "admin"
    # `{FY}` in the variables stands for the current fiscal year: the demo world's DX-{FY}-0001 … -0003 are the
    # demo requester's requests in known states (see seeds/demo/support.py).
    current = str(fiscal_year_of(today()))
    raw = (header(text, "variables") or "{}").replace("{FY}", current)
    if "{CASE}" in raw:  # a published case of the demo (ids differ between databases)
        from graphql_relay import to_global_id

        from knowhow.models import Case

        case = Case.objects.filter(status="published").order_by("pk").first()
        raw = raw.replace("{CASE}", to_global_id("Case", case.pk))
    if "{SAVED_VIEW}" in raw:  # one of the role's saved views
        from graphql_relay import to_global_id

        from support.services import saved_view_save

        view = saved_view_save(
            actor=demo_users[role], name="契約準備", list_name="requests", query_string="status=submitted"
        )
        raw = raw.replace("{SAVED_VIEW}", to_global_id("SavedView", view.pk))
    if "{LOW_RATED}" in raw:  # a demo request rated low (≤ 2): what a satisfaction follow-up is for
        from support.models import SupportRequest

        rated = SupportRequest.objects.filter(satisfaction__score__lte=2).order_by("pk").first()
        raw = raw.replace("{LOW_RATED}", rated.reference)
    if "{ENGAGEMENT}" in raw:  # an engagement the demo requester's organisation (千代田区) took part in
        from graphql_relay import to_global_id

        from support.engagement_models import Engagement

        engagement = (
            Engagement.objects.filter(organizations__code="131016", status="held").order_by("pk").first()
        )
        raw = raw.replace("{ENGAGEMENT}", to_global_id("Engagement", engagement.pk))
    if "{IMPORT_JOB}" in raw:  # one of the role's import jobs (a finished, clean dry run)
        raw = raw.replace("{IMPORT_JOB}", str(demo_import_job(demo_users[role]).pk))
    if "{EXPORT_JOB}" in raw:  # one of the role's export jobs (a finished one)
        raw = raw.replace("{EXPORT_JOB}", str(demo_export_job(demo_users[role]).pk))
    variables = json.loads(raw)
    result = GraphQLClient(demo_users[role]).execute(text, variables)
    assert "errors" not in result, result.get("errors")
    payload_errors = [
        value.get("errors") for value in (result.get("data") or {}).values() if isinstance(value, dict)
    ]
    assert not any(payload_errors), payload_errors


def demo_export_job(user):
    from core.models import Job, JobState

    return Job.objects.create(
        kind="export:support", user=user, step="build", state=JobState.DONE, filename="support-requests.csv"
    )


def demo_import_job(user):
    from core.models import Job, JobState

    lines = [[2, "created", "", "", "", "staff@example.com"]]
    return Job.objects.create(
        kind="import:skills",
        user=user,
        step="validate",
        state=JobState.DONE,
        result={"dry_run": True, "error": "", "lines": lines},
    )
