"""Satisfaction by organisation and period, with the seeds' dimensions (「サポートの頻度や品質」) and a quarterly trend.

A response counts in the period its request was resolved in (as on the dashboard). Per organisation — or, with
`roll_up`, per top organisation (a department counts with its bureau, a municipal section with its municipality) —
it gives the number of responses, the averages overall, of the frequency and of the quality of support (older
responses without the dimensions count in the overall average only), how many were low (≤ 2 overall or in a
dimension) and how many of those the managers have followed up. The trend gives the same figures for the eight
quarters ending with the chosen one (or with the year's last quarter when the whole year is asked).

Who: ICT managers and administrators (the dashboard's readers, reports.policies.can_view_dashboard). Three queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from core import fiscal
from reports import policies
from reports.periods import quarters_back, validate_period, within
from support.models import SatisfactionFollowUp, SatisfactionResponse, low_satisfaction_q

TREND_QUARTERS = 8
LOW = low_satisfaction_q()


@dataclass(frozen=True)
class SatisfactionFigures:
    key: str
    label: str
    responses: int
    score: float | None
    frequency: float | None
    quality: float | None
    low: int
    followed_up: int


@dataclass(frozen=True)
class SatisfactionReport:
    fiscal_year: int
    quarter: int | None  # None: the whole fiscal year
    label: str
    period: fiscal.Period
    roll_up: bool
    total: SatisfactionFigures
    by_organization: list[SatisfactionFigures]
    trend: list[SatisfactionFigures]  # key "2025-Q3", oldest first


def _figures(prefix: str = "all_", where: Q | None = None) -> dict:
    """The aggregates of one group; `prefix`/`where` name and filter one of several groups in a single query."""
    only = (lambda q: q & where) if where is not None else (lambda q: q)
    return {
        f"{prefix}responses": Count("id", filter=where),
        f"{prefix}score": Avg("score", filter=where),
        f"{prefix}frequency": Avg("frequency", filter=where),
        f"{prefix}quality": Avg("quality", filter=where),
        f"{prefix}low": Count("id", filter=only(LOW)),
        f"{prefix}followed_up": Count("id", filter=only(LOW & Q(followed=True))),
    }


def _row(key: str, label: str, values: dict, prefix: str = "all_") -> SatisfactionFigures:
    def avg(name):
        value = values[f"{prefix}{name}"]
        return None if value is None else round(float(value), 2)

    return SatisfactionFigures(
        key=key,
        label=label,
        responses=values[f"{prefix}responses"],
        score=avg("score"),
        frequency=avg("frequency"),
        quality=avg("quality"),
        low=values[f"{prefix}low"],
        followed_up=values[f"{prefix}followed_up"],
    )


def _responses():
    return SatisfactionResponse.objects.alias(
        followed=Exists(SatisfactionFollowUp.objects.filter(request=OuterRef("request")))
    ).order_by()


def _resolved_within(start: dt.datetime, end: dt.datetime) -> Q:
    return within("request__resolved_at", start, end)


def satisfaction_report_for(
    user, *, fiscal_year: int, quarter: int | None = None, roll_up: bool = True
) -> SatisfactionReport:
    if not policies.can_view_dashboard(user):
        raise PermissionDenied
    validate_period(fiscal_year, quarter or 1)
    if quarter:
        period, label = (
            fiscal.quarter_period(fiscal_year, quarter),
            fiscal.quarter_label(fiscal_year, quarter),
        )
    else:
        period, label = fiscal.fiscal_year_period(fiscal_year), fiscal.fiscal_year_label(fiscal_year)
    in_period = _responses().filter(_resolved_within(period.start_datetime(), period.end_datetime()))
    if roll_up:
        key = Coalesce("request__organization__parent__code", "request__organization__code")
        name = Coalesce("request__organization__parent__name", "request__organization__name")
    else:
        key, name = F("request__organization__code"), F("request__organization__name")
    rows = list(in_period.values(org_key=key, org_name=name).annotate(**_figures()))
    by_organization = sorted(
        (_row(r["org_key"], r["org_name"], r) for r in rows),
        key=lambda row: (row.score if row.score is not None else 9, -row.responses, row.key),
    )
    total = _row("", label, in_period.aggregate(**_figures()))
    quarters = quarters_back(fiscal_year, quarter or 4, TREND_QUARTERS)
    aggregates = {}
    for index, (fy, q) in enumerate(quarters):
        bounds = fiscal.quarter_period(fy, q)
        where = _resolved_within(bounds.start_datetime(), bounds.end_datetime())
        aggregates.update(_figures(f"q{index}_", where))
    first, last = fiscal.quarter_period(*quarters[0]), fiscal.quarter_period(*quarters[-1])
    values = (
        _responses()
        .filter(_resolved_within(first.start_datetime(), last.end_datetime()))
        .aggregate(**aggregates)
    )
    trend = [
        _row(f"{fy}-Q{q}", fiscal.quarter_label(fy, q), values, prefix=f"q{index}_")
        for index, (fy, q) in enumerate(quarters)
    ]
    return SatisfactionReport(
        fiscal_year=fiscal_year,
        quarter=quarter,
        label=label,
        period=period,
        roll_up=roll_up,
        total=total,
        by_organization=by_organization,
        trend=trend,
    )
