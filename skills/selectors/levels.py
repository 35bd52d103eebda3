"""Current and pending levels, valid certifications and interests: the one definition of "current"."""

import datetime as dt
from collections.abc import Iterable

import numpy as np
from django.db import connection
from django.db.models import (
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from core.fiscal import today as local_today
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    SkillAssessment,
    SkillInterest,
)


def _validated_assessments(
    *,
    staff_ids: Iterable[int] | None = None,
    skill_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:
    """Validated assessments that count for the current level (as of a date when given), before the latest per
    (person, skill) is picked."""
    queryset = SkillAssessment.objects.filter(status=AssessmentStatus.VALIDATED)
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    if skill_ids is not None:
        queryset = queryset.filter(skill_id__in=list(skill_ids))
    if as_of is not None:
        queryset = queryset.annotate(effective_on=Coalesce("validated_on", "assessed_on")).filter(
            Q(assessed_on__lte=as_of) & Q(effective_on__lte=as_of)
        )
    return queryset


#: The order that picks the current assessment first within each (person, skill).
_LATEST_FIRST = ("staff_id", "skill_id", "-assessed_on", "-id")


def latest_per_person_and_skill(queryset: QuerySet, *also: str) -> QuerySet:
    """The latest row (by assessed_on, then id) per (person, skill) — and per each field named in `also` — of an
    assessment queryset: one window query. The one definition of "latest" for levels, pending and rating gaps."""
    return queryset.annotate(
        row_number=Window(
            RowNumber(),
            partition_by=[F("staff_id"), F("skill_id"), *(F(name) for name in also)],
            order_by=[F("assessed_on").desc(), F("id").desc()],
        )
    ).filter(row_number=1)


def current_assessments(
    *,
    staff_ids: Iterable[int] | None = None,
    skill_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:
    """The assessment that defines each (person, skill)'s current level: the latest validated one.

    A pending self-assessment never counts. With `as_of`, only what had been validated by that date counts, which
    gives the map "as of" any past date. One SQL query (a window function), whatever the number of people.
    """
    queryset = _validated_assessments(staff_ids=staff_ids, skill_ids=skill_ids, as_of=as_of)
    return latest_per_person_and_skill(queryset)


def current_levels(
    *,
    staff_ids: Iterable[int] | None = None,
    skill_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> dict[tuple[int, int], int]:
    """{(staff_id, skill_id): current validated level}. One query.

    The same rows as `current_assessments`; on PostgreSQL picked with DISTINCT ON (staff, skill) over the latest-
    first order, which avoids the window's sorts (about twice as fast), elsewhere with the window function. Skill
    first: the covering index assessment_validated_cover_idx (skills migration 0004) then gives the rows in order."""
    if connection.vendor == "postgresql":
        rows = (
            _validated_assessments(staff_ids=staff_ids, skill_ids=skill_ids, as_of=as_of)
            .order_by("skill_id", "staff_id", "-assessed_on", "-id")
            .distinct("skill_id", "staff_id")
            .values_list("staff_id", "skill_id", "level")
        )
    else:
        rows = current_assessments(staff_ids=staff_ids, skill_ids=skill_ids, as_of=as_of).values_list(
            "staff_id", "skill_id", "level"
        )
    return {(staff_id, skill_id): level for staff_id, skill_id, level in rows}


def current_level_columns(*, skill_ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of `current_levels(skill_ids=...)` as three int64 columns (staff_ids, skill_ids, levels), for the
    matching engine, which reads thousands of them as numpy arrays. One query.

    On PostgreSQL the same DISTINCT ON query is folded into three arrays by the database (one row back instead of
    one per level, and no Python tuple per level: about half the time at 5,000 people); elsewhere `current_levels`.
    No query for no skills.
    """
    skill_ids = list(skill_ids)
    if not skill_ids:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))
    if connection.vendor != "postgresql":
        levels = current_levels(skill_ids=skill_ids)
        columns = np.array([(*key, level) for key, level in levels.items()], dtype=np.int64).reshape(-1, 3)
        return columns[:, 0].copy(), columns[:, 1].copy(), columns[:, 2].copy()
    sql, params = (
        _validated_assessments(skill_ids=skill_ids)
        .order_by("skill_id", "staff_id", "-assessed_on", "-id")
        .distinct("skill_id", "staff_id")
        .values_list("staff_id", "skill_id", "level")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(current.staff_id), array_agg(current.skill_id), array_agg(current.level) "
            f"FROM ({sql}) AS current",
            params,
        )
        staff, skill, level = cursor.fetchone()
    return (
        np.array(staff or (), dtype=np.int64),
        np.array(skill or (), dtype=np.int64),
        np.array(level or (), dtype=np.int64),
    )


# --- the same definition, as a correlated subquery ---------------------------------------------------------------


def current_level_subquery(skill_id: int, *, as_of: dt.date | None = None, staff_ref: str = "pk") -> Subquery:
    """The current level of one skill for the staff profile of the outer query (None when never validated).

    The same definition as `current_assessments` (latest validated assessment, ordered by assessed_on then id,
    as of a date when given), written as a correlated subquery so that a list of people can be filtered and
    sorted by a level in SQL. Note: `current_assessments(...).filter(level__gte=n)` would filter BEFORE the window
    picks the latest row; use this (or `current_levels`) instead.
    """
    queryset = SkillAssessment.objects.filter(
        staff_id=OuterRef(staff_ref), skill_id=skill_id, status=AssessmentStatus.VALIDATED
    )
    if as_of is not None:
        queryset = queryset.annotate(effective_on=Coalesce("validated_on", "assessed_on")).filter(
            assessed_on__lte=as_of, effective_on__lte=as_of
        )
    return Subquery(queryset.order_by("-assessed_on", "-id").values("level")[:1])


# --- pending self-assessments, certifications, interests -----------------------------------------------------------


def pending_assessments(
    *, staff_ids: Iterable[int] | None = None, skill_ids: Iterable[int] | None = None
) -> QuerySet:
    """The latest pending self-assessment per (person, skill). One query."""
    queryset = SkillAssessment.objects.filter(status=AssessmentStatus.PENDING, source=AssessmentSource.SELF)
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    if skill_ids is not None:
        queryset = queryset.filter(skill_id__in=list(skill_ids))
    return latest_per_person_and_skill(queryset)


def pending_levels(
    *, staff_ids: Iterable[int] | None = None, skill_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], int]:
    """{(staff_id, skill_id): level of the latest pending self-assessment}. One query."""
    rows = pending_assessments(staff_ids=staff_ids, skill_ids=skill_ids).values_list(
        "staff_id", "skill_id", "level"
    )
    return {(staff_id, skill_id): level for staff_id, skill_id, level in rows}


def valid_certifications(*, staff_ids: Iterable[int] | None = None, on: dt.date | None = None) -> QuerySet:
    """Certifications obtained by `on` and not expired on it (default today)."""
    on = on or local_today()
    queryset = Certification.objects.valid_on(on)
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    return queryset


def certified_skills(
    *, staff_ids: Iterable[int] | None = None, on: dt.date | None = None
) -> dict[int, set[int]]:
    """{staff_id: {skill_id, …}} backed by a certification valid on `on` (default today). One query.

    An expired certificate stops counting as evidence.
    """
    result: dict[int, set[int]] = {}
    rows = (
        valid_certifications(staff_ids=staff_ids, on=on)
        .filter(skill__isnull=False)
        .values_list("staff_id", "skill_id")
        .distinct()
    )
    for staff_id, skill_id in rows:
        result.setdefault(staff_id, set()).add(skill_id)
    return result


def interests(*, staff_ids: Iterable[int] | None = None) -> dict[tuple[int, int], tuple[bool, bool]]:
    """{(staff_id, skill_id): (wants_to_learn, can_mentor)}. One query."""
    queryset = SkillInterest.objects.filter(Q(wants_to_learn=True) | Q(can_mentor=True))
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    return {
        (staff_id, skill_id): (wants, mentor)
        for staff_id, skill_id, wants, mentor in queryset.values_list(
            "staff_id", "skill_id", "wants_to_learn", "can_mentor"
        )
    }
