"""English: one date format everywhere — pages, exports and reports — ISO dates, "2026-04-01" and
"2026-04-01 09:30" (unambiguous for every reader, and what an import reads back)."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 0
