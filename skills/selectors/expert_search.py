"""Finding people by required skills and levels."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Q,
    QuerySet,
)

from skills.selectors.capacity import available_hours_expression
from skills.selectors.levels import current_level_subquery
from skills.selectors.profiles import staff_profile_list_for


@dataclass(frozen=True)
class SkillRequirement:
    skill_id: int
    min_level: int


def level_key(index: int) -> str:
    return f"level_{index}"


def expert_search_for(
    user,
    *,
    requirements: Iterable[SkillRequirement] = (),
    job_type_id: int | None = None,
    available_hours: Decimal | float | None = None,
    search: str | None = None,
    kind: str | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:
    """Active staff profiles (scoped to the user) with every required skill at ≥ its minimum current level.

    Each requirement i adds an annotation `level_<i>` (the current level; sortable), and every row carries
    `available_hours` (capacity minus active assignments). One query for the rows, whatever their number.
    """
    queryset = staff_profile_list_for(user).annotate(available_hours=available_hours_expression())
    for index, requirement in enumerate(requirements):
        key = level_key(index)
        queryset = queryset.annotate(
            **{key: current_level_subquery(requirement.skill_id, as_of=as_of)}
        ).filter(**{f"{key}__gte": requirement.min_level})
    if job_type_id:
        queryset = queryset.filter(job_type_id=job_type_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if available_hours is not None:
        queryset = queryset.filter(available_hours__gte=available_hours)
    if search:
        queryset = queryset.filter(
            Q(user__display_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(grade__icontains=search)
        )
    return queryset
