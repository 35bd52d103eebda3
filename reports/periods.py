"""The periods the reports cover: fiscal quarters (April–March, Asia/Tokyo, from ``core.fiscal``), the default one,
the moment a period is read "at its end", and the quarters a trend looks back over."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from core import fiscal

validate_period = (
    fiscal.validate_period
)  # the rule lives with the calendar (core.fiscal); kept here for the reports
default_period = fiscal.default_period


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
