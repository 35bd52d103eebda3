"""The dashboard and HR's skill coverage pre-aggregated per fiscal quarter (DESIGN.md §11: ≤ 150 ms and ≤ 300 ms).

``reports.dashboard.compute_dashboard`` reads every request that counts in a quarter (about 0.5 s at 100,000 requests
a year); ``reports.coverage.skill_coverage_for`` reads the whole assessment history three times (current levels,
self-versus-manager gaps, the eight-quarter trend: 1.6 s over 5,000 staff with full 40-skill maps). Their figures
are kept in one ``PeriodAggregate`` row per report and quarter (demand versus supply, a yearly report beside the
coverage on HR's page: one row per fiscal year), so the pages read one row instead:

* ``refresh(fiscal_year=None)`` recomputes the quarters of a fiscal year (default: the running quarter, and every
  stored quarter not yet final), for every report. The scheduled job calls it; it is idempotent.
* ``dashboard``, ``coverage`` and ``demand_supply`` (``user, …, exact=False``) serve the stored row; a missing row, or a stale one (not final and older than
  ``REPORTS_AGGREGATE_MAX_AGE`` seconds, default 300), is recomputed on the spot and stored. ``exact=True`` computes
  live and stores nothing. Either way ``computed_at`` (集計時点) says when the figures were computed.
* A quarter is *final* once it ended more than ``REPORTS_AGGREGATE_SETTLE_DAYS`` (default 31) days before the
  figures were computed: by then late satisfaction answers and back-filled resolutions have come in, so a closed
  past quarter is computed once and read ever after. A coverage row is also recomputed when the day it describes
  (the quarter's last day, or today while it runs) is not the day asked for.

The stored figures include the lowest-rated requests (titles, comments); they are dropped when read for someone
who may not see request contents (``policies.sees_request_contents``), exactly as the live path leaves them out.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core import fiscal
from reports import policies, snapshots
from reports.coverage import GROUP_BY_CHOICES, GROUP_JOB_TYPE, SkillCoverage, compute_coverage
from reports.dashboard import Dashboard, compute_dashboard
from reports.demand_supply import DemandSupply, compute_demand_supply
from reports.models import PeriodAggregate
from reports.periods import as_of_day, default_period, validate_period

DASHBOARD = "dashboard"
#: demand versus supply covers a fiscal year: kept under its last quarter (final once the year has settled)
DEMAND_SUPPLY = "demand_supply"
YEAR_QUARTER = 4
#: fields recomputed on reading rather than stored
NOT_STORED = ("computed_at", "exact", "label", "previous_label", "period")


def coverage_key(group_by: str) -> str:
    return f"coverage:{group_by}"


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "REPORTS_AGGREGATE_MAX_AGE", 300))


def is_final(fiscal_year: int, quarter: int, computed_at: dt.datetime) -> bool:
    """Computed long enough after the quarter ended that its figures no longer move."""
    settle = dt.timedelta(days=getattr(settings, "REPORTS_AGGREGATE_SETTLE_DAYS", 31))
    return computed_at >= fiscal.quarter_period(fiscal_year, quarter).end_datetime() + settle


def _upsert(report: str, fiscal_year: int, quarter: int, now: dt.datetime, figures: dict) -> None:
    """One INSERT … ON CONFLICT DO UPDATE: safe when several servers refresh at once."""
    PeriodAggregate.objects.bulk_create(
        [
            PeriodAggregate(
                report=report,
                fiscal_year=fiscal_year,
                quarter=quarter,
                computed_at=now,
                final=is_final(fiscal_year, quarter, now),
                figures=figures,
            )
        ],
        update_conflicts=True,
        unique_fields=["report", "fiscal_year", "quarter"],
        update_fields=["computed_at", "final", "figures"],
    )


def _fresh_row(report: str, fiscal_year: int, quarter: int, now: dt.datetime) -> dict | None:
    """The stored row if it may be served at `now`: final, or computed no longer than ``max_age()`` before."""
    row = (
        PeriodAggregate.objects.filter(report=report, fiscal_year=fiscal_year, quarter=quarter)
        .values("computed_at", "final", "figures")
        .first()
    )
    if row is None or row["computed_at"] > now:
        return None
    return row if row["final"] or now - row["computed_at"] <= max_age() else None


# --- the dashboard ---------------------------------------------------------------------------------------------


def _period_labels(fiscal_year: int, quarter: int) -> dict:
    return {
        "label": fiscal.quarter_label(fiscal_year, quarter),
        "previous_label": fiscal.quarter_label(fiscal_year - 1, quarter),
        "period": fiscal.quarter_period(fiscal_year, quarter),
    }


def store_dashboard(fiscal_year: int, quarter: int, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    report = compute_dashboard(fiscal_year=fiscal_year, quarter=quarter, now=now, with_contents=True)
    _upsert(DASHBOARD, fiscal_year, quarter, now, snapshots.dump(report, leave_out=NOT_STORED))
    report.exact = False
    return report


def dashboard(
    user, *, fiscal_year: int, quarter: int, exact: bool = False, now: dt.datetime | None = None
) -> Dashboard:
    """The management dashboard for ``user``: the stored figures (recomputed when missing or stale), or live.

    One query when the row is fresh; the live computation's queries plus one upsert when it is not.
    """
    if not policies.can_view_dashboard(user):
        raise PermissionDenied
    validate_period(fiscal_year, quarter)
    with_contents = policies.sees_request_contents(user)
    if exact:
        return compute_dashboard(
            fiscal_year=fiscal_year, quarter=quarter, now=now, with_contents=with_contents
        )
    now = now or timezone.now()
    row = _fresh_row(DASHBOARD, fiscal_year, quarter, now)
    if row is not None:
        report = snapshots.load(
            Dashboard,
            row["figures"],
            computed_at=row["computed_at"],
            exact=False,
            **_period_labels(fiscal_year, quarter),
        )
    else:
        report = store_dashboard(fiscal_year, quarter, now=now)
    if not with_contents:
        report.lowest_rated = []
    return report


# --- HR's skill coverage ---------------------------------------------------------------------------------------


def store_coverage(
    fiscal_year: int,
    quarter: int,
    group_by: str,
    *,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> SkillCoverage:
    now = now or timezone.now()
    report = compute_coverage(fiscal_year=fiscal_year, quarter=quarter, group_by=group_by, today=today)
    _upsert(coverage_key(group_by), fiscal_year, quarter, now, snapshots.dump(report, leave_out=NOT_STORED))
    report.computed_at, report.exact = now, False
    return report


def coverage(
    user,
    *,
    fiscal_year: int,
    quarter: int,
    group_by: str = GROUP_JOB_TYPE,
    exact: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> SkillCoverage:
    """HR's skill coverage: the stored figures (recomputed when missing, stale or for another day), or live."""
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    validate_period(fiscal_year, quarter)
    if group_by not in GROUP_BY_CHOICES:
        raise ValueError("group_by must be job_type or organization")
    now = now or timezone.now()
    if exact:
        report = compute_coverage(fiscal_year=fiscal_year, quarter=quarter, group_by=group_by, today=today)
        report.computed_at = now
        return report
    as_of = as_of_day(fiscal.quarter_period(fiscal_year, quarter), today or fiscal.local_date(now))
    row = _fresh_row(coverage_key(group_by), fiscal_year, quarter, now)
    if row is not None and row["figures"]["as_of"] == as_of.isoformat():
        label = fiscal.quarter_label(fiscal_year, quarter)
        return snapshots.load(
            SkillCoverage, row["figures"], computed_at=row["computed_at"], exact=False, label=label
        )
    return store_coverage(fiscal_year, quarter, group_by, now=now, today=today)


