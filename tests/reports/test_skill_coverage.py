"""HR's skill coverage, demand versus supply and reskilling against a hand-made world (tests/reports/conftest.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.coverage import skill_coverage_for
from reports.demand_supply import skill_demand_supply_for
from reports.reskilling import reskilling_candidates_for
from skills import services as skill_services
from tests.reports.conftest import jst

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def q1(coverage_world, hr_user):
    return skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, today=TODAY)


def overall(report):
    return {row.skill.code: row.at_least for row in report.overall}


def test_heat_map_counts_people_at_or_above_each_level(q1):
    assert overall(q1) == {
        "skill-a": [4, 3, 2, 1, 0],  # p1 4, p2 3 (manager adjusted a self 4), p3 2, p5 1
        "skill-b": [2, 2, 1, 0, 0],  # p1 2 (validated self), p2 3; p4's August rating is after the quarter
        "skill-c": [3, 3, 1, 0, 0],  # p3 3, p4 2, p5 2
        "skill-d": [0, 0, 0, 0, 0],  # p4's self-assessment is still pending
    }


def test_heat_map_by_job_type(q1, coverage_world):
    heat = {(row.group_key, row.skill.code): row.at_least for row in q1.heat}
    assert (heat[("pm", "skill-a")], heat[("sec", "skill-c")], heat[("none", "skill-c")]) == (
        [2, 2, 2, 1, 0],
        [2, 2, 1, 0, 0],
        [1, 1, 0, 0, 0],
    )


def test_heat_map_by_organisation(coverage_world, hr_user):
    report = skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, group_by="organization", today=TODAY)
    heat = {(row.group_key, row.skill.code): row.at_least[2] for row in report.heat}
    assert (heat[("B-DIGITAL", "skill-a")], heat[("B-DIGITAL-01", "skill-c")]) == (2, 1)


def test_staff_count(q1):
    assert q1.staff_count == 5


def test_gaps_against_target_profiles(q1):
    assert [
        (g.job_type_code, g.skill.code, g.target_level, g.people, g.meeting, g.share) for g in q1.gaps
    ] == [
        ("pm", "skill-a", 3, 2, 2, 1.0),
        ("pm", "skill-b", 2, 2, 2, 1.0),
        ("sec", "skill-c", 3, 2, 1, 0.5),
    ]


def test_single_points_of_failure(q1):
    assert [(item.skill.code, item.holders) for item in q1.single_points_of_failure] == [
        ("skill-d", 0),
        ("skill-b", 1),
        ("skill-c", 1),
    ]


def test_truck_factor_over_essential_skills(q1):
    assert (q1.truck_factor, [skill.code for skill in q1.truck_factor_skills]) == (1, ["skill-c"])


def test_truck_factor_without_essential_targets_uses_every_skill(coverage_world, hr_user, admin_user):
    from skills.models import TargetSkill

    for target in TargetSkill.objects.all():
        skill_services.target_skill_remove(actor=admin_user, target=target)
    report = skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, today=TODAY)
    assert (report.truck_factor, [skill.code for skill in report.truck_factor_skills]) == (0, ["skill-d"])


def test_certifications_expiring_within_90_days(q1):
    assert [(c.name, c.days_left) for c in q1.expiring_certifications] == [("情報処理安全確保支援士", 46)]


def test_self_versus_manager_gaps_largest_first(q1):
    assert [(g.email, g.skill.code, g.self_level, g.manager_level, g.gap) for g in q1.rating_gaps] == [
        ("p5@example.com", "skill-a", 3, 1, 2),
        ("p2@example.com", "skill-a", 4, 3, 1),
        ("p3@example.com", "skill-c", 2, 3, -1),
    ]


def test_rating_gap_count(q1):
    assert q1.rating_gap_count == 3


def test_reskilling_preview_for_scarce_skills(q1):
    preview = {item.skill.code: [c.email for c in item.candidates] for item in q1.reskilling}
    assert preview == {
        "skill-d": [],
        "skill-b": ["p1@example.com"],
        "skill-c": ["p4@example.com", "p5@example.com"],
    }


def test_reskilling_candidates_want_to_learn_first(coverage_world, hr_user):
    _skill, candidates = reskilling_candidates_for(hr_user, skill_code="skill-c", today=TODAY)
    assert [(c.email, c.current_level, c.wants_to_learn) for c in candidates] == [
        ("p4@example.com", 2, True),
        ("p5@example.com", 2, False),
    ]


def test_reskilling_candidates_for_an_unknown_skill(coverage_world, hr_user):
    assert reskilling_candidates_for(hr_user, skill_code="nope") == (None, [])


def test_trend_of_people_at_level_3_over_eight_quarters(q1):
    assert [(point.fiscal_year, point.quarter, point.pairs) for point in q1.trend] == [
        (2023, 2, 0),
        (2023, 3, 0),
        (2023, 4, 0),
        (2024, 1, 1),  # p1 skill a L4 from 1 May 2024
        (2024, 2, 1),
        (2024, 3, 1),
        (2024, 4, 1),
        (2025, 1, 4),  # p1 a, p2 a, p2 b, p3 c
    ]


def test_trend_by_skill(q1):
    series = {skill.code: values for skill, values in q1.trend_by_skill}
    assert series["skill-a"] == [0, 0, 0, 1, 1, 1, 1, 2]


def test_brand_new_installation_is_empty(hr_user):
    assert skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, today=TODAY).is_empty


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_others_may_not_see_skill_coverage(request, fixture):
    with pytest.raises(PermissionDenied):
        skill_coverage_for(request.getfixturevalue(fixture), fiscal_year=2025, quarter=1)


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_others_may_not_see_demand_and_supply(request, fixture):
    with pytest.raises(PermissionDenied):
        skill_demand_supply_for(request.getfixturevalue(fixture), fiscal_year=2025)


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_others_may_not_see_reskilling_candidates(request, fixture):
    with pytest.raises(PermissionDenied):
        reskilling_candidates_for(request.getfixturevalue(fixture), skill_code="skill-a")


@pytest.mark.parametrize("fixture", ["ict_manager", "admin_user"])
def test_managers_and_admins_see_skill_coverage(request, fixture):
    assert skill_coverage_for(request.getfixturevalue(fixture), fiscal_year=2025, quarter=1).staff_count == 0


# --- demand versus supply ----------------------------------------------------------------------------------------


@pytest.fixture
def demand_world(coverage_world, requesters, categories, requests_factory):
    s = coverage_world["skills"]
    f = requests_factory
    # Q1: 30 h over skills a (min 3) and b (min 2) → 15 h each
    f.file(
        requesters["ward"], category=categories["spec"], phase="planning", submitted=jst(2025, 4, 1, 9),
        first=jst(2025, 4, 2, 9), hours="30", skills=[(s["a"], 3), (s["b"], 2)],
    )  # fmt: skip
    # Q2: 10 h on skill a (min 2), submitted at 00:30 on 1 July Tokyo time
    f.file(
        requesters["ward"], category=categories["spec"], phase="planning", submitted=jst(2025, 7, 1, 0, 30),
        first=jst(2025, 7, 2, 9), hours="10", skills=[(s["a"], 2)],
    )  # fmt: skip
    # FY2024: not this year
    f.file(
        requesters["ward"], category=categories["spec"], phase="planning", submitted=jst(2025, 3, 31, 23),
        first=jst(2025, 4, 2, 9), hours="99", skills=[(s["a"], 1)],
    )  # fmt: skip
    return coverage_world


def cells(report):
    return {(row.skill.code, row.quarter): row for row in report.rows}


def test_demand_spreads_estimated_hours_over_required_skills(demand_world, hr_user):
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    assert [
        c[key].demand_hours for key in (("skill-a", 1), ("skill-b", 1), ("skill-a", 2), ("skill-c", 1))
    ] == [
        15.0,
        15.0,
        10.0,
        0.0,
    ]


def test_supply_threshold_is_the_lowest_level_asked(demand_world, hr_user):
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    assert (c[("skill-a", 1)].threshold, c[("skill-b", 1)].threshold, c[("skill-c", 1)].threshold) == (
        2,
        2,
        3,
    )


def test_supply_is_free_weekly_hours_of_able_people_over_business_weeks(demand_world, hr_user):
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    # skill a at ≥ 2: p1, p2, p3 (20 h free each) = 60 h/week; Q1 FY2025 has 62 business days (21 + 20 + 21)
    assert (c[("skill-a", 1)].able_people, c[("skill-a", 1)].supply_hours) == (3, 744.0)


def test_supply_subtracts_active_assignments(demand_world, hr_user, ict_manager):
    from staffing.services import assignment_create
    from support.models import SupportRequest

    request = SupportRequest.objects.filter(fiscal_year=2025).order_by("submitted_at").first()
    assignment_create(actor=ict_manager, request=request, staff=demand_world["p3"], hours=Decimal("15"))
    c = cells(skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY))
    assert c[("skill-a", 1)].supply_hours == 45 * 62 / 5


def test_demand_supply_query_count_is_constant(
    demand_world, hr_user, requesters, categories, requests_factory
):
    from accounts.roles import roles_of

    roles_of(hr_user)
    with CaptureQueriesContext(connection) as small:
        skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY)
    s = demand_world["skills"]
    for day in range(1, 6):
        requests_factory.file(
            requesters["city"], category=categories["web"], phase="planning", submitted=jst(2025, 10, day, 9),
            first=jst(2025, 10, day, 12), hours="8", skills=[(s["c"], 2), (s["d"], 3)],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        skill_demand_supply_for(hr_user, fiscal_year=2025, today=TODAY)
    assert (len(large), len(small)) == (3, 3)


def test_coverage_query_count_is_constant(coverage_world, hr_user, staff_member, ict_manager):
    from accounts.roles import roles_of

    roles_of(hr_user)
    with CaptureQueriesContext(connection) as small:
        skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, today=TODAY)
    s = coverage_world["skills"]
    for n in range(8):
        person = staff_member(f"extra{n}@example.com", job_type=coverage_world["sec"])
        for code in ("a", "b", "c"):
            skill_services.assessment_record_manager(
                actor=ict_manager, staff=person, skill=s[code], level=1 + n % 5, reason="追加",
                assessed_on=dt.date(2025, 5, 1),
            )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, today=TODAY)
    assert (len(large), len(small)) == (9, 9)


def test_trend_agrees_with_current_levels_at_every_quarter_end(coverage_world, hr_user, ict_manager):
    from core import fiscal
    from skills.selectors import current_levels

    p1, s = coverage_world["p1"], coverage_world["skills"]
    # assessed in March, validated in April: not current at the end of FY2024 Q4, current at the end of FY2025 Q1
    late = skill_services.assessment_record_self(
        actor=p1.user, staff=p1, skill=s["c"], level=4, assessed_on=dt.date(2025, 3, 20)
    )
    skill_services.assessment_validate(actor=ict_manager, assessment=late, validated_on=dt.date(2025, 4, 5))
    # a later, lower rating replaces an earlier high one
    skill_services.assessment_record_manager(
        actor=ict_manager, staff=p1, skill=s["a"], level=2, reason="再評価", assessed_on=dt.date(2024, 11, 1)
    )
    report = skill_coverage_for(hr_user, fiscal_year=2025, quarter=1, today=TODAY)
    expected = []
    for point in report.trend:
        as_of = fiscal.quarter_period(point.fiscal_year, point.quarter).last_day
        levels = current_levels(as_of=as_of)
        expected.append(sum(1 for level in levels.values() if level >= 3))
    assert [point.pairs for point in report.trend] == expected
