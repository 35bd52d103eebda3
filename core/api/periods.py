"""The period arguments of GraphQL reports (`fiscalYear`, `quarter`): their defaults and the one refusal, so that
every report (reports.schema, reports.schema_progress, support.schema.engagements) parses them alike."""

from core import fiscal
from core.api.errors import ExpectedError

BAD_PERIOD = "Give a fiscal year between 2000 and 2100 and a quarter from 1 to 4."


def period_arguments(fiscal_year: int | None, quarter: int | None = None) -> tuple[int, int]:
    """(fiscal year, quarter): the current ones where omitted; out of range → the BAD_PERIOD error."""
    default_fy, default_q = fiscal.default_period()
    fy = default_fy if fiscal_year is None else fiscal_year
    q = default_q if quarter is None else quarter
    try:
        fiscal.validate_period(fy, q)
    except ValueError:
        raise ExpectedError(BAD_PERIOD, "BAD_PERIOD") from None
    return fy, q
