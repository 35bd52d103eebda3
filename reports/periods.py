"""The periods the reports cover: fiscal quarters (April–March, Asia/Tokyo, from ``core.fiscal``), the default one,
the moment a period is read "at its end", and the quarters a trend looks back over."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from core import fiscal


def validate_period(fiscal_year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    if not 2000 <= fiscal_year <= 2100:
        raise ValueError("fiscal year out of range")


def default_period(today: dt.date | None = None) -> tuple[int, int]:
    """The current fiscal year and quarter (Asia/Tokyo)."""
    day = today or fiscal.today()
    return fiscal.fiscal_year_of(day), fiscal.quarter_of(day)


def cut(period: fiscal.Period, now: dt.datetime) -> dt.datetime:
    """The moment "at the end of the period": its end, or now while the period is still running."""
    return min(period.end_datetime(), now)


def as_of_day(period: fiscal.Period, today: dt.date) -> dt.date:
    """The day "at the end of the period": its last day, or today while the period is still running."""
    return min(period.last_day, today)


def quarters_back(fiscal_year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """The `count` quarters ending with (fiscal_year, quarter), oldest first."""
    quarters = [(fiscal_year, quarter)]
    while len(quarters) < count:
        quarters.append(fiscal.previous_quarter(*quarters[-1]))
    return list(reversed(quarters))


def within(field_name: str, start: dt.datetime, end: dt.datetime) -> Q:
    """`field_name` falls in [start, end)."""
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
