"""The backlog plan counts free hours within each request's own period (start → due date, business days with
Japanese holidays), not one fixed window: requests in different periods can use the same person's hours, and leave
in a request's period takes the person out of it."""

import datetime as dt
import random

import numpy as np
import pytest

from benchmarks.baselines import plan_backlog_exact
from benchmarks.matching_quality import generate_periods, generate_pool, generate_requests
from staffing import absences, availability
from staffing.matching import Periods, Person, RequestSpec, Requirement, plan_backlog
from staffing.matching.exact import objective_value, plan_backlog_best
from staffing.models import Absence, AbsenceKind
from support.models import SupportRequest

D = dt.date


def _person(staff_id=10, capacity=8.0):
    return Person(staff_id=staff_id, name=str(staff_id), capacity=capacity, allocated=0, levels={1: 4})


def _request(request_id, hours=8.0):
    return RequestSpec(
        request_id=request_id, organization_id=1, requirements=(Requirement(1, 2),), hours_per_week=hours
    )


def test_two_requests_in_different_weeks_both_use_the_same_persons_hours():
    # One person free 8 h/week; request 1 runs in weeks 1–2, request 2 in weeks 3–4, each 8 h/week.
    requests, people = [_request(1), _request(2)], [_person()]
    periods = Periods(
        need=np.array([[8.0, 8.0, 0.0, 0.0], [0.0, 0.0, 8.0, 8.0]]),
        room=np.array([[8.0, 8.0, 8.0, 8.0]]),
        days=np.full(4, 5.0),
    )
    assert len(plan_backlog(requests, people, periods=periods).assignments) == 2
    best = plan_backlog_best(requests, people, periods=periods, time_limit=5)
    assert {a.request_id for a in best.assignments} == {1, 2} and best.method == "exact"
    # With one flat weekly figure (no periods), the two would compete for the same 8 hours.
    assert len(plan_backlog(requests, people).assignments) == 1


def test_overlapping_periods_still_compete_for_the_same_hours():
    requests, people = [_request(1), _request(2)], [_person()]
    periods = Periods(
        need=np.array([[8.0, 8.0, 0.0], [0.0, 8.0, 8.0]]),
        room=np.array([[8.0, 8.0, 8.0]]),
        days=np.full(3, 5.0),
    )
    plan = plan_backlog_best(requests, people, periods=periods, time_limit=5)
    assert len(plan.assignments) == 1 and len(plan.unassigned_request_ids) == 1


@pytest.mark.django_db
def test_a_requests_period_is_cut_at_weeks_and_needs_hours_only_on_its_business_days():
    # 27 April – 8 May 2026 holds Golden Week (29 April, 4–6 May): 6 business days, not 10.
    periods, allocated = availability.plan_periods([], [(10.0, D(2026, 4, 27), D(2026, 5, 8))])
    assert list(periods.days) == [6.0]  # one period, one slice
    assert periods.need.sum() == pytest.approx(10.0 / 5 * 6)
    assert availability.slices_of([(D(2026, 6, 3), D(2026, 6, 12)), (D(2026, 6, 22), D(2026, 6, 26))]) == [
        (D(2026, 6, 3), D(2026, 6, 14)),
        (D(2026, 6, 15), D(2026, 6, 21)),
        (D(2026, 6, 22), D(2026, 6, 28)),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_scarce_instances_with_periods_the_plan_is_within_half_a_percent_of_the_optimum(seed):
    rng = random.Random(seed)
    requests, people = generate_requests(rng, 40), generate_pool(rng, 20)
    periods = generate_periods(rng, requests, people, weeks=8)
    optimum = objective_value(plan_backlog_exact(requests, people, periods=periods), requests)
    plan = plan_backlog_best(requests, people, periods=periods, time_limit=10)
    assert objective_value(plan, requests) >= 0.995 * optimum or plan.optimality_gap is not None
    assert objective_value(plan, requests) >= 0.995 * optimum


@pytest.mark.django_db
def test_the_managers_plan_staffs_two_requests_in_different_months_with_one_person(
    make_request, make_staff, ict_manager
):
    from staffing import selectors

    june = make_request(required=[("security", 2, False)], title="6月の相談")
    september = make_request(required=[("security", 2, False)], title="9月の相談")
    SupportRequest.objects.filter(pk=june.pk).update(
        desired_start=D(2027, 6, 1), due_date=D(2027, 6, 25), estimated_hours=60
    )
    SupportRequest.objects.filter(pk=september.pk).update(
        desired_start=D(2027, 9, 1), due_date=D(2027, 9, 24), estimated_hours=60
    )
    make_staff("only@example.com", capacity=20, levels={"security": 4})
    plan = selectors.backlog_plan_for(ict_manager)
    assert {row.request.title: row.staff and row.staff.user.email for row in plan.rows} == {
        "6月の相談": "only@example.com",
        "9月の相談": "only@example.com",
    }
    assert all(row.hours > 10 for row in plan.rows)  # each more than half of the 20 h/week


@pytest.mark.django_db
def test_leave_in_one_requests_period_leaves_the_person_for_the_other(make_request, make_staff, ict_manager):
    from staffing import selectors

    june = make_request(required=[("security", 2, False)], title="6月の相談")
    september = make_request(required=[("security", 2, False)], title="9月の相談")
    SupportRequest.objects.filter(pk=june.pk).update(desired_start=D(2027, 6, 1), due_date=D(2027, 6, 25))
    SupportRequest.objects.filter(pk=september.pk).update(
        desired_start=D(2027, 9, 1), due_date=D(2027, 9, 24)
    )
    person = make_staff("only@example.com", capacity=20, levels={"security": 4})
    absences.absence_save(
        actor=ict_manager,
        absence=Absence(
            staff=person, starts_on=D(2027, 6, 1), ends_on=D(2027, 6, 25), kind=AbsenceKind.TRAINING
        ),
    )
    plan = selectors.backlog_plan_for(ict_manager)
    assert {row.request.title: row.staff and row.staff.user.email for row in plan.rows} == {
        "6月の相談": None,
        "9月の相談": "only@example.com",
    }


@pytest.mark.django_db
def test_the_plans_free_hours_per_slice_are_the_availability_of_each_slice(make_staff, ict_manager):
    person = make_staff("p@example.com", capacity=30)
    absences.absence_save(
        actor=ict_manager,
        absence=Absence(
            staff=person, starts_on=D(2027, 4, 28), ends_on=D(2027, 5, 7), kind=AbsenceKind.LEAVE
        ),
    )
    requests = [(10.0, D(2027, 4, 19), D(2027, 5, 14)), (4.0, D(2027, 5, 3), D(2027, 6, 11))]
    periods, _allocated = availability.plan_periods([(person.pk, 30)], requests)
    slices = availability.slices_of([(s, e) for _h, s, e in requests])
    calendars = availability.Calendars.read([person.pk], slices[0][0], slices[-1][1])
    assert list(periods.room[0]) == pytest.approx([calendars.of(person.pk, 30, s, e).free for s, e in slices])
    assert list(periods.need[1]) == pytest.approx(
        [4.0 / 5 * availability._overlap_days(D(2027, 5, 3), D(2027, 6, 11), s, e) for s, e in slices]
    )
