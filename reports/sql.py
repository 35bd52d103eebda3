"""The SQL the heavy report figures wrap, compiled from the owning apps' ORM definitions.

The coverage and demand figures aggregate the current assessments of thousands of people. Filtering by
``pk IN (current_assessments …)`` makes PostgreSQL join the window's result back to the table row by row (it cannot
estimate how many rows survive ``row_number = 1``), which took seconds at 10,000 staff. So those few aggregates wrap
the SQL that the ORM itself generates — ``skills.selectors.current_assessments`` (the one definition of "current
level") and the staff a report counts (``on_staff_q``) — in a plain GROUP BY. No rule is re-stated in SQL text here:
each piece is a compiled queryset. Standard SQL (window functions, subqueries), run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q, QuerySet

from skills.models import StaffProfile
from skills.selectors import current_assessments


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def fetch(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def compiled(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL and params the ORM runs for `queryset`, to use as a subquery."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def on_staff_q(as_of: dt.date | None, prefix: str = "") -> Q:
    """The people a report counts: active staff profiles who had joined by `as_of` (no date: there all along)."""
    q = Q(**{f"{prefix}active": True})
    if as_of is not None:
        q &= Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": as_of})
    return q


def staff_sql(as_of: dt.date | None, *fields: str, **expressions) -> tuple[str, tuple]:
    """SQL of the staff counted as of `as_of` (``on_staff_q``), with column ``id`` and the given fields."""
    return compiled(
        StaffProfile.objects.filter(on_staff_q(as_of)).order_by().values("id", *fields, **expressions)
    )


def current_sql(as_of: dt.date | None, skill_ids: Sequence[int]) -> tuple[str, tuple]:
    """SQL (columns staff_id, skill_id, level) and params of current_assessments(as_of=, skill_ids=)."""
    return compiled(
        current_assessments(as_of=as_of, skill_ids=skill_ids)
        .order_by()
        .values("staff_id", "skill_id", "level")
    )
