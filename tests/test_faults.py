"""Failures injected half-way through every multi-step write: the database and the media folder end as they began,
and the user is told — a message on the page (never a 500), an error in the GraphQL answer.

Each test patches one real seam (a service helper, the storage call, the audit event's save) so that it raises on
its Nth call, after earlier steps of the same write have already touched the database or the disk. The fault
records what the world looked like at that moment, so each test also proves the write really was half-way (rows or
files already written) when it broke; without that a test could pass by failing before anything happened.
"""

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connection, connections
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import skills.services
import support.services
from accounts.roles import Role
from core.models import AuditEvent
from seeds.reference_support import load_request_categories
from skills.models import SkillCategory, StaffProfile
from staffing import services as staffing_services
from support import selectors as support_selectors
from support import services
from support.attachments import sample_bytes
from support.models import Assignment, RequestCategory, RequiredSkill, Status, SupportRequest
from support.services import _common as support_common
from support.services import satisfaction as satisfaction_module
from tests.conftest import codes
from tests.world import in_job

APPS = ("core", "accounts", "skills", "support", "staffing")
SAVE_FAILED = "保存できませんでした"


# --- the world and its snapshot --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(
        str(Path(folder, name).relative_to(root)) for folder, _d, names in os.walk(root) for name in names
    )


def snapshot() -> dict:
    """Row counts of every model of the apps a write touches, each request's state, and the files on disk."""
    counts = {
        model._meta.label: model._default_manager.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models()
    }
    states = list(SupportRequest.objects.order_by("pk").values_list("reference", "status", "priority"))
    return {"counts": counts, "states": states, "files": media_files()}


class Fault:
    """Replace `owner.attribute` with a wrapper that raises `error` on call number `on` (earlier calls go through)."""

    def __init__(self, monkeypatch, owner, attribute: str, *, on: int, error: Exception):
        self.original = getattr(owner, attribute)
        self.on, self.error, self.calls, self.at_failure = on, error, 0, None

        def wrapper(*args, **kwargs):  # a function, so that it binds as a method when `owner` is a class
            return self(*args, **kwargs)

        monkeypatch.setattr(owner, attribute, wrapper)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.on:
            self.at_failure = snapshot()
            raise self.error
        return self.original(*args, **kwargs)


def fault_on_audit(monkeypatch, on: int, error=None) -> Fault:
    """Every service records its audit event through core.audit.record → AuditEvent.save."""
    return Fault(monkeypatch, AuditEvent, "save", on=on, error=error or DatabaseError("audit insert failed"))


def assert_unchanged(before: dict, fault: Fault) -> None:
    assert fault.calls >= fault.on, "the fault was never reached"
    assert fault.at_failure != before, "nothing was written before the fault: not half-way"
    assert snapshot() == before


def post_from(client, page: str, url: str, data: dict):
    """POST as a browser does from `page` (it sends the page as Referer) and follow the answer."""
    return client.post(url, data, follow=True, HTTP_REFERER=f"http://testserver{page}")


def page_says_not_saved(response, page: str) -> None:
    """Back on the page the form was on, with the message and an error id (never a 500)."""
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"http://testserver{page}"
    text = response.content.decode()
    assert SAVE_FAILED in text and re.search(r"エラー ID: [0-9a-f]{12}", text)


def graphql_reports_error(gql_client, result: dict, field: str, fault: "Fault") -> None:
    """A 200 with the field null and a coded error; the exception's detail stays in the log."""
    assert gql_client.last_status < 500
    assert result.get("errors") and result["data"][field] is None and all(codes(result))
    assert str(fault.error) not in json.dumps(result, ensure_ascii=False)


# --- fixtures ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def category(db) -> RequestCategory:
    load_request_categories()
    return RequestCategory.objects.get(code="spec-review")


@pytest.fixture
def submitted(requester, category):
    return services.request_submit(
        actor=requester,
        title="仕様書の確認",
        description="確認してください。",
        category=category,
        phase="planning",
    )


@pytest.fixture
def staff_profile(ict_staff) -> StaffProfile:
    return StaffProfile.objects.create(user=ict_staff, capacity_hours_per_week=Decimal("20"))


@pytest.fixture
def make_triaged(requester, category, make_user):
    triager = make_user("triager@example.com", Role.ICT_STAFF, Role.ICT_MANAGER)

    def make(title="セキュリティ相談"):
        request = services.request_submit(
            actor=requester, title=title, description="説明", category=category, phase="planning"
        )
        return services.request_triage(actor=triager, request=request, accept=True, priority=2)

    return make


