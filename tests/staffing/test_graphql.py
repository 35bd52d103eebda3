import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from staffing import services
from support.models import Assignment
from tests.conftest import codes

CANDIDATES = """
query($request: ID!, $limit: Int, $includeFull: Boolean) {
  candidates(request: $request, limit: $limit, includeFull: $includeFull) {
    rank score hasRoom
    staff { email displayName jobType { code } }
    reasons { kind text level minLevel met pending certified skill { code name } }
  }
}"""
TEAM = """
query($request: ID!) {
  teamProposal(request: $request) { complete hoursPerWeek members { role staff { email } covers { code } } uncoveredSkills { code name } }
}"""
BACKLOG = "{ backlogPlan { totalFit items { request { reference } staff { email } fit hours } unassignedRequests { reference } } }"
WORKLOAD = "{ workload(first: 50) { totalCount edges { node { staff { email } capacity allocated load overCapacity } } } }"
MINE = "{ myAssignments(first: 10) { totalCount edges { node { role allocatedHoursPerWeek request { reference } } } } myLoad { allocated capacity load } }"
ASSIGN = """
mutation($request: ID!, $staff: ID!, $role: AssignmentRole, $hours: Float!, $reason: String) {
  assignStaff(request: $request, staff: $staff, role: $role, hours: $hours, overrideReason: $reason) {
    assignment { id role allocatedHoursPerWeek staff { email } request { reference } }
    errors { field code message }
  }
}"""
RELEASE = """
mutation($id: ID!) { releaseAssignment(assignment: $id) { assignment { releasedAt } errors { field code message } } }"""
APPLY = """
mutation($items: [BacklogPlanItemInput!]!) {
  applyBacklogPlan(items: $items) { assignments { request { reference } staff { email } } errors { field code message } }
}"""


@pytest.fixture
def alice(make_staff):
    return make_staff(
        "alice@example.com", capacity=10, levels={"security": 4}, certs={"security": "情報処理安全確保支援士"}
    )


