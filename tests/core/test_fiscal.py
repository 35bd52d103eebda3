import datetime as dt

import pytest
from django.utils import translation

from core import fiscal

D = dt.date


@pytest.mark.parametrize(
    ("day", "fiscal_year", "quarter"),
    [
        (D(2026, 3, 31), 2025, 4),
        (D(2026, 4, 1), 2026, 1),
        (D(2025, 6, 30), 2025, 1),
        (D(2025, 7, 1), 2025, 2),
        (D(2025, 12, 31), 2025, 3),
        (D(2026, 1, 1), 2025, 4),
    ],
)
def test_fiscal_year_and_quarter_turn_on_1_april(day, fiscal_year, quarter):
    assert fiscal.fiscal_year_of(day) == fiscal_year
    assert fiscal.quarter_of(day) == quarter


def test_utc_evening_of_31_march_is_already_1_april_in_tokyo():
    # 2026-03-31 15:30 UTC = 2026-04-01 00:30 JST: the new fiscal year.
    moment = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)
    assert fiscal.fiscal_year_of(moment) == 2026
    assert fiscal.quarter_of(moment) == 1


def test_periods_are_half_open_and_cover_the_year():
    year = fiscal.fiscal_year_period(2025)
    assert (year.start, year.last_day) == (D(2025, 4, 1), D(2026, 3, 31))
    q4 = fiscal.quarter_period(2025, 4)
    assert (q4.start, q4.end) == (D(2026, 1, 1), D(2026, 4, 1))
    assert D(2026, 3, 31) in q4 and D(2026, 4, 1) not in q4
    assert fiscal.quarter_period(2025, 3).start == D(2025, 10, 1)
    with pytest.raises(ValueError):
        fiscal.quarter_period(2025, 5)


def test_fiscal_year_label_in_both_languages():
    with translation.override("ja"):
        assert fiscal.fiscal_year_label(2025) == "2025年度（令和7年度）"
        assert fiscal.fiscal_year_label(2019) == "2019年度（令和元年度）"
    with translation.override("en"):
        assert fiscal.fiscal_year_label(2025) == "FY2025 (Reiwa 7)"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 5, 2), True),  # Friday between Golden Week holidays
        (D(2025, 5, 5), False),  # Children's Day
        (D(2025, 5, 6), False),  # substitute holiday for Constitution Day on a Sunday (2025-05-04)
        (D(2025, 5, 7), True),
        (D(2025, 12, 29), False),  # year-end closure on a Monday
        (D(2026, 1, 2), False),
        (D(2026, 1, 5), True),
        (D(2025, 12, 26), True),
        (D(2025, 11, 22), False),  # Saturday
    ],
)
def test_business_days(day, expected):
    assert fiscal.is_business_day(day) is expected


def test_business_days_between_skips_weekend_holidays_and_closure():
    assert fiscal.business_days_between(D(2025, 5, 2), D(2025, 5, 2)) == 0
    # Fri 2 May → Wed 7 May 2025: Sat, Sun, Mon (holiday), Tue (substitute) skipped → 1 business day.
    assert fiscal.business_days_between(D(2025, 5, 2), D(2025, 5, 7)) == 1
    # Fri 26 Dec 2025 → Mon 5 Jan 2026: the closure 29 Dec–3 Jan and the weekends → 1.
    assert fiscal.business_days_between(D(2025, 12, 26), D(2026, 1, 5)) == 1
    # 31 March → 1 April is one business day across the fiscal-year boundary (both weekdays in 2026).
    assert fiscal.business_days_between(D(2026, 3, 31), D(2026, 4, 1)) == 1
    assert fiscal.business_days_between(D(2025, 5, 7), D(2025, 5, 2)) == -1


def test_business_days_between_matches_day_by_day_count_over_two_years():
    start = D(2024, 3, 1)
    count = 0
    for offset in range(1, 800):
        day = start + dt.timedelta(days=offset)
        count += fiscal.is_business_day(day)
        assert fiscal.business_days_between(start, day) == count


def test_add_business_days_over_the_year_end():
    assert fiscal.add_business_days(D(2025, 12, 26), 1) == D(2026, 1, 5)