@pytest.fixture
def triaged(make_triaged):
    return make_triaged()


@pytest.fixture
def resolved(triaged, staff_profile, ict_staff, ict_manager):
    Assignment.objects.create(
        request=triaged, staff=staff_profile, role="lead", allocated_hours_per_week=4, assigned_by=ict_manager
    )
    request = services.request_change_status(actor=ict_staff, request=triaged, to_status=Status.IN_PROGRESS)
    return services.request_change_status(actor=ict_staff, request=request, to_status=Status.RESOLVED)


# --- submission with attachments ---------------------------------------------------------------------------------------


def submission(category, *files):
    return {
        "title": "Webサイト改修",
        "description": "アクセシビリティ対応",
        "category": category.pk,
        "phase": "planning",
        "contact": "内線 1",
        "files": list(files),
    }


def two_files():
    return [
        SimpleUploadedFile("spec.pdf", sample_bytes("pdf"), content_type="application/pdf"),
        SimpleUploadedFile("memo.txt", "メモ".encode(), content_type="text/plain"),
    ]


@pytest.mark.parametrize("seam", ["second file save", "second attachment audit"])
def test_submission_page_with_attachments(client_for, requester, category, monkeypatch, seam):
    before = snapshot()
    if seam == "second file save":  # the request row, its audit and the first file are written by then
        fault = Fault(monkeypatch, support_common, "save_upload", on=2, error=OSError("disk full"))
    else:  # audit events: request.submit, attachment.add (first), attachment.add (second) → both files on disk
        fault = fault_on_audit(monkeypatch, on=3)
    page = reverse("support:request_create")
    page_says_not_saved(
        post_from(client_for(requester), page, page, submission(category, *two_files())), page
    )
    assert_unchanged(before, fault)
    assert fault.at_failure["files"] != before["files"]  # a file was on disk when it broke, and is gone now


def test_submission_graphql(gql, requester, category, monkeypatch):
    before = snapshot()
    fault = fault_on_audit(monkeypatch, on=1)  # after the request row and its reference
    client = gql(requester)
    result = client.execute(
        """mutation { submitSupportRequest(title: "題", description: "説明", category: "spec-review",
        phase: PLANNING) { supportRequest { reference } errors { code } } }"""
    )
    graphql_reports_error(client, result, "submitSupportRequest", fault)
    assert_unchanged(before, fault)


def test_attachment_upload_page(client_for, requester, submitted, monkeypatch):
    """Adding a file to a filed request: the file is on disk and its row saved when the audit event fails."""
    before = snapshot()
    fault = fault_on_audit(monkeypatch, on=1)
    page = reverse("support:request_detail", args=[submitted.reference])
    response = post_from(
        client_for(requester),
        page,
        reverse("support:attachment_upload", args=[submitted.reference]),
        {"file": two_files()[0]},
    )
    page_says_not_saved(response, page)
    assert_unchanged(before, fault)
    assert fault.at_failure["files"] != before["files"]


# --- triage --------------------------------------------------------------------------------------------------------------


TRIAGE_FORM = {
    "decision": "accept",
    "priority": "3",
    "estimated_hours": "16",
    "reason": "",
    "skills-TOTAL_FORMS": "0",
    "skills-INITIAL_FORMS": "0",
}


@pytest.fixture
def skill(db):
    category = SkillCategory.objects.create(code="security", name="セキュリティ")
    return skills.services.skill_upsert(
        actor=None, code="cloud-arch", defaults={"name": "クラウド設計", "category": category}
    )[0]


@pytest.mark.parametrize("seam", ["required skills", "triage audit"])
def test_triage_page(client_for, ict_manager, submitted, skill, monkeypatch, seam):
    data = {
        **TRIAGE_FORM,
        "skills-TOTAL_FORMS": "1",
        "skills-0-skill": "cloud-arch",
        "skills-0-min_level": "3",
        "skills-0-weight": "2",
    }
    before = snapshot()
    if seam == "required skills":  # the status has moved (row, StatusChange, audit event); the skills fail
        fault = Fault(monkeypatch, RequiredSkill.objects, "bulk_create", on=1, error=DatabaseError("lost"))
    else:  # status moved and required skills written; the triage event fails
        fault = fault_on_audit(monkeypatch, on=2)
    page = reverse("support:request_triage", args=[submitted.reference])
    page_says_not_saved(post_from(client_for(ict_manager), page, page, data), page)
    assert_unchanged(before, fault)