def test_candidates_by_reference(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(CANDIDATES, {"request": request_a.reference})
    assert [c["staff"]["email"] for c in result["data"]["candidates"]] == ["alice@example.com"]


def test_candidates_by_global_id(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(CANDIDATES, {"request": to_global_id("SupportRequest", request_a.pk)})
    assert len(result["data"]["candidates"]) == 1


def test_candidates_carry_structured_reasons(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(CANDIDATES, {"request": request_a.reference})
    skill_reason = result["data"]["candidates"][0]["reasons"][0]
    assert skill_reason == {
        "kind": "skill",
        "text": "セキュリティ L4 ≥ 3 ✓",
        "level": 4,
        "minLevel": 3,
        "met": True,
        "pending": False,
        "certified": True,
        "skill": {"code": "security", "name": "セキュリティ"},
    }


@pytest.mark.parametrize("who", ["ict_staff", "hr_user", "requester"])
def test_candidates_are_forbidden_for_others(request, gql, request_a, who):
    result = gql(request.getfixturevalue(who)).execute(CANDIDATES, {"request": request_a.reference})
    assert codes(result) == ["FORBIDDEN"]


def test_candidates_need_sign_in(gql, request_a):
    assert codes(gql(None).execute(CANDIDATES, {"request": request_a.reference})) == ["UNAUTHENTICATED"]


def test_candidates_of_an_unknown_request_are_not_found(gql, ict_manager):
    assert codes(gql(ict_manager).execute(CANDIDATES, {"request": "DX-2025-9999"})) == ["NOT_FOUND"]


def test_candidates_limit_is_capped(gql, ict_manager, request_a):
    result = gql(ict_manager).execute(CANDIDATES, {"request": request_a.reference, "limit": 1000})
    assert codes(result) == ["PAGE_SIZE_TOO_LARGE"]


def test_candidates_query_count_is_constant(gql, ict_manager, make_staff, request_a):
    client = gql(ict_manager)
    for i in range(3):
        make_staff(f"p{i}@example.com", levels={"security": 4}, certs={"security": "支援士"})
    with CaptureQueriesContext(connection) as small:
        client.execute(CANDIDATES, {"request": request_a.reference, "limit": 100})
    for i in range(3, 30):
        make_staff(f"p{i}@example.com", levels={"security": 4}, certs={"security": "支援士"})
    with CaptureQueriesContext(connection) as large:
        result = client.execute(CANDIDATES, {"request": request_a.reference, "limit": 100})
    assert (len(result["data"]["candidates"]), len(large)) == (30, len(small))


def test_team_proposal_names_uncovered_skills(gql, ict_manager, alice, make_request):
    request = make_request(required=[("security", 3, False), ("cloud", 3, False)])
    result = gql(ict_manager).execute(TEAM, {"request": request.reference})
    assert result["data"]["teamProposal"] == {
        "complete": False,
        "hoursPerWeek": 4.0,
        "members": [
            {"role": "LEAD", "staff": {"email": "alice@example.com"}, "covers": [{"code": "security"}]}
        ],
        "uncoveredSkills": [{"code": "cloud", "name": "クラウド"}],
    }


def test_team_proposal_is_forbidden_for_ict_staff(gql, ict_staff, request_a):
    assert codes(gql(ict_staff).execute(TEAM, {"request": request_a.reference})) == ["FORBIDDEN"]


def test_backlog_plan_proposes_a_lead(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(BACKLOG)
    items = result["data"]["backlogPlan"]["items"]
    assert [(i["request"]["reference"], i["staff"]["email"]) for i in items] == [
        (request_a.reference, "alice@example.com")
    ]


def test_backlog_plan_is_forbidden_for_hr(gql, hr_user):
    assert codes(gql(hr_user).execute(BACKLOG)) == ["FORBIDDEN"]


def test_assign_staff(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(
        ASSIGN, {"request": request_a.reference, "staff": "alice@example.com", "role": "LEAD", "hours": 4}
    )
    assert result["data"]["assignStaff"]["assignment"]["role"] == "LEAD"


def test_assign_staff_over_capacity_returns_an_error(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(
        ASSIGN, {"request": request_a.reference, "staff": "alice@example.com", "hours": 12}
    )
    assert [(e["field"], e["code"]) for e in result["data"]["assignStaff"]["errors"]] == [
        ("hours", "over_capacity")
    ]


def test_assign_staff_with_override_reason(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(
        ASSIGN,
        {"request": request_a.reference, "staff": "alice@example.com", "hours": 12, "reason": "緊急対応"},
    )
    assert result["data"]["assignStaff"]["errors"] == []


def test_assign_staff_accepts_a_staff_global_id(gql, ict_manager, alice, request_a):
    result = gql(ict_manager).execute(
        ASSIGN, {"request": request_a.reference, "staff": to_global_id("StaffProfile", alice.pk), "hours": 2}
    )
    assert result["data"]["assignStaff"]["assignment"]["staff"]["email"] == "alice@example.com"


def test_assign_unknown_staff_is_not_found(gql, ict_manager, request_a):
    result = gql(ict_manager).execute(
        ASSIGN, {"request": request_a.reference, "staff": "nobody@example.com", "hours": 2}
    )
    assert codes(result) == ["NOT_FOUND"]


@pytest.mark.parametrize("who", ["ict_staff", "requester"])
def test_assign_staff_is_forbidden_for_others(request, gql, alice, request_a, who):
    result = gql(request.getfixturevalue(who)).execute(
        ASSIGN, {"request": request_a.reference, "staff": "alice@example.com", "hours": 2}
    )
    assert (codes(result), Assignment.objects.count()) == (["FORBIDDEN"], 0)


def test_release_assignment(gql, ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    result = gql(ict_manager).execute(RELEASE, {"id": to_global_id("Assignment", assignment.pk)})
    assert result["data"]["releaseAssignment"]["assignment"]["releasedAt"] is not None


def test_release_twice_returns_an_error(gql, ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    services.assignment_release(actor=ict_manager, assignment=assignment)
    result = gql(ict_manager).execute(RELEASE, {"id": to_global_id("Assignment", assignment.pk)})
    assert [e["code"] for e in result["data"]["releaseAssignment"]["errors"]] == ["already_released"]


def test_release_is_forbidden_for_ict_staff(gql, ict_manager, ict_staff, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    result = gql(ict_staff).execute(RELEASE, {"id": to_global_id("Assignment", assignment.pk)})
    assert codes(result) == ["FORBIDDEN"]


def test_apply_backlog_plan(gql, ict_manager, alice, make_staff, make_request):
    make_staff("bob@example.com", levels={"security": 3})
    first, second = make_request(), make_request()
    items = [
        {"request": first.reference, "staff": "alice@example.com", "hours": 4},
        {"request": second.reference, "staff": "bob@example.com", "hours": 4},
    ]
    result = gql(ict_manager).execute(APPLY, {"items": items})
    assert len(result["data"]["applyBacklogPlan"]["assignments"]) == 2


def test_apply_backlog_plan_is_all_or_nothing(gql, ict_manager, alice, make_request):
    first, second = make_request(), make_request()
    items = [
        {"request": first.reference, "staff": "alice@example.com", "hours": 6},
        {"request": second.reference, "staff": "alice@example.com", "hours": 6},
    ]
    result = gql(ict_manager).execute(APPLY, {"items": items})
    errors = result["data"]["applyBacklogPlan"]["errors"]
    assert ([(e["field"], e["code"]) for e in errors], Assignment.objects.count()) == (
        [("items.1", "over_capacity")],
        0,
    )


def test_apply_backlog_plan_names_an_unknown_row(gql, ict_manager, alice, make_request):
    items = [
        {"request": make_request().reference, "staff": "alice@example.com", "hours": 2},
        {"request": "DX-2025-9999", "staff": "alice@example.com", "hours": 2},
    ]
    result = gql(ict_manager).execute(APPLY, {"items": items})
    assert [(e["field"], e["code"]) for e in result["data"]["applyBacklogPlan"]["errors"]] == [
        ("items.1", "not_found")
    ]


def test_apply_backlog_plan_is_forbidden_for_ict_staff(gql, ict_staff, alice, request_a):
    items = [{"request": request_a.reference, "staff": "alice@example.com", "hours": 2}]
    assert codes(gql(ict_staff).execute(APPLY, {"items": items})) == ["FORBIDDEN"]


def test_workload(gql, ict_manager, alice, make_request):
    services.assignment_create(
        actor=ict_manager, request=make_request(), staff=alice, hours=12, override_reason="繁忙期"
    )
    result = gql(ict_manager).execute(WORKLOAD)
    nodes = result["data"]["workload"]["edges"]
    assert [n["node"] for n in nodes] == [
        {
            "staff": {"email": "alice@example.com"},
            "capacity": 10.0,
            "allocated": 12.0,
            "load": 1.2,
            "overCapacity": True,
        }
    ]


@pytest.mark.parametrize("who", ["ict_staff", "hr_user", "requester"])
def test_workload_is_forbidden_for_others(request, gql, who):
    assert codes(gql(request.getfixturevalue(who)).execute(WORKLOAD)) == ["FORBIDDEN"]


def test_workload_page_size_is_capped(gql, ict_manager):
    assert codes(gql(ict_manager).execute("{ workload(first: 500) { totalCount } }")) == [
        "PAGE_SIZE_TOO_LARGE"
    ]


def test_my_assignments_and_load(gql, ict_manager, ict_staff, own_staff, request_a):
    services.assignment_create(actor=ict_manager, request=request_a, staff=own_staff, hours=5)
    result = gql(ict_staff).execute(MINE)
    assert (result["data"]["myAssignments"]["totalCount"], result["data"]["myLoad"]["load"]) == (1, 0.25)


def test_my_assignments_are_forbidden_for_a_requester(gql, requester):
    assert codes(gql(requester).execute(MINE)) == ["FORBIDDEN", "FORBIDDEN"]


def test_my_assignments_query_count_is_constant(gql, ict_manager, ict_staff, own_staff, make_request):
    client = gql(ict_staff)
    services.assignment_create(actor=ict_manager, request=make_request(), staff=own_staff, hours=1)
    with CaptureQueriesContext(connection) as small:
        client.execute(MINE)
    for _ in range(4):
        services.assignment_create(actor=ict_manager, request=make_request(), staff=own_staff, hours=1)
    with CaptureQueriesContext(connection) as large:
        client.execute(MINE)
    assert len(large) == len(small)
