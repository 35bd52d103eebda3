"""Rating gaps: where a person's self-rating and the manager's rating differ."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    QuerySet,
)

from skills import policies
from skills.models import (
    AssessmentSource,
    Skill,
    SkillAssessment,
    StaffProfile,
)
from skills.selectors.levels import latest_per_person_and_skill
from skills.selectors.profiles import _profiles


def _latest_ratings(
    *, sources: Iterable[str], staff_ids: Iterable[int] | None = None, as_of: dt.date | None = None
) -> QuerySet:
    """The latest assessment per (person, skill, source), whatever its status (recorded by `as_of` when given)."""
    queryset = SkillAssessment.objects.filter(source__in=list(sources))
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    if as_of is not None:
        queryset = queryset.filter(assessed_on__lte=as_of)
    return latest_per_person_and_skill(queryset, "source")


def latest_ratings(*, staff_ids: Iterable[int] | None = None, source: str) -> dict[tuple[int, int], int]:
    """{(staff_id, skill_id): level of the latest assessment from `source`} (self or manager), whatever its status.

    Shown beside each skill of a person's map. One query.
    """
    rows = _latest_ratings(sources=[source], staff_ids=staff_ids).values_list("staff_id", "skill_id", "level")
    return {(staff_id, skill_id): level for staff_id, skill_id, level in rows}


@dataclass(frozen=True)
class RatingGap:
    staff_id: int
    skill_id: int
    self_level: int
    manager_level: int
    person: str  # display name, else e-mail
    email: str

    @property
    def gap(self) -> int:
        return self.self_level - self.manager_level


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def rating_gaps(*, as_of: dt.date | None = None, limit: int | None = None) -> tuple[int, list[RatingGap]]:
    """THE self-versus-manager gap, used by the validation page and HR's coverage report: (how many, the gaps).

    A gap is a (person, skill) whose latest self-assessment and latest manager assessment — each the latest of its
    source by (assessed_on, id), whatever its status, recorded by `as_of` when given — both exist and differ. Self
    and manager ratings are separate rows (append-only history), so a pending self-assessment counts: the gap is
    what the manager should talk about, before or after validating.

    Scope, decided once: **active staff and active skills**. People who left cannot be developed or assigned, and a
    retired skill is no longer assessed, so their old disagreements are not actionable; both pages list only active
    people and active skills anyway (the report's heat map, the validation page's pool).

    Largest gap first, then e-mail and skill code; at most `limit`. One query (the count is a window over the same
    rows), whatever the history: it aggregates in SQL wrapped around the ORM's own latest-rating query.
    """
    latest, params = (
        _latest_ratings(sources=(AssessmentSource.SELF, AssessmentSource.MANAGER), as_of=as_of)
        .order_by()
        .values("staff_id", "skill_id", "source", "level")
        .query.sql_with_params()
    )
    user_table = _table(StaffProfile._meta.get_field("user").related_model)
    sql = f"""
        SELECT p.staff_id, p.skill_id, p.self_level, p.manager_level, u.display_name, u.email,
               COUNT(*) OVER () AS total
        FROM (
            SELECT l.staff_id, l.skill_id,
                   MAX(CASE WHEN l.source = %s THEN l.level END) AS self_level,
                   MAX(CASE WHEN l.source = %s THEN l.level END) AS manager_level
            FROM ({latest}) l
            GROUP BY l.staff_id, l.skill_id
        ) p
        JOIN {_table(StaffProfile)} sp ON sp.id = p.staff_id
        JOIN {user_table} u ON u.id = sp.user_id
        JOIN {_table(Skill)} k ON k.id = p.skill_id
        WHERE p.self_level <> p.manager_level AND sp.active = %s AND k.active = %s
        ORDER BY ABS(p.self_level - p.manager_level) DESC, u.email, k.code
    """
    params = [AssessmentSource.SELF.value, AssessmentSource.MANAGER.value, *params, True, True]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    gaps = [
        RatingGap(staff_id, skill_id, own, manager, name or email, email)
        for staff_id, skill_id, own, manager, name, email, _total in rows
    ]
    return (rows[0][-1] if rows else 0), gaps


@dataclass
class RatingGapRow:
    staff: StaffProfile
    skill: Skill
    self_level: int
    manager_level: int

    @property
    def gap(self) -> int:
        return self.self_level - self.manager_level


def rating_gap_rows_for(user, *, limit: int = 100) -> list[RatingGapRow]:
    """The self-versus-manager gaps (``rating_gaps``) for the validation page, largest first. Three queries."""
    if not policies.can_view_skill_map(user):
        return []
    _count, gaps = rating_gaps(limit=limit)
    staff = _profiles().in_bulk({gap.staff_id for gap in gaps})
    skills = Skill.objects.select_related("category").in_bulk({gap.skill_id for gap in gaps})
    return [
        RatingGapRow(
            staff=staff[gap.staff_id],
            skill=skills[gap.skill_id],
            self_level=gap.self_level,
            manager_level=gap.manager_level,
        )
        for gap in gaps
    ]