def test_triage_graphql(gql, ict_manager, submitted, skill, monkeypatch):
    before = snapshot()
    fault = fault_on_audit(monkeypatch, on=2)
    client = gql(ict_manager)
    result = client.execute(
        """mutation($r: String!) { triageSupportRequest(reference: $r, accept: true, priority: HIGH,
        requiredSkills: [{skillCode: "cloud-arch", minLevel: 3}]) { supportRequest { status } errors { code } } }""",
        {"r": submitted.reference},
    )
    graphql_reports_error(client, result, "triageSupportRequest", fault)
    assert_unchanged(before, fault)


# --- assignment ------------------------------------------------------------------------------------------------------


def test_assignment_page(client_for, ict_manager, triaged, staff_profile, monkeypatch):
    before = snapshot()
    # the Assignment row, its audit event and the start of work are written; queuing the notification fails
    fault = Fault(monkeypatch, staffing_services, "_notify_assigned", on=1, error=RuntimeError("mail queue"))
    page = reverse("staffing:candidates", args=[triaged.reference])
    response = post_from(
        client_for(ict_manager),
        page,
        reverse("staffing:assign", args=[triaged.reference]),
        {"staff": staff_profile.pk, "role": "lead", "hours": "4"},
    )
    page_says_not_saved(response, page)
    assert_unchanged(before, fault)


def test_assignment_graphql(gql, ict_manager, triaged, staff_profile, monkeypatch):
    before = snapshot()
    fault = fault_on_audit(monkeypatch, on=1)  # after the Assignment row
    client = gql(ict_manager)
    result = client.execute(
        """mutation($r: ID!) { assignStaff(request: $r, staff: "staff@example.com", role: LEAD, hours: 4)
        { assignment { id } errors { code } } }""",
        {"r": triaged.reference},
    )
    graphql_reports_error(client, result, "assignStaff", fault)
    assert_unchanged(before, fault)


# --- backlog plan --------------------------------------------------------------------------------------------------------


@pytest.fixture
def plan(make_triaged, staff_profile, make_user):
    other = make_user("other-staff@example.com", Role.ICT_STAFF)
    second = StaffProfile.objects.create(user=other, capacity_hours_per_week=Decimal("20"))
    rows = [
        (make_triaged("一件目"), staff_profile),
        (make_triaged("二件目"), second),
        (make_triaged("三件目"), second),
    ]
    return rows


def backlog_form(rows) -> dict:
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": str(len(rows)), "confirm": "yes"}
    for i, (request, staff) in enumerate(rows):
        data.update(
            {f"rows-{i}-request": request.reference, f"rows-{i}-staff": str(staff.pk), f"rows-{i}-hours": "4"}
        )
    return data


def test_backlog_apply_page(client_for, ict_manager, plan, monkeypatch):
    before = snapshot()
    fault = Fault(monkeypatch, staffing_services, "assignment_create", on=2, error=DatabaseError("lost"))
    page = reverse("staffing:backlog_plan")
    page_says_not_saved(post_from(client_for(ict_manager), page, page, backlog_form(plan)), page)
    assert_unchanged(before, fault)


def test_backlog_apply_graphql(gql, ict_manager, plan, monkeypatch):
    before = snapshot()
    fault = Fault(monkeypatch, staffing_services, "assignment_create", on=2, error=DatabaseError("lost"))
    client = gql(ict_manager)
    items = [{"request": r.reference, "staff": s.user.email, "hours": 4} for r, s in plan]
    result = client.execute(
        """mutation($items: [BacklogPlanItemInput!]!) { applyBacklogPlan(items: $items)
        { assignments { id } errors { code } } }""",
        {"items": items},
    )
    graphql_reports_error(client, result, "applyBacklogPlan", fault)
    assert_unchanged(before, fault)


# --- satisfaction ----------------------------------------------------------------------------------------------------------


def test_satisfaction_page(client_for, requester, resolved, monkeypatch):
    before = snapshot()
    # the response row and its audit event are written; closing the request fails
    fault = Fault(monkeypatch, satisfaction_module, "_move", on=1, error=DatabaseError("lost"))
    page = reverse("support:request_detail", args=[resolved.reference])
    response = post_from(
        client_for(requester),
        page,
        reverse("support:satisfaction_create", args=[resolved.reference]),
        {"score": "4"},
    )
    page_says_not_saved(response, page)
    assert_unchanged(before, fault)