# --- demand versus supply ------------------------------------------------------------------------------------


def store_demand_supply(
    fiscal_year: int, *, now: dt.datetime | None = None, today: dt.date | None = None
) -> DemandSupply:
    now = now or timezone.now()
    report = compute_demand_supply(fiscal_year=fiscal_year, today=today)
    _upsert(DEMAND_SUPPLY, fiscal_year, YEAR_QUARTER, now, snapshots.dump(report, leave_out=NOT_STORED))
    report.computed_at, report.exact = now, False
    return report


def demand_supply(
    user,
    *,
    fiscal_year: int,
    exact: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DemandSupply:
    """Demand versus supply of a fiscal year: the stored figures (recomputed when missing, stale or for another
    day), or live."""
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    validate_period(fiscal_year, YEAR_QUARTER)
    now = now or timezone.now()
    if exact:
        report = compute_demand_supply(fiscal_year=fiscal_year, today=today)
        report.computed_at = now
        return report
    as_of = as_of_day(fiscal.fiscal_year_period(fiscal_year), today or fiscal.local_date(now))
    row = _fresh_row(DEMAND_SUPPLY, fiscal_year, YEAR_QUARTER, now)
    if row is not None and row["figures"]["as_of"] == as_of.isoformat():
        label = fiscal.fiscal_year_label(fiscal_year)
        return snapshots.load(
            DemandSupply, row["figures"], computed_at=row["computed_at"], exact=False, label=label
        )
    return store_demand_supply(fiscal_year, now=now, today=today)


# --- the job ---------------------------------------------------------------------------------------------------


def refresh(fiscal_year: int | None = None, *, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """Recompute the stored figures of every report; returns the (fiscal year, quarter) pairs refreshed.

    With ``fiscal_year``: its four quarters (those that have begun) and its demand versus supply. Without: the running
    quarter and every stored quarter or year that is not final yet. Final ones are skipped unless their year is named.
    """
    now = now or timezone.now()
    today = fiscal.local_date(now)
    unsettled = PeriodAggregate.objects.filter(final=False).order_by("fiscal_year", "quarter")
    if fiscal_year is not None:
        validate_period(fiscal_year, 1)
        periods = [
            (fiscal_year, q) for q in (1, 2, 3, 4) if fiscal.quarter_period(fiscal_year, q).start <= today
        ]
        years = {fiscal_year}
    else:
        periods = [default_period(today)]
        periods += [
            period
            for period in unsettled.exclude(report=DEMAND_SUPPLY)
            .values_list("fiscal_year", "quarter")
            .distinct()
            if period not in periods
        ]
        years = {fy for fy, _q in periods} | set(
            unsettled.filter(report=DEMAND_SUPPLY).values_list("fiscal_year", flat=True)
        )
    for fy, q in periods:
        store_dashboard(fy, q, now=now)
        for group_by in GROUP_BY_CHOICES:
            store_coverage(fy, q, group_by, now=now, today=today)
    for fy in sorted(years):
        store_demand_supply(fy, now=now, today=today)
    return periods
