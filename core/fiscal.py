"""The fiscal calendar of a Japanese local government.

* The fiscal year (年度) starts on 1 April: FY2025 = 2025-04-01 … 2026-03-31. Q1 = April–June … Q4 = January–March.
* Business days (開庁日) exclude weekends, Japanese public holidays (incl. substitute holidays, from the `holidays`
  package) and the year-end closure 29 December – 3 January.
* Timestamps are stored in UTC; calendar questions are answered in Asia/Tokyo.
"""

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

TOKYO = ZoneInfo("Asia/Tokyo")
REIWA_START_YEAR = 2019  # Reiwa 1 = 2019


def local_date(value: dt.datetime | dt.date) -> dt.date:
    """The Asia/Tokyo calendar date of an aware datetime (a date passes through)."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, TOKYO)
        return value.astimezone(TOKYO).date()
    return value


def today() -> dt.date:
    return local_date(timezone.now())


def fiscal_year_of(value: dt.datetime | dt.date) -> int:
    day = local_date(value)
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(value: dt.datetime | dt.date) -> int:
    """Fiscal quarter 1–4 (Q1 = April–June)."""
    month = local_date(value).month
    return ((month - 4) % 12) // 3 + 1


def validate_period(fiscal_year: int, quarter: int) -> None:
    """A period the reports cover: a fiscal year 2000–2100 and a quarter 1–4 (ValueError otherwise)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    if not 2000 <= fiscal_year <= 2100:
        raise ValueError("fiscal year out of range")


def default_period(day: dt.date | None = None) -> tuple[int, int]:
    """The current fiscal year and quarter (Asia/Tokyo)."""
    day = day or today()
    return fiscal_year_of(day), quarter_of(day)


@dataclass(frozen=True)
class Period:
    """A half-open range of dates [start, end) with its label."""

    start: dt.date
    end: dt.date  # exclusive

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def start_datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=TOKYO)

    def end_datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time.min, tzinfo=TOKYO)

    def __contains__(self, value: dt.datetime | dt.date) -> bool:
        return self.start <= local_date(value) < self.end


def fiscal_year_period(fiscal_year: int) -> Period:
    return Period(dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 4, 1))


def quarter_period(fiscal_year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    start_month = 4 + 3 * (quarter - 1)
    year = fiscal_year + (start_month - 1) // 12
    month = (start_month - 1) % 12 + 1
    start = dt.date(year, month, 1)
    end_month = month + 3
    end = dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return Period(start, end)


def previous_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


def fiscal_year_label(fiscal_year: int) -> str:
    """'2025年度（令和7年度）' in Japanese, 'FY2025' in English."""
    reiwa = fiscal_year - REIWA_START_YEAR + 1
    if reiwa >= 1:
        era = _("Reiwa %(year)s") % {"year": "元" if reiwa == 1 else reiwa}
        return _("FY%(year)s (%(era)s)") % {"year": fiscal_year, "era": era}
    return _("FY%(year)s") % {"year": fiscal_year}


def quarter_label(fiscal_year: int, quarter: int) -> str:
    return _("%(fy)s Q%(q)s") % {"fy": fiscal_year_label(fiscal_year), "q": quarter}


# --- business days -----------------------------------------------------------------------------------------------


# 年末年始: offices close from 29 December to 3 January.
YEAR_END_CLOSURE = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))


@lru_cache(maxsize=64)
def _closed_weekdays(year: int) -> tuple[dt.date, ...]:
    """Sorted weekdays of a calendar year on which offices are closed (holidays and the year-end closure)."""
    closed = {day for day in holidays.Japan(years=year) if day.weekday() < 5}
    closed.update(
        day for day in (dt.date(year, month, d) for month, d in YEAR_END_CLOSURE) if day.weekday() < 5
    )
    return tuple(sorted(closed))


@lru_cache(maxsize=64)
def _closed_set(year: int) -> frozenset[dt.date]:
    return frozenset(_closed_weekdays(year))


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _closed_set(day.year)


def _weekdays_before(day: dt.date) -> int:
    """Number of Monday–Friday dates strictly before `day`, counted from a fixed Monday epoch."""
    epoch = dt.date(2000, 1, 3)  # a Monday
    days = (day - epoch).days
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


def _closed_before(day: dt.date) -> int:
    """Closed weekdays strictly before `day`, counted from 2000-01-01."""
    total = 0
    for year in range(2000, day.year):
        total += len(_closed_weekdays(year))
    closed = _closed_weekdays(day.year)
    return total + bisect.bisect_left(closed, day)


@lru_cache(maxsize=4096)
def _business_days_before(day: dt.date) -> int:
    return _weekdays_before(day) - _closed_before(day)


def business_days_between(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> int:
    """Business days elapsed from `start` to `end`: the business days d with start < d <= end (Tokyo dates).

    Filed on a Friday and answered on the Monday is 1 business day; the same day is 0. Negative when end < start.
    """
    start_day, end_day = local_date(start), local_date(end)
    if end_day < start_day:
        return -business_days_between(end_day, start_day)
    one = dt.timedelta(days=1)
    return _business_days_before(end_day + one) - _business_days_before(start_day + one)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start` (days >= 0)."""
    day = local_date(start)
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day
