"""Reskilling candidates (HR): people one level below a scarce skill's threshold, those who want to learn it first.

``reskilling_candidates_for`` lists them for one skill; ``reskilling_previews`` gives the first few for every single
point of failure of the coverage report, in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber

from core import fiscal
from reports import policies
from reports.levels import INDEPENDENT_LEVEL, SkillRef, skill_ref
from reports.sql import on_staff_q
from skills.models import Skill, SkillAssessment, SkillInterest
from skills.selectors import current_assessments, skill_by_code

RESKILLING_PREVIEW = 5
CANDIDATE_LIMIT = 200


@dataclass
class Candidate:
    person: str
    email: str
    job_type: str
    skill: SkillRef
    current_level: int
    wants_to_learn: bool
    can_mentor: bool


@dataclass
class ReskillingPreview:
    skill: SkillRef
    holders: int
    total: int
    candidates: list[Candidate]


def _current(as_of: dt.date | None, skill_ids: Iterable[int]):
    """Current assessments (the one definition) of the staff counted as of `as_of`."""
    current = current_assessments(as_of=as_of, skill_ids=skill_ids).values("pk")
    return SkillAssessment.objects.filter(on_staff_q(as_of, "staff__"), pk__in=current).order_by()


def _candidate_queryset(as_of: dt.date | None, skill_ids: list[int], level: int):
    interest = SkillInterest.objects.filter(staff_id=OuterRef("staff_id"), skill_id=OuterRef("skill_id"))
    return (
        _current(as_of, skill_ids)
        .filter(level=level - 1)
        .annotate(
            wants=Exists(interest.filter(wants_to_learn=True)),
            mentor=Exists(interest.filter(can_mentor=True)),
        )
        .select_related("staff__user", "staff__job_type", "skill")
    )


def _candidate(row, skill: SkillRef) -> Candidate:
    return Candidate(
        person=row.staff.user.label,
        email=row.staff.user.email,
        job_type=row.staff.job_type.localized_name if row.staff.job_type else "",
        skill=skill,
        current_level=row.level,
        wants_to_learn=row.wants,
        can_mentor=row.mentor,
    )


def reskilling_previews(scarce: Sequence, as_of: dt.date) -> list[ReskillingPreview]:
    """Top candidates for every scarce skill (items with ``.skill`` and ``.holders``) in one query: a window ranks
    them within each skill."""
    if not scarce:
        return []
    skill_ids = [item.skill.id for item in scarce]
    rows = (
        _candidate_queryset(as_of, skill_ids, INDEPENDENT_LEVEL)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("skill_id")],
                order_by=[
                    F("wants").desc(),
                    F("staff__user__display_name").asc(),
                    F("staff__user__email").asc(),
                ],
            ),
            total=Window(Count("id"), partition_by=[F("skill_id")]),
        )
        .filter(rank__lte=RESKILLING_PREVIEW)
        .order_by("skill_id", "rank")
    )
    by_skill: dict[int, list] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in rows:
        by_skill[row.skill_id].append(row)
        totals[row.skill_id] = row.total
    return [
        ReskillingPreview(
            skill=item.skill,
            holders=item.holders,
            total=totals.get(item.skill.id, 0),
            candidates=[_candidate(row, item.skill) for row in by_skill.get(item.skill.id, [])],
        )
        for item in scarce
    ]


def reskilling_candidates_for(
    user, *, skill_code: str, level: int = INDEPENDENT_LEVEL, today: dt.date | None = None
) -> tuple[Skill | None, list[Candidate]]:
    """People exactly one level below `level` (default 3, where a skill counts as covered) in a skill, those who
    want to learn it first, then by name. (None, []) for an unknown skill. Two queries.
    """
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    if level not in (2, 3, 4, 5):
        raise ValueError("level must be 2-5")
    skill = skill_by_code(skill_code)
    if skill is None:
        return None, []
    ref = skill_ref(skill)
    rows = _candidate_queryset(today or fiscal.today(), [skill.pk], level).order_by(
        "-wants", "staff__user__display_name", "staff__user__email"
    )[:CANDIDATE_LIMIT]
    return skill, [_candidate(row, ref) for row in rows]
