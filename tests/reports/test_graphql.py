"""The reports as GraphQL queries: same figures as the selectors, same access rules, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import codes

DASHBOARD = """
query ($fy: Int, $q: Int, $exact: Boolean) {
  dashboard(fiscalYear: $fy, quarter: $q, exact: $exact) {
    fiscalYear quarter label isEmpty hasAnyRequests exact computedAt
    current { received resolved open overdue firstResponse { median p90 } satisfactionAverage
              satisfactionDistribution { score count } utilisationAverage overCapacity }
    previous { received resolved }
    byCategory { key received resolved open }
    byOrganizationKind { key received }
    topSkills { code requests }
    lowestRated { reference title score }
  }
}
"""
COVERAGE = """
query ($fy: Int, $q: Int, $groupBy: SkillCoverageGroupBy, $exact: Boolean) {
  skillCoverage(fiscalYear: $fy, quarter: $q, groupBy: $groupBy, exact: $exact) {
    staffCount isEmpty exact computedAt truckFactor truckFactorSkills { code }
    overall { skill { code } atLeast }
    heat { groupKey skill { code } atLeast }
    gaps { jobTypeCode skill { code } meeting people share }
    singlePointsOfFailure { skill { code } holders }
    ratingGaps { email gap }
    trend { fiscalYear quarter pairs }
    trendBySkill { skill { code } values }
  }
}
"""
DEMAND = """
query ($fy: Int) { skillDemandSupply(fiscalYear: $fy) { isEmpty rows { skill { code } quarter demandHours supplyHours } } }
"""
RESKILLING = """
query ($skill: String!) { reskillingCandidates(skill: $skill) { email currentLevel wantsToLearn } }
"""


def test_dashboard_figures(dashboard_world, gql, ict_manager):
    data = gql(ict_manager).execute(DASHBOARD, {"fy": 2025, "q": 1})["data"]["dashboard"]
    assert (data["current"]["received"], data["current"]["open"], data["previous"]["received"]) == (4, 3, 1)


def test_dashboard_lowest_rated_for_managers(dashboard_world, gql, ict_manager):
    data = gql(ict_manager).execute(DASHBOARD, {"fy": 2025, "q": 1})["data"]["dashboard"]
    assert [(row["title"], row["score"]) for row in data["lowestRated"]] == [("=1+1", 2)]


def test_dashboard_defaults_to_the_current_quarter(gql, ict_manager):
    from reports.periods import default_period

    data = gql(ict_manager).execute(DASHBOARD)["data"]["dashboard"]
    assert (data["fiscalYear"], data["quarter"]) == default_period()


def test_dashboard_empty_installation(gql, ict_manager):
    data = gql(ict_manager).execute(DASHBOARD, {"fy": 2025, "q": 1})["data"]["dashboard"]
    assert (data["isEmpty"], data["hasAnyRequests"]) == (True, False)


def test_bad_quarter_is_refused(gql, ict_manager):
    assert codes(gql(ict_manager).execute(DASHBOARD, {"fy": 2025, "q": 5})) == ["BAD_PERIOD"]


@pytest.mark.parametrize("fixture", ["requester", "ict_staff", "hr_user"])
def test_dashboard_forbidden_for_others(request, gql, fixture):
    assert codes(gql(request.getfixturevalue(fixture)).execute(DASHBOARD, {"fy": 2025, "q": 1})) == [
        "FORBIDDEN"
    ]


def test_dashboard_needs_sign_in(gql, db):
    assert codes(gql(None).execute(DASHBOARD, {"fy": 2025, "q": 1})) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("fixture", ["hr_user", "ict_manager", "admin_user"])
def test_skill_coverage_allowed(request, coverage_world, gql, fixture):
    data = gql(request.getfixturevalue(fixture)).execute(COVERAGE, {"fy": 2025, "q": 1})["data"][
        "skillCoverage"
    ]
    assert (data["staffCount"], data["truckFactor"], data["truckFactorSkills"]) == (
        5,
        1,
        [{"code": "skill-c"}],
    )


def test_skill_coverage_heat_map(coverage_world, gql, hr_user):
    data = gql(hr_user).execute(COVERAGE, {"fy": 2025, "q": 1})["data"]["skillCoverage"]
    assert {row["skill"]["code"]: row["atLeast"] for row in data["overall"]}["skill-a"] == [4, 3, 2, 1, 0]


def test_skill_coverage_by_organisation(coverage_world, gql, hr_user):
    data = gql(hr_user).execute(COVERAGE, {"fy": 2025, "q": 1, "groupBy": "ORGANIZATION"})["data"][
        "skillCoverage"
    ]
    assert {row["groupKey"] for row in data["heat"]} == {"B-DIGITAL", "B-DIGITAL-01"}


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_skill_coverage_forbidden_for_others(request, gql, fixture):
    assert codes(gql(request.getfixturevalue(fixture)).execute(COVERAGE, {"fy": 2025, "q": 1})) == [
        "FORBIDDEN"
    ]


def test_skill_demand_supply(coverage_world, gql, hr_user):
    rows = gql(hr_user).execute(DEMAND, {"fy": 2025})["data"]["skillDemandSupply"]["rows"]
    assert len(rows) == 4 * 4


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_skill_demand_supply_forbidden_for_others(request, gql, fixture):
    assert codes(gql(request.getfixturevalue(fixture)).execute(DEMAND, {"fy": 2025})) == ["FORBIDDEN"]


def test_reskilling_candidates(coverage_world, gql, hr_user):
    data = gql(hr_user).execute(RESKILLING, {"skill": "skill-c"})["data"]["reskillingCandidates"]
    assert [row["email"] for row in data] == ["p4@example.com", "p5@example.com"]


def test_reskilling_candidates_unknown_skill(coverage_world, gql, hr_user):
    assert codes(gql(hr_user).execute(RESKILLING, {"skill": "nope"})) == ["NOT_FOUND"]


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_reskilling_candidates_forbidden_for_others(request, gql, fixture):
    assert codes(gql(request.getfixturevalue(fixture)).execute(RESKILLING, {"skill": "skill-a"})) == [
        "FORBIDDEN"
    ]


def _count(client, query, variables) -> int:
    with CaptureQueriesContext(connection) as ctx:
        result = client.execute(query, variables)
    assert "errors" not in result
    return len(ctx.captured_queries)


def test_exact_coverage_query_count_is_constant(coverage_world, gql, hr_user, staff_member):
    client = gql(hr_user)
    small = _count(client, COVERAGE, {"fy": 2025, "q": 1, "exact": True})
    for n in range(5):
        staff_member(f"gql{n}@example.com", job_type=coverage_world["sec"])
    assert _count(client, COVERAGE, {"fy": 2025, "q": 1, "exact": True}) == small


def test_precomputed_coverage_query_count_is_constant_and_reads_one_row(
    coverage_world, gql, hr_user, staff_member
):
    from reports import preaggregate

    client = gql(hr_user)
    preaggregate.refresh(2025)
    small = _count(client, COVERAGE, {"fy": 2025, "q": 1})
    first = client.execute(COVERAGE, {"fy": 2025, "q": 1})["data"]["skillCoverage"]
    for n in range(5):
        staff_member(f"gql{n}@example.com", job_type=coverage_world["sec"])
    preaggregate.refresh(2025)
    assert _count(client, COVERAGE, {"fy": 2025, "q": 1}) == small
    again = client.execute(COVERAGE, {"fy": 2025, "q": 1})["data"]["skillCoverage"]
    assert (first["exact"], again["exact"], again["staffCount"]) == (False, False, first["staffCount"] + 5)
    assert _count(client, COVERAGE, {"fy": 2025, "q": 1, "exact": True}) == small + 9 - 1


def _five_more(requesters, categories, requests_factory):
    from tests.reports.conftest import jst

    for day in range(1, 6):
        requests_factory.file(
            requesters["city"], category=categories["web"], phase="operation", submitted=jst(2025, 5, day, 10),
            first=jst(2025, 5, day, 15), resolved=jst(2025, 6, day, 10), score=day,
        )  # fmt: skip


def test_exact_dashboard_query_count_is_constant(
    dashboard_world, gql, ict_manager, requesters, categories, requests_factory
):
    client = gql(ict_manager)
    small = _count(client, DASHBOARD, {"fy": 2025, "q": 1, "exact": True})
    _five_more(requesters, categories, requests_factory)
    assert _count(client, DASHBOARD, {"fy": 2025, "q": 1, "exact": True}) == small


def test_precomputed_dashboard_query_count_is_constant_and_nine_fewer_than_exact(
    dashboard_world, gql, ict_manager, requesters, categories, requests_factory
):
    from reports import preaggregate

    client = gql(ict_manager)
    preaggregate.refresh(2025)
    small = _count(client, DASHBOARD, {"fy": 2025, "q": 1})
    _five_more(requesters, categories, requests_factory)
    preaggregate.refresh(2025)
    assert _count(client, DASHBOARD, {"fy": 2025, "q": 1}) == small
    assert _count(client, DASHBOARD, {"fy": 2025, "q": 1, "exact": True}) == small + 9 - 1


def test_dashboard_exact_argument_computes_live_figures(
    dashboard_world, gql, ict_manager, requesters, categories, requests_factory
):
    client = gql(ict_manager)
    stored = client.execute(DASHBOARD, {"fy": 2025, "q": 1})["data"]["dashboard"]  # computed and kept (final)
    _five_more(requesters, categories, requests_factory)
    again = client.execute(DASHBOARD, {"fy": 2025, "q": 1})["data"]["dashboard"]
    live = client.execute(DASHBOARD, {"fy": 2025, "q": 1, "exact": True})["data"]["dashboard"]
    assert (stored["exact"], again["exact"], live["exact"]) == (False, False, True)
    assert again["current"]["received"] == stored["current"]["received"]
    assert live["current"]["received"] == stored["current"]["received"] + 5
    assert live["computedAt"] > again["computedAt"]
