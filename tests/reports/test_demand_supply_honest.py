"""Demand versus supply an HR officer can act on: demand from effort logged, estimates and the category's typical
effort; supply where each free hour serves one skill only, so the report says which skills are short and by how
much. The world: tests/reports/conftest.py and the demand world of test_skill_coverage."""

import datetime as dt
import math
from decimal import Decimal

import pytest

from reports.demand_supply import DEFAULT_REQUEST_HOURS, FULL_TIME_HOURS_PER_WEEK, skill_demand_supply_for
from support.models import EffortLog, SupportRequest
from tests.reports import test_skill_coverage
from tests.reports.conftest import jst
from tests.reports.test_skill_coverage import TODAY, cells

Q1_WEEKS = 62 / 5  # business days of Q1 FY2025 ÷ 5


@pytest.fixture
def world(db, request):
    """The demand world of test_skill_coverage."""
    return request.getfixturevalue("demand_world")


demand_world = test_skill_coverage.demand_world  # the fixture, for `world`


def _log(request, staff, hours):
    EffortLog.objects.create(
        request=request, staff=staff, worked_on=dt.date(2025, 4, 10), hours=Decimal(hours)
    )


def test_effort_logged_counts_instead_of_the_estimate(world, hr_user):
    q1 = SupportRequest.objects.filter(fiscal_year=2025).order_by("submitted_at").first()
    _log(q1, world["p1"], "25")
    _log(q1, world["p2"], "15")  # 40 h logged against an estimate of 30
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    assert (c[("skill-a", 1)].demand_hours, c[("skill-b", 1)].demand_hours) == (20.0, 20.0)


def test_a_request_without_estimate_counts_its_categorys_typical_effort(
    world,
    hr_user,
    requesters,
    categories,
    requests_factory,
):
    s = world["skills"]
    no_estimate = requests_factory.file(
        requesters["ward"], category=categories["web"], phase="planning", submitted=jst(2025, 10, 1, 9),
        first=jst(2025, 10, 2, 9), skills=[(s["c"], 2)],
    )  # fmt: skip
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    assert (
        c[("skill-c", 3)].demand_hours == DEFAULT_REQUEST_HOURS
    )  # nobody logged effort on a web request yet
    past = requests_factory.file(
        requesters["ward"], category=categories["web"], phase="planning", submitted=jst(2024, 10, 1, 9),
        first=jst(2024, 10, 2, 9), skills=[(s["c"], 2)], hours="99",
    )  # fmt: skip
    _log(past, world["p3"], "12")
    _log(past, world["p4"], "24")
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    assert (
        c[("skill-c", 3)].demand_hours == 36.0
    )  # the category's typical effort: 36 h logged on its one request
    assert no_estimate.estimated_hours is None


def test_a_short_skill_shows_its_shortfall_in_hours_and_people(
    world,
    hr_user,
    requesters,
    categories,
    requests_factory,
):
    s = world["skills"]
    requests_factory.file(
        requesters["ward"], category=categories["security"], phase="planning", submitted=jst(2025, 5, 1, 9),
        first=jst(2025, 5, 2, 9), hours="5000", skills=[(s["c"], 2)],
    )  # fmt: skip
    report = skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY)
    c = cells(report)
    # Skill c at level ≥ 2: P3, P4 and P5 (20 free hours a week each); P1 and P2 meet skills a and b's demand, so
    # all of P3–P5's hours go to c: 60 h × 62 / 5 = 744 h, and 4,256 h stay short.
    row = c[("skill-c", 1)]
    assert (row.allocated_hours, row.shortfall_hours) == (744.0, 4256.0)
    assert row.short_people == math.ceil(4256 / (FULL_TIME_HOURS_PER_WEEK * Q1_WEEKS))
    assert (c[("skill-a", 1)].shortfall_hours, c[("skill-b", 1)].shortfall_hours) == (0.0, 0.0)
    # The hours allocated in a quarter never exceed the pool's free hours (5 people × 20 h), unlike the supply
    # figures, which count a person once per skill they can do.
    q1 = [r for r in report.rows if r.quarter == 1]
    assert sum(r.allocated_hours for r in q1) <= 100 * Q1_WEEKS + 0.5
    assert sum(r.supply_hours for r in q1) > 100 * Q1_WEEKS
