"""The backlog plan is exact where affordable (HiGHS MILP within a time limit) and otherwise says how far from the
optimum it can at most be (its proven gap)."""

import random

import pytest

from benchmarks.baselines import plan_backlog_exact
from benchmarks.matching_quality import generate_pool, generate_requests
from staffing.matching import Person, RequestSpec, Requirement, plan_backlog
from staffing.matching.exact import objective_value, plan_backlog_best


def _scarce(seed: int, people: int = 25, requests: int = 30):
    rng = random.Random(seed)
    return generate_requests(rng, requests), generate_pool(rng, people)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_when_staff_are_scarce_the_plan_is_the_exact_optimum(seed):
    requests, people = _scarce(seed)
    plan = plan_backlog_best(requests, people, time_limit=10)
    optimum = plan_backlog_exact(requests, people)
    assert plan.method == "exact" and plan.optimality_gap == pytest.approx(0.0, abs=1e-4)
    assert objective_value(plan, requests) >= objective_value(optimum, requests) * 0.9999
    assert objective_value(plan, requests) >= objective_value(plan_backlog(requests, people), requests) - 1e-9


def test_without_time_for_the_milp_the_heuristic_shows_its_proven_gap():
    requests, people = _scarce(7, people=120, requests=300)
    plan = plan_backlog_best(requests, people, time_limit=0)
    value = objective_value(plan, requests)
    assert plan.method in ("heuristic", "exact")
    assert plan.bound >= value - 1e-9
    assert plan.optimality_gap == pytest.approx((plan.bound - value) / plan.bound)


def test_two_requests_one_person_the_plan_takes_the_better_fit():
    def person(staff_id, level):
        return Person(staff_id=staff_id, name=str(staff_id), capacity=8, allocated=0, levels={1: level})

    requests = [
        RequestSpec(request_id=r, organization_id=1, requirements=(Requirement(1, 2),), hours_per_week=8)
        for r in (1, 2)
    ]
    plan = plan_backlog_best(requests, [person(10, 5)], time_limit=5)
    assert len(plan.assignments) == 1 and plan.method == "exact"
    assert plan.unassigned_request_ids in ((1,), (2,))


@pytest.mark.django_db
def test_the_manager_sees_how_the_plan_was_found(gql, client_for, ict_manager, make_staff, make_request):
    from django.urls import reverse

    make_staff("sec@example.com", levels={"security": 4})
    make_request(required=[("security", 3, True)])
    make_request(required=[("security", 2, False)])
    result = gql(ict_manager).execute("query { backlogPlan { method optimalityGap items { fit } } }")
    plan = result["data"]["backlogPlan"]
    assert (plan["method"], plan["optimalityGap"]) == ("exact", 0.0)
    page = client_for(ict_manager).get(reverse("staffing:backlog_plan")).content.decode()
    assert 'id="plan-quality"' in page