def test_satisfaction_graphql(gql, requester, resolved, monkeypatch):
    before = snapshot()
    fault = fault_on_audit(monkeypatch, on=2)  # satisfaction.submit written, request.status (closing) fails
    client = gql(requester)
    result = client.execute(
        """mutation($r: String!) { submitSatisfaction(reference: $r, score: 5) { supportRequest { status }
        errors { code } } }""",
        {"r": resolved.reference},
    )
    graphql_reports_error(client, result, "submitSatisfaction", fault)
    assert_unchanged(before, fault)


# --- imports: a middle row fails during confirm ----------------------------------------------------------------------------


def dry_run_then_confirm(
    client, fault: Fault, upload_url: str, confirm_url: str, form: dict, nth: int = 2
) -> tuple:
    """Upload (a dry-run job: it keeps the file and its job, and writes no rows), then confirm with the `nth` call of
    the faulty function in the real import (the write job) failing — by default the second row's write. Returns the
    snapshot taken after the dry run, and the write job's page."""
    preview = in_job(client, TestCase.captureOnCommitCallbacks, reverse(upload_url), form)
    token = re.search(r'name="token" value="(\w+)"', preview.content.decode())
    assert token, "the dry run refused the file"
    before = snapshot()
    fault.on = fault.calls + nth
    response = in_job(
        client, TestCase.captureOnCommitCallbacks, reverse(confirm_url), {"token": token.group(1)}
    )
    return before, response


def import_refused(response) -> None:
    """The write job's page says nothing was changed: a row's write was refused, or (a bulk write) the import failed;
    and it shows no success."""
    assert response.status_code == 200
    text = response.content.decode()
    with translation.override("ja"):
        told = [
            gettext("The import was refused; nothing was changed."),
            gettext("The import failed; nothing was changed."),
        ]
    assert any(message in text for message in told), text
    assert "alert-success" not in text


def assert_only_the_upload_was_kept(start: dict, before: dict, fault: Fault) -> None:
    """The upload added its job and kept its file, and nothing else; the failed write changed no row, and the kept
    file went with the finished job: the media folder is as it was before the upload."""
    grown = {k: n - start["counts"][k] for k, n in before["counts"].items() if n != start["counts"][k]}
    assert grown == {"core.Job": 1} and before["states"] == start["states"]
    assert len(before["files"]) == len(start["files"]) + 1
    assert_unchanged({**before, "files": start["files"]}, fault)


REQUEST_ROWS = (
    "title,description,organization_code,requester_email,category_code,phase,status,submitted_at\n"
    + "".join(
        f"過去の依頼{i},説明,131016,requester@example.com,spec-review,planning,closed,2023-06-0{i} 10:00\n"
        for i in (1, 2, 3)
    )
)


def test_support_request_import_confirm(client_for, ict_manager, requester, category, monkeypatch):
    client = client_for(ict_manager)
    start = snapshot()
    fault = Fault(monkeypatch, support.services, "request_import", on=0, error=DatabaseError("lost"))
    before, response = dry_run_then_confirm(
        client,
        fault,
        "support:request_import",
        "support:request_import_confirm",
        {"file": SimpleUploadedFile("requests.csv", REQUEST_ROWS.encode())},
    )
    import_refused(response)
    assert_only_the_upload_was_kept(start, before, fault)


@pytest.fixture
def skill_world(make_user, skill):
    for i in (1, 2, 3):
        user = make_user(f"pool{i}@example.com", Role.ICT_STAFF)
        StaffProfile.objects.create(user=user, capacity_hours_per_week=Decimal("20"))
    category = skill.category
    for code in ("data-1", "data-2"):
        skills.services.skill_upsert(actor=None, code=code, defaults={"name": code, "category": category})


# kind: (module, function whose `nth` call of the write fails, file)
SKILL_IMPORTS = {
    "staff": (
        skills.services,
        "staff_profile_upsert",
        2,
        "email,capacity_hours_per_week\n" + "".join(f"pool{i}@example.com,{10 + i}\n" for i in (1, 2, 3)),
    ),
    "skills": (
        skills.services,
        "skill_upsert",
        2,
        "code,name,category\n" + "".join(f"new-{i},新スキル{i},security\n" for i in (1, 2, 3)),
    ),
    # every row is checked first, then all are written in bulk: their audit events fail after the rows' INSERT
    "assessments": (
        skills.services.assessments,
        "record_many",
        1,
        "email,skill,level,source,status,assessed_on\n"
        + "".join(
            f"pool1@example.com,{code},3,manager,validated,2024-05-01\n"
            for code in ("cloud-arch", "data-1", "data-2")
        ),
    ),
    "certifications": (
        skills.services,
        "certification_add",
        2,
        "email,name,obtained_on\n" + "".join(f"pool1@example.com,資格{i},2024-0{i}-01\n" for i in (1, 2, 3)),
    ),
}


