"""Every transition of DESIGN.md §4, allowed and refused, for every kind of actor."""

import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from support import lifecycle
from support.models import Status, SupportRequest

S = Status
# The specification, written out independently of support.lifecycle: (from, to, actor) that are allowed.
SPEC = {
    (S.SUBMITTED, S.TRIAGED, "manager"),
    (S.SUBMITTED, S.REJECTED, "manager"),
    (S.SUBMITTED, S.WITHDRAWN, "requester"),
    (S.TRIAGED, S.IN_PROGRESS, "manager"),
    (S.TRIAGED, S.IN_PROGRESS, "assigned_staff"),
    (S.TRIAGED, S.REJECTED, "manager"),
    (S.TRIAGED, S.WITHDRAWN, "requester"),
    (S.IN_PROGRESS, S.WAITING_ON_REQUESTER, "manager"),
    (S.IN_PROGRESS, S.WAITING_ON_REQUESTER, "assigned_staff"),
    (S.IN_PROGRESS, S.RESOLVED, "manager"),
    (S.IN_PROGRESS, S.RESOLVED, "assigned_staff"),
    (S.WAITING_ON_REQUESTER, S.IN_PROGRESS, "manager"),
    (S.WAITING_ON_REQUESTER, S.IN_PROGRESS, "assigned_staff"),
    (S.WAITING_ON_REQUESTER, S.IN_PROGRESS, "requester"),
    (S.WAITING_ON_REQUESTER, S.RESOLVED, "manager"),
    (S.WAITING_ON_REQUESTER, S.RESOLVED, "assigned_staff"),
    (S.RESOLVED, S.IN_PROGRESS, "manager"),
    (S.RESOLVED, S.IN_PROGRESS, "assigned_staff"),
    (S.RESOLVED, S.IN_PROGRESS, "requester"),
    (S.RESOLVED, S.CLOSED, "manager"),
    (S.RESOLVED, S.CLOSED, "assigned_staff"),
    (S.RESOLVED, S.CLOSED, "requester"),
    (S.RESOLVED, S.CLOSED, "system"),
}
ACTORS = ("requester", "other_requester", "unassigned_staff", "assigned_staff", "manager", "hr", "system")
PAIRS = list(itertools.product(Status.values, Status.values))


@pytest.fixture
def people(requester, other_requester, ict_staff, make_user, ict_manager, hr_user):
    assigned = make_user("assigned@example.com", "ict_staff")
    return {
        "requester": requester,
        "other_requester": other_requester,
        "unassigned_staff": ict_staff,
        "assigned_staff": assigned,
        "manager": ict_manager,
        "hr": hr_user,
        "system": None,
    }


def request_in(status, people, ward) -> SupportRequest:
    request = SupportRequest(reference="DX-2026-9999", status=status, organization=ward)
    assignment = SimpleNamespace(staff=SimpleNamespace(user_id=people["assigned_staff"].pk))
    request.active_assignments = [assignment]
    return request


@pytest.mark.parametrize("actor", ACTORS)
def test_transition_matrix(actor, people, ward):
    """All 64 (from, to) pairs for this actor: allowed exactly when the specification says so."""
    mismatches = []
    for from_status, to_status in PAIRS:
        request = request_in(from_status, people, ward)
        note = "理由" if to_status == S.REJECTED else ""
        expected = (from_status, to_status, actor) in SPEC
        try:
            lifecycle.check_transition(people[actor], request, to_status, note=note)
            allowed = True
        except ValidationError:
            allowed = False
        if allowed is not expected:
            mismatches.append((from_status, to_status, allowed))
    assert mismatches == []


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor", "code"),
    [
        (S.SUBMITTED, S.SUBMITTED, "manager", "same_status"),
        (S.CLOSED, S.IN_PROGRESS, "manager", "terminal_status"),
        (S.REJECTED, S.TRIAGED, "manager", "terminal_status"),
        (S.WITHDRAWN, S.SUBMITTED, "requester", "terminal_status"),
        (S.SUBMITTED, S.RESOLVED, "manager", "invalid_transition"),
        (S.TRIAGED, S.CLOSED, "manager", "invalid_transition"),
        (S.IN_PROGRESS, S.WITHDRAWN, "requester", "invalid_transition"),
        (S.SUBMITTED, S.TRIAGED, "requester", "transition_not_permitted"),
        (S.TRIAGED, S.IN_PROGRESS, "unassigned_staff", "transition_not_permitted"),
        (S.RESOLVED, S.CLOSED, "other_requester", "transition_not_permitted"),
    ],
)
def test_refused_transition_has_specific_code(from_status, to_status, actor, code, people, ward):
    request = request_in(from_status, people, ward)
    with pytest.raises(ValidationError) as caught:
        lifecycle.check_transition(people[actor], request, to_status)
    assert [e.code for e in caught.value.error_dict["status"]] == [code]


def test_unknown_status_is_refused(people, ward):
    with pytest.raises(ValidationError) as caught:
        lifecycle.check_transition(people["manager"], request_in(S.SUBMITTED, people, ward), "done")
    assert caught.value.error_dict["status"][0].code == "unknown_status"


def test_rejection_needs_a_reason(people, ward):
    with pytest.raises(ValidationError) as caught:
        lifecycle.check_transition(
            people["manager"], request_in(S.SUBMITTED, people, ward), S.REJECTED, note=" "
        )
    assert caught.value.error_dict["note"][0].code == "reason_required"


def test_refusal_message_names_both_statuses(people, ward):
    with pytest.raises(ValidationError) as caught:
        lifecycle.check_transition(people["manager"], request_in(S.SUBMITTED, people, ward), S.RESOLVED)
    with translation.override("en"):
        message = caught.value.messages[0]
    assert "“Submitted” to “Resolved”" in message


def test_allowed_targets_for_assigned_staff(people, ward):
    request = request_in(S.IN_PROGRESS, people, ward)
    assert lifecycle.allowed_targets(people["assigned_staff"], request) == [
        S.WAITING_ON_REQUESTER,
        S.RESOLVED,
    ]


def test_refusal_message_is_translated(people, ward):
    with pytest.raises(ValidationError) as caught:
        lifecycle.check_transition(people["manager"], request_in(S.SUBMITTED, people, ward), S.RESOLVED)
    with translation.override("ja"):
        message = caught.value.messages[0]
    assert message == "依頼を「受付済」から「解決済」にすることはできません。"
