from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.audit import events_for
from staffing import services
from support.models import Assignment, AssignmentRole, Status


def _code(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


def test_assignment_create_saves_an_active_assignment(ict_manager, alice, request_a):
    assignment = services.assignment_create(
        actor=ict_manager, request=request_a, staff=alice, role=AssignmentRole.LEAD, hours=4
    )
    assert (assignment.released_at, assignment.allocated_hours_per_week, assignment.assigned_by) == (
        None,
        Decimal("4.0"),
        ict_manager,
    )


def test_assignment_create_records_an_audit_event(ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=4)
    assert [e.verb for e in events_for(assignment)] == ["assignment.create"]


def test_assignment_create_notifies_the_staff_member(
    ict_manager, alice, request_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=4)
    assert [m.to for m in mail.outbox if "alice@example.com" in m.to] == [["alice@example.com"]]


def test_assignment_create_refuses_over_capacity(ict_manager, alice, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=4)
    assert _code(caught.value) == "over_capacity"


def test_over_capacity_message_names_allocated_and_capacity(ict_manager, alice, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=4)
    message = " ".join(caught.value.messages)
    assert "8" in message and "10" in message


def test_over_capacity_refusal_writes_nothing(ict_manager, alice, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    with pytest.raises(ValidationError):
        services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=4)
    assert Assignment.objects.filter(staff=alice).count() == 1


def test_override_reason_allows_exceeding_capacity(ict_manager, alice, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    assignment = services.assignment_create(
        actor=ict_manager,
        request=make_request(),
        staff=alice,
        hours=4,
        override_reason="緊急のインシデント対応",
    )
    assert assignment.override_reason == "緊急のインシデント対応"


def test_override_is_audited_with_its_reason(ict_manager, alice, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    assignment = services.assignment_create(
        actor=ict_manager,
        request=make_request(),
        staff=alice,
        hours=4,
        override_reason="緊急のインシデント対応",
    )
    data = events_for(alice).get(verb="assignment.capacity_override").data
    assert (data["assignment_id"], data["capacity"], data["override_reason"]) == (
        assignment.pk,
        "10.0",
        "緊急のインシデント対応",
    )


def test_assignment_event_leaves_workload_out_of_the_request_timeline(ict_manager, alice, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    assignment = services.assignment_create(
        actor=ict_manager,
        request=make_request(),
        staff=alice,
        hours=4,
        override_reason="緊急のインシデント対応",
    )
    data = events_for(assignment).get(verb="assignment.create").data
    assert sorted(data) == ["request", "role", "staff", "staff_name"]


def test_override_reason_within_capacity_is_not_kept(ict_manager, alice, request_a):
    assignment = services.assignment_create(
        actor=ict_manager, request=request_a, staff=alice, hours=2, override_reason="念のため"
    )
    assert assignment.override_reason == ""


def test_released_hours_free_capacity(ict_manager, alice, make_request):
    first = services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    services.assignment_release(actor=ict_manager, assignment=first)
    second = services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=8)
    assert second.pk is not None


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN]
)
def test_assignment_create_refuses_a_request_not_being_worked_on(ict_manager, alice, make_request, status):
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(
            actor=ict_manager, request=make_request(status=status), staff=alice, hours=2
        )
    assert _code(caught.value) == "wrong_status"


@pytest.mark.parametrize("status", [Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER])
def test_assignment_create_accepts_requests_in_progress(ict_manager, alice, make_request, status):
    assignment = services.assignment_create(
        actor=ict_manager, request=make_request(status=status), staff=alice, hours=2
    )
    assert assignment.pk is not None


def test_assignment_create_refuses_a_duplicate_active_assignment(ict_manager, alice, request_a):
    services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    assert _code(caught.value) == "duplicate"


def test_assignment_create_allows_reassigning_after_release(ict_manager, alice, request_a):
    first = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    services.assignment_release(actor=ict_manager, assignment=first)
    again = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    assert again.pk != first.pk


def test_assignment_create_refuses_a_second_lead(ict_manager, alice, make_staff, request_a):
    bob = make_staff("bob@example.com", levels={"security": 3})
    services.assignment_create(actor=ict_manager, request=request_a, staff=alice, role="lead", hours=2)
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=request_a, staff=bob, role="lead", hours=2)
    assert _code(caught.value) == "lead_exists"


def test_assignment_create_refuses_an_inactive_profile(ict_manager, make_staff, request_a):
    retired = make_staff("retired@example.com", active=False)
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=request_a, staff=retired, hours=2)
    assert _code(caught.value) == "inactive_staff"