@pytest.mark.parametrize("kind", list(SKILL_IMPORTS))
def test_skills_import_confirm(client_for, admin_user, skill_world, monkeypatch, kind):
    owner, service, nth, rows = SKILL_IMPORTS[kind]
    client = client_for(admin_user)
    start = snapshot()
    fault = Fault(monkeypatch, owner, service, on=0, error=DatabaseError("lost"))
    before, response = dry_run_then_confirm(
        client,
        fault,
        "skills:import",
        "skills:import_confirm",
        {"kind": kind, "file": SimpleUploadedFile(f"{kind}.csv", rows.encode())},
        nth,
    )
    import_refused(response)
    assert_only_the_upload_was_kept(start, before, fault)


def test_a_read_after_a_failed_write_still_works(client_for, requester, category, monkeypatch):
    """The connection is usable after the rolled-back write: the next page loads."""
    fault_on_audit(monkeypatch, on=1)
    client = client_for(requester)
    client.post(reverse("support:request_create"), submission(category), follow=True)
    monkeypatch.undo()
    assert client.get(reverse("support:request_list")).status_code == 200


# --- the first request after the database dropped the connection (issue 10, class 4) -------------------------------------


def _drop_behind_djangos_back(how: str) -> None:
    if how == "closed":  # the socket went away on our side (a NAT or firewall timeout)
        connection.connection.close()
        return
    pid = connection.connection.info.backend_pid  # the server ended the session (restart, idle timeout)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def _served(path: str, cookies) -> int:
    """Serve one GET the way the production server does: through WSGIHandler, whose request_started and
    request_finished signals run close_old_connections (the test Client switches that off for its requests)."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookies.output(header="", sep=";").strip()
    )
    status = []
    response = WSGIHandler()(environ, lambda code, headers, exc_info=None: status.append(code))
    response.close()  # request_finished
    return int(status[0].split()[0])


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's is_usable() is always True, so no health check can notice a closed file handle; "
    "the persistent connections this protects exist on PostgreSQL (production and CI)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["closed", "terminated"])
def test_first_request_after_the_connection_was_dropped(requester, monkeypatch, how):
    """With persistent connections (CONN_MAX_AGE) a connection can die between two requests; CONN_HEALTH_CHECKS
    makes the next request notice and reconnect instead of answering 500."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]  # base settings; the test settings keep it
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()  # the next connection is opened with these settings
    try:
        client = Client()
        client.force_login(requester)
        page = reverse("support:request_list")
        assert _served(page, client.cookies) == 200
        assert connection.connection is not None  # kept open for the next request
        _drop_behind_djangos_back(how)
        assert _served(page, client.cookies) == 200
    finally:
        connection.close()


# --- how the page-level handler answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referer", "lands_on"),
    [
        ("http://testserver/requests/new/", "http://testserver/requests/new/"),
        ("https://evil.example/phish", "/"),  # never an open redirect
        (None, "/"),
    ],
    ids=["same-site", "other-site", "none"],
)
def test_write_failure_redirects_back_with_the_logged_error_id(
    client_for, requester, category, monkeypatch, caplog, referer, lands_on
):
    fault_on_audit(monkeypatch, on=1)
    extra = {"HTTP_REFERER": referer} if referer else {}
    response = client_for(requester).post(reverse("support:request_create"), submission(category), **extra)
    assert (response.status_code, response["Location"]) == (302, lands_on)
    [logged] = [r for r in caplog.records if r.name == "dxdesk.errors"]
    error_id = re.search(r"\[(\w+)\]", logged.getMessage()).group(1)
    assert logged.levelname == "ERROR" and logged.exc_info
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == [f"保存できませんでした。もう一度お試しください。（エラー ID: {error_id}）"]


def test_a_failing_read_is_not_turned_into_a_message(requester, monkeypatch):
    """GET errors are the 500 page's job (nothing was being saved): the handler leaves them alone."""
    Fault(monkeypatch, support_selectors, "request_list_for", on=1, error=DatabaseError("down"))
    client = Client(raise_request_exception=False)
    client.force_login(requester)
    assert client.get(reverse("support:request_list")).status_code == 500
