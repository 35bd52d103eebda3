"""The dashboard's pre-computed figures (reports.preaggregate): the same figures as the live computation, read in one
query, final for a long-closed quarter, recomputed when the running quarter's row is stale, live when exact."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from reports import preaggregate
from reports.dashboard import dashboard_for
from reports.models import PeriodAggregate
from tests.reports.conftest import jst

AFTER = jst(2026, 11, 23, 12)  # long after FY2025 Q1: the quarter is final
DURING = jst(2025, 5, 20, 12)  # FY2025 Q1 is running


def _figures(report) -> dict:
    figures = dataclasses.asdict(report)
    for name in ("computed_at", "exact"):
        figures.pop(name)
    return figures


def _one_more(requesters, categories, requests_factory, day=5):
    requests_factory.file(
        requesters["city"], category=categories["web"], phase="operation", submitted=jst(2025, 5, day, 10),
        first=jst(2025, 5, day, 15), resolved=jst(2025, 5, day + 1, 10), score=1,
    )  # fmt: skip


@pytest.mark.parametrize("now", [AFTER, DURING])
def test_stored_figures_are_the_live_figures(dashboard_world, ict_manager, now):
    stored = preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=now)
    read_back = preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=now)
    live = dashboard_for(ict_manager, fiscal_year=2025, quarter=1, now=now)
    assert _figures(read_back) == _figures(stored) == _figures(live)
    assert (read_back.exact, live.exact, read_back.computed_at) == (False, True, now)


def test_a_fresh_row_is_read_in_one_query(dashboard_world, ict_manager, django_assert_num_queries):
    from accounts.roles import roles_of

    roles_of(ict_manager)
    preaggregate.refresh(2025, now=AFTER)
    with django_assert_num_queries(1):
        report = preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=AFTER)
    assert report.current.received == 4


def test_a_closed_quarter_is_final_and_not_recomputed_until_its_year_is_refreshed(
    dashboard_world, ict_manager, requesters, categories, requests_factory
):
    preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=AFTER)
    assert PeriodAggregate.objects.get(fiscal_year=2025, quarter=1).final
    _one_more(requesters, categories, requests_factory)
    later = AFTER + dt.timedelta(days=30)
    assert preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=later).current.received == 4
    exact = preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=later, exact=True)
    assert (exact.current.received, exact.exact) == (5, True)
    assert preaggregate.refresh(2025, now=later) == [(2025, 1), (2025, 2), (2025, 3), (2025, 4)]
    assert preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=later).current.received == 5


def test_the_running_quarter_is_recomputed_when_its_row_is_stale(
    dashboard_world, ict_manager, requesters, categories, requests_factory, settings
):
    settings.REPORTS_AGGREGATE_MAX_AGE = 300
    before = preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=DURING).current.received
    assert not PeriodAggregate.objects.get(fiscal_year=2025, quarter=1).final
    _one_more(requesters, categories, requests_factory, day=3)
    soon = DURING + dt.timedelta(seconds=299)
    assert (
        preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=soon).current.received == before
    )
    stale = DURING + dt.timedelta(seconds=301)
    report = preaggregate.dashboard(ict_manager, fiscal_year=2025, quarter=1, now=stale)
    assert (report.current.received, report.computed_at) == (before + 1, stale)


def test_refresh_without_a_year_does_the_running_quarter_and_rows_not_final(dashboard_world):
    def stored():
        return set(PeriodAggregate.objects.filter(report="dashboard").values_list("quarter", "final"))

    preaggregate.refresh(2025, now=DURING)  # Q1 only: the others had not begun
    assert stored() == {(1, False)}
    assert PeriodAggregate.objects.filter(quarter=1).count() == 3  # the dashboard and both coverage groupings
    done = preaggregate.refresh(now=jst(2025, 7, 20, 9))  # Q1 ended 19 days before: not final yet
    assert done == [(2025, 2), (2025, 1)]
    assert stored() == {(1, False), (2, False)}
    assert preaggregate.refresh(now=AFTER) == [(2026, 3), (2025, 1), (2025, 2)]
    assert stored() == {(1, True), (2, True), (3, False)}


@pytest.mark.parametrize("fixture", ["requester", "ict_staff", "hr_user"])
def test_others_may_not_read_the_stored_figures(request, dashboard_world, fixture):
    preaggregate.refresh(2025, now=AFTER)
    with pytest.raises(PermissionDenied):
        preaggregate.dashboard(request.getfixturevalue(fixture), fiscal_year=2025, quarter=1, now=AFTER)


COVERAGE_DAY = dt.date(2025, 5, 20)


def test_stored_coverage_is_the_live_coverage(coverage_world, hr_user):
    stored = preaggregate.coverage(hr_user, fiscal_year=2025, quarter=1, today=COVERAGE_DAY, now=DURING)
    read_back = preaggregate.coverage(hr_user, fiscal_year=2025, quarter=1, today=COVERAGE_DAY, now=DURING)
    live = preaggregate.coverage(
        hr_user, fiscal_year=2025, quarter=1, today=COVERAGE_DAY, now=DURING, exact=True
    )
    assert _figures(read_back) == _figures(stored) == _figures(live)
    assert (read_back.exact, live.exact, read_back.computed_at) == (False, True, DURING)


def test_stored_coverage_is_recomputed_for_another_day_or_when_stale(coverage_world, hr_user, staff_member):
    preaggregate.coverage(hr_user, fiscal_year=2025, quarter=1, today=COVERAGE_DAY, now=DURING)
    staff_member("late@example.com", job_type=coverage_world["sec"])

    def staff(today, now):
        return preaggregate.coverage(hr_user, fiscal_year=2025, quarter=1, today=today, now=now).staff_count

    before = staff(COVERAGE_DAY, DURING + dt.timedelta(seconds=10))
    assert staff(COVERAGE_DAY + dt.timedelta(days=1), DURING + dt.timedelta(seconds=20)) == before + 1
    assert staff(COVERAGE_DAY + dt.timedelta(days=1), DURING + dt.timedelta(seconds=30)) == before + 1


def test_coverage_grouped_by_organisation_is_kept_apart(coverage_world, hr_user):
    by_job = preaggregate.coverage(hr_user, fiscal_year=2025, quarter=1, today=COVERAGE_DAY, now=DURING)
    by_org = preaggregate.coverage(
        hr_user, fiscal_year=2025, quarter=1, group_by="organization", today=COVERAGE_DAY, now=DURING
    )
    assert (by_job.group_by, by_org.group_by) == ("job_type", "organization")
    assert PeriodAggregate.objects.filter(report__startswith="coverage:").count() == 2


@pytest.mark.parametrize("fixture", ["requester", "ict_staff"])
def test_others_may_not_read_the_stored_coverage(request, coverage_world, fixture):
    preaggregate.refresh(2025, now=AFTER)
    with pytest.raises(PermissionDenied):
        preaggregate.coverage(request.getfixturevalue(fixture), fiscal_year=2025, quarter=1, now=AFTER)


def test_stored_demand_supply_is_the_live_one_and_refreshed_with_the_year(
    dashboard_world, coverage_world, hr_user, requesters, categories, requests_factory
):
    def read(**kwargs):
        return preaggregate.demand_supply(hr_user, fiscal_year=2025, today=COVERAGE_DAY, now=DURING, **kwargs)

    stored, read_back, live = read(), read(), read(exact=True)
    assert _figures(read_back) == _figures(stored) == _figures(live)
    assert (read_back.exact, live.exact, read_back.label) == (False, True, live.label)
    assert PeriodAggregate.objects.get(report="demand_supply").fiscal_year == 2025