@pytest.mark.parametrize("hours", [0, -1, "abc", 81])
def test_assignment_create_refuses_bad_hours(ict_manager, alice, request_a, hours):
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=hours)
    assert _code(caught.value) == "invalid_hours"


def test_assignment_create_refuses_an_unknown_role(ict_manager, alice, request_a):
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(actor=ict_manager, request=request_a, staff=alice, role="boss", hours=2)
    assert _code(caught.value) == "invalid_role"


def test_assignment_create_refuses_a_non_manager(ict_staff, alice, request_a):
    with pytest.raises(PermissionDenied):
        services.assignment_create(actor=ict_staff, request=request_a, staff=alice, hours=2)


def test_assignment_release_sets_released_at(ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    released = services.assignment_release(actor=ict_manager, assignment=assignment)
    assert (released.released_at is not None, released.released_by) == (True, ict_manager)


def test_assignment_release_is_audited(ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    services.assignment_release(actor=ict_manager, assignment=assignment)
    assert [e.verb for e in events_for(assignment)] == ["assignment.create", "assignment.release"]


def test_assignment_release_twice_is_refused(ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    services.assignment_release(actor=ict_manager, assignment=assignment)
    with pytest.raises(ValidationError) as caught:
        services.assignment_release(actor=ict_manager, assignment=assignment)
    assert _code(caught.value) == "already_released"


def test_assignment_release_refuses_a_non_manager(ict_manager, ict_staff, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    with pytest.raises(PermissionDenied):
        services.assignment_release(actor=ict_staff, assignment=assignment)


# --- backlog plan apply: all or nothing ----------------------------------------------------------


def test_backlog_plan_apply_creates_a_lead_per_row(ict_manager, alice, make_staff, make_request):
    bob = make_staff("bob@example.com", levels={"security": 3})
    items = [
        services.PlanItem(request=make_request(), staff=alice, hours=4),
        services.PlanItem(request=make_request(), staff=bob, hours=4),
    ]
    created = services.backlog_plan_apply(actor=ict_manager, items=items)
    assert [a.role for a in created] == [AssignmentRole.LEAD, AssignmentRole.LEAD]


def test_backlog_plan_apply_writes_nothing_when_one_row_fails(ict_manager, alice, make_staff, make_request):
    bob = make_staff("bob@example.com", levels={"security": 3})
    items = [
        services.PlanItem(request=make_request(), staff=bob, hours=4),
        services.PlanItem(request=make_request(), staff=alice, hours=6),
        services.PlanItem(request=make_request(), staff=alice, hours=6),  # 12 > 10: over capacity
    ]
    with pytest.raises(ValidationError):
        services.backlog_plan_apply(actor=ict_manager, items=items)
    assert Assignment.objects.count() == 0


def test_backlog_plan_apply_names_the_failing_row(ict_manager, alice, make_request):
    items = [
        services.PlanItem(request=make_request(), staff=alice, hours=6),
        services.PlanItem(request=make_request(), staff=alice, hours=6),
    ]
    with pytest.raises(ValidationError) as caught:
        services.backlog_plan_apply(actor=ict_manager, items=items)
    assert list(caught.value.error_dict) == ["items.1"]


def test_backlog_plan_apply_refuses_a_request_twice(ict_manager, alice, make_staff, make_request):
    bob = make_staff("bob@example.com", levels={"security": 3})
    request = make_request()
    items = [
        services.PlanItem(request=request, staff=alice, hours=2),
        services.PlanItem(request=request, staff=bob, hours=2),
    ]
    with pytest.raises(ValidationError) as caught:
        services.backlog_plan_apply(actor=ict_manager, items=items)
    assert caught.value.error_dict["items.1"][0].code == "duplicate_row"


def test_backlog_plan_apply_refuses_an_empty_plan(ict_manager):
    with pytest.raises(ValidationError) as caught:
        services.backlog_plan_apply(actor=ict_manager, items=[])
    assert _code(caught.value) == "empty_plan"


def test_first_lead_starts_work_on_a_triaged_request(ict_manager, alice, request_a):
    services.assignment_create(actor=ict_manager, request=request_a, staff=alice, role="lead", hours=2)
    request_a.refresh_from_db()
    assert request_a.status == Status.IN_PROGRESS


def test_a_member_leaves_the_status_alone(ict_manager, alice, request_a):
    services.assignment_create(actor=ict_manager, request=request_a, staff=alice, role="member", hours=2)
    request_a.refresh_from_db()
    assert request_a.status == Status.TRIAGED
