"""Japanese: one date format everywhere — pages (`|date`, `|date:"DATETIME_FORMAT"`), exports and the coverage
report — "2026/04/01" and "2026/04/01 09:30" (what Japanese Excel shows, and what an import reads back)."""

DATE_FORMAT = "Y/m/d"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "Y/m/d H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "n/j"
YEAR_MONTH_FORMAT = "Y年n月"
FIRST_DAY_OF_WEEK = 0
