"""The dashboard pre-aggregated per fiscal quarter (DESIGN.md §11: ≤ 150 ms at national scale).

``reports.dashboard.compute_dashboard`` reads every request that counts in a quarter (about 0.5 s at 100,000 requests
a year). Its figures are kept in one ``PeriodAggregate`` row per quarter, so the page reads one row instead:

* ``refresh(fiscal_year=None)`` recomputes the quarters of a fiscal year (default: the running quarter, and every
  stored quarter not yet final). The scheduled job calls it; it is idempotent.
* ``dashboard(user, …, exact=False)`` serves the stored row; a missing row, or a stale one (not final and older than
  ``REPORTS_AGGREGATE_MAX_AGE`` seconds, default 300), is recomputed on the spot and stored. ``exact=True`` computes
  live and stores nothing. Either way ``computed_at`` (集計時点) says when the figures were computed.
* A quarter is *final* once it ended more than ``REPORTS_AGGREGATE_SETTLE_DAYS`` (default 31) days before the
  figures were computed: by then late satisfaction answers and back-filled resolutions have come in, so a closed
  past quarter is computed once and read ever after.

The stored figures include the lowest-rated requests (titles, comments); they are dropped when read for someone
who may not see request contents (``policies.sees_request_contents``), exactly as the live path leaves them out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core import fiscal
from reports import policies
from reports.dashboard import Breakdown, Dashboard, Headline, LowRated, SkillCount, compute_dashboard
from reports.durations import Duration
from reports.models import PeriodAggregate
from reports.periods import default_period, validate_period

BREAKDOWNS = ("by_category", "by_phase", "by_organization_kind", "by_organization", "top_categories")


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "REPORTS_AGGREGATE_MAX_AGE", 300))


def is_final(fiscal_year: int, quarter: int, computed_at: dt.datetime) -> bool:
    """Computed long enough after the quarter ended that its figures no longer move."""
    settle = dt.timedelta(days=getattr(settings, "REPORTS_AGGREGATE_SETTLE_DAYS", 31))
    return computed_at >= fiscal.quarter_period(fiscal_year, quarter).end_datetime() + settle


# --- figures ⇄ JSON ------------------------------------------------------------------------------------------------


def encode(report: Dashboard) -> dict:
    figures = dataclasses.asdict(report)
    for name in ("computed_at", "exact", "label", "previous_label"):
        figures.pop(name)
    return figures


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _headline(data: dict) -> Headline:
    return Headline(
        **{
            **data,
            "first_response": Duration(**data["first_response"]),
            "resolution": Duration(**data["resolution"]),
            "satisfaction_distribution": [tuple(pair) for pair in data["satisfaction_distribution"]],
        }
    )


def decode(figures: dict, computed_at: dt.datetime) -> Dashboard:
    fiscal_year, quarter = figures["fiscal_year"], figures["quarter"]
    return Dashboard(
        fiscal_year=fiscal_year,
        quarter=quarter,
        label=fiscal.quarter_label(fiscal_year, quarter),
        period=fiscal.quarter_period(fiscal_year, quarter),
        previous_label=fiscal.quarter_label(fiscal_year - 1, quarter),
        as_of=_datetime(figures["as_of"]),
        current=_headline(figures["current"]),
        previous=_headline(figures["previous"]),
        **{name: [Breakdown(**row) for row in figures[name]] for name in BREAKDOWNS},
        top_skills=[SkillCount(**row) for row in figures["top_skills"]],
        lowest_rated=[
            LowRated(**{**row, "resolved_at": _datetime(row["resolved_at"])}) for row in figures["lowest_rated"]
        ],
        has_any_requests=figures["has_any_requests"],
        computed_at=computed_at,
        exact=False,
    )


# --- write ---------------------------------------------------------------------------------------------------------


def store(fiscal_year: int, quarter: int, *, now: dt.datetime | None = None) -> Dashboard:
    """Compute one quarter's figures and upsert its row (one INSERT … ON CONFLICT: safe with several servers)."""
    now = now or timezone.now()
    report = compute_dashboard(fiscal_year=fiscal_year, quarter=quarter, now=now, with_contents=True)
    PeriodAggregate.objects.bulk_create(
        [
            PeriodAggregate(
                fiscal_year=fiscal_year,
                quarter=quarter,
                computed_at=now,
                final=is_final(fiscal_year, quarter, now),
                figures=encode(report),
            )
        ],
        update_conflicts=True,
        unique_fields=["fiscal_year", "quarter"],
        update_fields=["computed_at", "final", "figures"],
    )
    report.exact = False
    return report


def refresh(fiscal_year: int | None = None, *, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """Recompute the stored dashboard figures; returns the (fiscal year, quarter) pairs refreshed.

    With ``fiscal_year``: its four quarters (those that have begun). Without: the running quarter and every stored
    quarter that is not final yet. Final quarters are skipped unless their year is named.
    """
    now = now or timezone.now()
    today = fiscal.local_date(now)
    if fiscal_year is not None:
        validate_period(fiscal_year, 1)
        periods = [(fiscal_year, q) for q in (1, 2, 3, 4) if fiscal.quarter_period(fiscal_year, q).start <= today]
    else:
        periods = [default_period(today)]
        periods += [
            period
            for period in PeriodAggregate.objects.filter(final=False)
            .order_by("fiscal_year", "quarter")
            .values_list("fiscal_year", "quarter")
            if period not in periods
        ]
    for fy, q in periods:
        store(fy, q, now=now)
    return periods


# --- read ----------------------------------------------------------------------------------------------------------


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
        return compute_dashboard(fiscal_year=fiscal_year, quarter=quarter, now=now, with_contents=with_contents)
    now = now or timezone.now()
    row = (
        PeriodAggregate.objects.filter(fiscal_year=fiscal_year, quarter=quarter)
        .values("computed_at", "final", "figures")
        .first()
    )
    if row is not None and (row["final"] or now - row["computed_at"] <= max_age()) and row["computed_at"] <= now:
        report = decode(row["figures"], row["computed_at"])
    else:
        report = store(fiscal_year, quarter, now=now)
    if not with_contents:
        report.lowest_rated = []
    return report
