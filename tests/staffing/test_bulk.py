"""Bulk actions of the request lists (staffing.bulk): managers assign a person to, change the priority of, or close
several requests at once — each row through its single-request service (history, notifications), per row in one
transaction: a row that cannot be changed is reported and left untouched, the others change together."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from core.models import AuditEvent
from staffing import bulk
from support.models import Assignment, AssignmentRole, Priority, Status, StatusChange, SupportRequest


def snapshot(requests):
    rows = SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).order_by("pk")
    return (
        [(r.status, r.priority) for r in rows],
        Assignment.objects.filter(request__in=requests).count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def three(make_request):
    return [make_request(title=f"依頼 {i}") for i in range(3)]


def test_manager_assigns_every_row_with_audit_and_mail(triager, three, own_staff):
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = bulk.requests_bulk_update(
            actor=triager, references=[r.reference for r in three], action="assign", staff=own_staff, hours=2
        )
    assert [row.ok for row in result.rows] == [True, True, True]
    leads = Assignment.objects.active().filter(staff=own_staff, role=AssignmentRole.LEAD)
    assert sorted(leads.values_list("request__reference", flat=True)) == sorted(r.reference for r in three)
    # as the single assignment: a lead on a triaged request starts the work, each with its own history
    assert set(
        SupportRequest.objects.filter(pk__in=[r.pk for r in three]).values_list("status", flat=True)
    ) == {Status.IN_PROGRESS}
    assert AuditEvent.objects.filter(verb="assignment.create").count() == 3
    assert AuditEvent.objects.filter(verb="requests.bulk_update").count() == 1
    assert sum("staff@example.com" in m.to for m in mail.outbox) == 3  # "you were assigned", once per request


def test_manager_changes_priority_and_closes(triager, make_request):
    open_ones = [make_request(), make_request()]
    result = bulk.requests_bulk_update(
        actor=triager,
        references=[r.reference for r in open_ones],
        action="priority",
        priority=Priority.URGENT,
    )
    assert len(result.done) == 2
    assert set(
        SupportRequest.objects.filter(pk__in=[r.pk for r in open_ones]).values_list("priority", flat=True)
    ) == {Priority.URGENT}
    assert AuditEvent.objects.filter(verb="request.update").count() == 2
    resolved = [make_request(status=Status.RESOLVED), make_request(status=Status.RESOLVED)]
    bulk.requests_bulk_update(
        actor=triager, references=[r.reference for r in resolved], action="close", note="一括"
    )
    assert StatusChange.objects.filter(to_status=Status.CLOSED, note="一括").count() == 2


def test_mixed_selection_reports_the_row_that_cannot_be_closed(triager, make_request):
    done = make_request(status=Status.RESOLVED)
    stuck = make_request(status=Status.IN_PROGRESS)
    before = AuditEvent.objects.filter(target_id=str(stuck.pk)).count()
    result = bulk.requests_bulk_update(
        actor=triager, references=[done.reference, stuck.reference, "DX-1999-0001"], action="close"
    )
    assert [(row.reference, row.ok) for row in result.rows] == [
        (done.reference, True),
        (stuck.reference, False),
        ("DX-1999-0001", False),
    ]
    assert result.rows[1].codes == ["invalid_transition"] and "対応中" in result.rows[1].messages[0]
    assert result.rows[2].codes == ["not_found"]
    stuck.refresh_from_db()
    done.refresh_from_db()
    assert (done.status, stuck.status) == (Status.CLOSED, Status.IN_PROGRESS)
    assert AuditEvent.objects.filter(target_id=str(stuck.pk)).count() == before  # nothing half-written


def test_dry_run_writes_nothing(triager, three, own_staff):
    before = snapshot(three)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = bulk.requests_bulk_update(
            actor=triager,
            references=[r.reference for r in three],
            action="assign",
            staff=own_staff,
            hours=2,
            dry_run=True,
        )
    assert len(result.done) == 3 and result.dry_run
    assert snapshot(three) == before and mail.outbox == []


@pytest.mark.parametrize("user_fixture", ["ict_staff", "requester", "hr_user"])
def test_refused_for_non_managers_with_nothing_changed(request, user_fixture, three):
    user = request.getfixturevalue(user_fixture)
    before = snapshot(three)
    with pytest.raises(PermissionDenied):
        bulk.requests_bulk_update(
            actor=user, references=[r.reference for r in three], action="priority", priority=3
        )
    assert snapshot(three) == before


def test_whole_call_refusals(triager, three):
    refs = [r.reference for r in three]
    for kwargs, code in (
        ({"references": refs, "action": "delete"}, "unknown_action"),
        ({"references": [], "action": "close"}, "empty_selection"),
        ({"references": [f"DX-2026-{i:04d}" for i in range(101)], "action": "close"}, "too_many_rows"),
        ({"references": refs, "action": "assign", "hours": 2}, "required"),
        ({"references": refs, "action": "priority"}, "required"),
    ):
        with pytest.raises(ValidationError) as refused:
            bulk.requests_bulk_update(actor=triager, **kwargs)
        assert code in [e.code for errors in refused.value.error_dict.values() for e in errors]


def test_page_confirms_then_applies(client_for, triager, make_request):
    resolved = [make_request(status=Status.RESOLVED) for _ in range(2)]
    stuck = make_request(status=Status.IN_PROGRESS)
    references = [r.reference for r in (*resolved, stuck)]
    client = client_for(triager)
    back = reverse("support:request_list") + "?status=resolved"
    page = client.post(
        reverse("staffing:request_bulk"), {"references": references, "action": "close", "next": back}
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert "2 件の依頼を完了にします" in content  # what will happen, before anything is written
    assert stuck.reference in content and "そのまま" in content
    assert SupportRequest.objects.filter(status=Status.CLOSED).count() == 0
    response = client.post(
        reverse("staffing:request_bulk"),
        {"references": references, "action": "close", "step": "confirm", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert SupportRequest.objects.filter(status=Status.CLOSED).count() == 2
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(stuck.reference in m for m in shown)


def test_page_asks_for_the_person_before_assigning(client_for, triager, three, own_staff):
    client = client_for(triager)
    references = [r.reference for r in three]
    page = client.post(reverse("staffing:request_bulk"), {"references": references, "action": "assign"})
    assert 'name="staff"' in page.content.decode() and "bulk-summary" not in page.content.decode()
    page = client.post(
        reverse("staffing:request_bulk"),
        {
            "references": references,
            "action": "assign",
            "staff": own_staff.pk,
            "role": "auto",
            "hours": "3",
            "step": "preview",
        },
    )
    assert "3 件の依頼に" in page.content.decode() and Assignment.objects.count() == 0


def test_page_refused_for_staff(client_for, ict_staff, three):
    before = snapshot(three)
    response = client_for(ict_staff).post(
        reverse("staffing:request_bulk"),
        {"references": [r.reference for r in three], "action": "close", "step": "confirm"},
    )
    assert response.status_code == 403 and snapshot(three) == before


def test_graphql_reports_each_row(gql, triager, ict_staff, make_request):
    ok = make_request(status=Status.RESOLVED)
    stuck = make_request(status=Status.TRIAGED)
    query = (
        "mutation ($refs: [String!]!) { bulkUpdateRequests(references: $refs, action: CLOSE) "
        "{ changedCount refusedCount results { reference ok errors { code } } errors { code } } }"
    )
    refused = gql(ict_staff).execute(query, {"refs": [ok.reference]})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert SupportRequest.objects.get(pk=ok.pk).status == Status.RESOLVED
    payload = gql(triager).execute(query, {"refs": [ok.reference, stuck.reference]})["data"][
        "bulkUpdateRequests"
    ]
    assert (payload["changedCount"], payload["refusedCount"], payload["errors"]) == (1, 1, [])
    assert payload["results"][1] == {
        "reference": stuck.reference,
        "ok": False,
        "errors": [{"code": "invalid_transition"}],
    }
    empty = gql(triager).execute(query, {"refs": []})["data"]["bulkUpdateRequests"]
    assert empty["errors"] == [{"code": "empty_selection"}]
