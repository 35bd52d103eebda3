"""The management dashboard's figures against a hand-made world with known answers (tests/reports/conftest.py)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.dashboard import dashboard_for
from reports.durations import percentile
from reports.periods import default_period
from tests.reports.conftest import jst

AFTER = jst(2026, 11, 23, 12)  # "now": long after FY2025 Q1


@pytest.fixture
def q1(dashboard_world, ict_manager):
    return dashboard_for(ict_manager, fiscal_year=2025, quarter=1, now=AFTER)


def rows(breakdown):
    return {row.key: (row.received, row.resolved, row.open) for row in breakdown}


def test_received_counts_1_april_but_not_31_march_nor_1_july_tokyo(q1):
    assert q1.current.received == 4  # B (1 Apr), C, D (30 Jun 23:30), F — not A (31 Mar) nor E (1 Jul 00:30)


def test_31_march_belongs_to_the_previous_fiscal_year(dashboard_world, ict_manager):
    fy2024_q4 = dashboard_for(ict_manager, fiscal_year=2024, quarter=4, now=AFTER)
    assert fy2024_q4.current.received == 2  # A (31 Mar) and G (10 Feb)


def test_1_july_tokyo_belongs_to_q2(dashboard_world, ict_manager):
    q2 = dashboard_for(ict_manager, fiscal_year=2025, quarter=2, now=AFTER)
    assert q2.current.received == 1  # E


def test_resolved_in_the_quarter(q1):
    assert q1.current.resolved == 2  # A, C — B was resolved on 1 July


def test_open_at_the_end_of_the_quarter(q1):
    assert q1.current.open == 3  # B, D, G — not F (rejected in May)


def test_a_rejected_request_counts_as_open_until_its_rejection(dashboard_world, ict_manager):
    # while Q1 runs, on 12 May at 18:00: F (filed that morning, rejected on 13 May) is still open
    running = dashboard_for(ict_manager, fiscal_year=2025, quarter=1, now=jst(2025, 5, 12, 18))
    assert running.current.open == 3  # B, F, G


def test_overdue_at_the_end_of_the_quarter(q1):
    assert q1.current.overdue == 2  # B (due 30 Jun), G (due 31 May); D is due in July


def test_first_response_median_and_p90_in_business_days(q1):
    # A 1 (31 Mar → 1 Apr), B 1, C 4 (Golden Week), F 1
    assert (
        q1.current.first_response.count,
        q1.current.first_response.median,
        q1.current.first_response.p90,
    ) == (
        4,
        1.0,
        pytest.approx(3.1),
    )


def test_resolution_median_and_p90_in_business_days(q1):
    # A 8 business days (31 Mar → 10 Apr), C 6 (28 Apr → 9 May across Golden Week)
    assert (q1.current.resolution.count, q1.current.resolution.median, q1.current.resolution.p90) == (
        2,
        7.0,
        pytest.approx(7.8),
    )


def test_business_days_across_the_year_end_closure(requesters, categories, requests_factory, ict_manager):
    requests_factory.file(
        requesters["ward"], category=categories["spec"], phase="planning", submitted=jst(2025, 12, 26, 10),
        first=jst(2026, 1, 5, 10), resolved=jst(2026, 1, 6, 10),
    )  # fmt: skip
    q4 = dashboard_for(ict_manager, fiscal_year=2025, quarter=4, now=AFTER)
    assert (q4.current.first_response.median, q4.current.resolution.median) == (1.0, 2.0)


def test_satisfaction_average_over_requests_resolved_in_the_quarter(q1):
    assert (q1.current.satisfaction_average, q1.current.satisfaction_count) == (3.5, 2)


def test_satisfaction_distribution(q1):
    assert q1.current.satisfaction_distribution == [(1, 0), (2, 1), (3, 0), (4, 0), (5, 1)]


def test_lowest_rated_requests_to_follow_up(q1, dashboard_world):
    assert [(row.reference, row.score) for row in q1.lowest_rated] == [(dashboard_world["A"].reference, 2)]


def test_breakdown_by_category(q1):
    assert rows(q1.by_category) == {"spec": (1, 1, 1), "web": (2, 1, 1), "security": (1, 0, 1)}


def test_breakdown_by_phase(q1):
    assert rows(q1.by_phase) == {
        "planning": (1, 1, 1),
        "procurement": (1, 0, 1),
        "design_build": (1, 1, 0),
        "operation": (1, 0, 1),
    }


def test_breakdown_by_organisation_kind_counts_departments_with_bureaus(q1):
    assert rows(q1.by_organization_kind) == {
        "bureau": (2, 0, 1),
        "municipality_ward": (1, 1, 2),
        "municipality_city": (1, 1, 0),
    }


def test_breakdown_by_organisation(q1):
    assert rows(q1.by_organization) == {
        "131016": (1, 1, 2),
        "132012": (1, 1, 0),
        "B-DIGITAL": (1, 0, 0),
        "B-DIGITAL-01": (1, 0, 1),
    }


def test_common_problems_top_categories(q1):
    assert [row.key for row in q1.top_categories] == ["web", "security", "spec"]


def test_common_problems_top_required_skills(q1):
    assert [(row.code, row.requests) for row in q1.top_skills] == [("skill-a", 2), ("skill-b", 1)]


def test_staff_utilisation_at_the_end_of_the_quarter(q1):
    current = q1.current
    assert (current.staff_count, current.utilisation_average, current.over_capacity) == (2, 0.625, 1)


def test_same_quarter_last_year(q1):
    previous = q1.previous
    assert (previous.received, previous.resolved, previous.open, previous.satisfaction_average) == (
        1,
        1,
        0,
        4.0,
    )


def test_same_quarter_last_year_has_its_own_durations(q1):
    assert q1.previous.resolution.median == 6.0  # 10 May 2024 (Fri) → 20 May (Mon): 13–17 May and 20 May


def test_labels_use_the_japanese_fiscal_year(q1):
    assert q1.label == "2025年度（令和7年度） 第1四半期"


def test_default_period_is_the_current_quarter():
    assert default_period(dt.date(2026, 11, 23)) == (2026, 3)


def test_percentile_interpolates_like_percentile_cont():
    assert (percentile([1, 2, 3, 4], 0.5), percentile([1, 2, 3, 4], 0.9), percentile([], 0.5)) == (
        2.5,
        3.7,
        None,
    )


def test_brand_new_installation_is_empty(ict_manager):
    report = dashboard_for(ict_manager, fiscal_year=2025, quarter=1, now=AFTER)
    assert (report.is_empty, report.has_any_requests) == (True, False)


def test_empty_period_with_history(dashboard_world, ict_manager):
    report = dashboard_for(ict_manager, fiscal_year=2020, quarter=1, now=AFTER)
    assert (report.is_empty, report.has_any_requests) == (True, True)


@pytest.mark.parametrize("fixture", ["requester", "ict_staff", "hr_user"])
def test_others_may_not_see_the_dashboard(request, fixture):
    user = request.getfixturevalue(fixture)
    with pytest.raises(PermissionDenied):
        dashboard_for(user, fiscal_year=2025, quarter=1)


def test_admin_sees_the_dashboard(admin_user):
    assert dashboard_for(admin_user, fiscal_year=2025, quarter=1).fiscal_year == 2025


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        dashboard_for(user, fiscal_year=2025, quarter=1, now=AFTER)
    return len(ctx.captured_queries)


def test_dashboard_query_count_is_constant(
    dashboard_world, ict_manager, requesters, categories, requests_factory
):
    from accounts.roles import roles_of

    roles_of(ict_manager)  # cache the roles, as a request does once
    small = _queries(ict_manager)
    for day in range(1, 16):
        requests_factory.file(
            requesters["city"], category=categories["web"], phase="operation", submitted=jst(2025, 5, day, 10),
            first=jst(2025, 5, day, 15), resolved=jst(2025, 6, day, 10), score=1 + day % 5,
        )  # fmt: skip
    assert (_queries(ict_manager), small) == (9, 9)
