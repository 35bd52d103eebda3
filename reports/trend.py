"""The coverage trend: people at level ≥ 3 per skill at the end of each of the last eight quarters (HR report)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import fiscal
from reports.levels import INDEPENDENT_LEVEL, SkillRef
from reports.periods import as_of_day, quarters_back
from reports.sql import fetch, staff_sql, table
from skills.models import AssessmentStatus, SkillAssessment

TREND_QUARTERS = 8
#: A skill with fewer people than this at level ≥ 3 is a single point of failure (属人化リスク).
SPOF_THRESHOLD = 2


@dataclass
class TrendPoint:
    fiscal_year: int
    quarter: int
    label: str
    as_of: dt.date
    covered_skills: int  # skills with at least one person at ≥ 3
    robust_skills: int  # skills with at least two people at ≥ 3 (no single point of failure)
    pairs: int  # (person, skill) pairs at ≥ 3


def trend(fiscal_year: int, quarter: int, skills: list[SkillRef], today: dt.date):
    """People at ≥ 3 per skill at the end of each of the last eight quarters, in ONE query with ONE window pass.

    Eight separate ``current_assessments(as_of=…)`` windows cost eight sorts of the whole assessment history (about
    0.6 s at 5,000 staff). The same definition can be read from a single pass: order each (person, skill)'s
    validated assessments as ``current_assessments`` does (assessed_on, id); an assessment counts from
    e = max(assessed_on, validated_on) — both must be ≤ as_of there —; it is the current one at date D exactly when
    e ≤ D and every later assessment in that order has e > D, i.e. D < the minimum e over the following rows (a
    window ``MIN … ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING``). tests/reports checks that this agrees with
    ``current_assessments(as_of=D)`` at every quarter end.
    """
    quarters = quarters_back(fiscal_year, quarter, TREND_QUARTERS)
    skill_ids = [skill.id for skill in skills]
    as_ofs = [as_of_day(fiscal.quarter_period(fy, q), today) for fy, q in quarters]
    counts: dict[tuple[int, int], int] = {}
    if skill_ids:
        placeholders = ", ".join(["%s"] * len(skill_ids))
        columns, column_params = [], []
        for index, as_of in enumerate(as_ofs):
            columns.append(
                "SUM(CASE WHEN iv.e <= %s AND (iv.next_e IS NULL OR iv.next_e > %s)"
                " AND (sp.joined_on IS NULL OR sp.joined_on <= %s) THEN 1 ELSE 0 END)"
                f" AS q{index}"
            )
            column_params += [as_of, as_of, as_of]
        # Active staff (``on_staff_q`` without a date); each quarter's column checks the joining date itself.
        staff, staff_params = staff_sql(None, "joined_on")
        sql = f"""
            SELECT iv.skill_id, {", ".join(columns)}
            FROM (
                SELECT d.staff_id, d.skill_id, d.level, d.e,
                       MIN(d.e) OVER (PARTITION BY d.staff_id, d.skill_id ORDER BY d.assessed_on, d.id
                                      ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_e
                FROM (
                    SELECT a.id, a.staff_id, a.skill_id, a.level, a.assessed_on,
                           CASE WHEN a.validated_on IS NOT NULL AND a.validated_on > a.assessed_on
                                THEN a.validated_on ELSE a.assessed_on END AS e
                    FROM {table(SkillAssessment)} a
                    WHERE a.status = %s AND a.skill_id IN ({placeholders}) AND a.assessed_on <= %s
                ) d
            ) iv
            JOIN ({staff}) sp ON sp.id = iv.staff_id
            WHERE iv.level >= %s
            GROUP BY iv.skill_id
        """
        params = [
            *column_params,
            AssessmentStatus.VALIDATED.value,
            *skill_ids,
            max(as_ofs),
            *staff_params,
            INDEPENDENT_LEVEL,
        ]
        for skill_id, *values in fetch(sql, params):
            for index, value in enumerate(values):
                counts[(index, skill_id)] = int(value or 0)
    points = []
    for index, ((fy, q), as_of) in enumerate(zip(quarters, as_ofs, strict=True)):
        values = [counts.get((index, skill.id), 0) for skill in skills]
        points.append(
            TrendPoint(
                fiscal_year=fy,
                quarter=q,
                label=fiscal.quarter_label(fy, q),
                as_of=as_of,
                covered_skills=sum(1 for v in values if v >= 1),
                robust_skills=sum(1 for v in values if v >= SPOF_THRESHOLD),
                pairs=sum(values),
            )
        )
    by_skill = [
        (skill, [counts.get((index, skill.id), 0) for index in range(len(quarters))]) for skill in skills
    ]
    return points, by_skill
