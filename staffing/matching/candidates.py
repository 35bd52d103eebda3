"""Candidates (候補者): the people for one request, best first, with the reasons for each rank."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from staffing.matching import scoring
from staffing.matching.model import (
    Candidate,
    ContinuityReason,
    LoadReason,
    OverCapacityReason,
    Person,
    Reason,
    RequestSpec,
    SkillReason,
)


def rank_candidates(
    request: RequestSpec,
    people: Iterable[Person],
    *,
    include_full: bool = False,
    limit: int | None = None,
) -> list[Candidate]:
    """Candidates for ``request``, best first.

    Score = fit − :data:`~staffing.matching.scoring.LOAD_PENALTY` × load + continuity (:func:`scoring.score`).
    People excluded by a mandatory skill never appear; people without ``request.hours_per_week`` free hours (or
    at/over capacity) appear only with ``include_full`` (and then carry an :class:`OverCapacityReason`).
    Ties: score desc, load asc, staff_id asc.
    """
    people = list(people)
    if not people or (limit is not None and limit <= 0):
        return []
    columns = scoring.Columns.of_people(people, scoring.skill_ids_of([request]))
    scores = scoring.score(request, columns, *scoring.history_columns(people, request.organization_id))
    chosen = np.flatnonzero(scores.eligible(include_full))
    staff_ids = np.array([people[i].staff_id for i in chosen], dtype=np.int64)
    chosen = chosen[np.lexsort((staff_ids, scores.load[chosen], -scores.score[chosen]))]
    if limit is not None:
        chosen = chosen[:limit]
    return [
        Candidate(
            person=people[i],
            score=float(scores.score[i]),
            fit=float(scores.fit[i]),
            load=float(scores.load[i]),
            continuity=float(scores.continuity[i]),
            reasons=_reasons(request, people[i], scores, i),
            has_room=bool(scores.room[i]),
        )
        for i in chosen
    ]


def shortlist(
    request: RequestSpec,
    *,
    skill_ids: Sequence[int],
    levels: np.ndarray,
    certified: np.ndarray,
    capacity: np.ndarray,
    allocated: np.ndarray,
    history_count: np.ndarray,
    history_avg: np.ndarray,
    include_full: bool = False,
    limit: int | None = None,
) -> np.ndarray:
    """Indices of the people who can be among the first ``limit`` of :func:`rank_candidates`, for a pool read as
    columns (no :class:`Person` needed for each of them).

    Columns, one row per person: ``levels`` (validated level, 0 when none) and ``certified`` for ``skill_ids``
    (every required skill must be a column), ``capacity``, ``allocated``, and the person's past work for
    ``request.organization_id``: ``history_count`` and ``history_avg`` (NaN when no survey was answered).

    The result, in ascending order, holds the top ``limit`` and everyone tied with the last of them, so
    ``rank_candidates(request, [people[i] for i in result], ...)`` gives exactly the same candidates as over the
    whole pool (the same :func:`scoring.score` computes both) — the reasons are built there, for the few people
    shortlisted. With ``limit=None`` every person who would appear is returned.
    """
    if not len(capacity) or (limit is not None and limit <= 0):
        return np.zeros(0, dtype=np.int64)
    columns = scoring.Columns.of_arrays(skill_ids, levels, certified, capacity, allocated)
    scores = scoring.score(request, columns, history_count, history_avg)
    chosen = np.flatnonzero(scores.eligible(include_full))
    if limit is None or len(chosen) <= limit:
        return chosen
    values = scores.score[chosen]
    last_place = np.partition(values, len(values) - limit)[len(values) - limit]
    return chosen[values >= last_place]


def _reasons(request: RequestSpec, person: Person, scores: scoring.Scores, i: int) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    for req in request.requirements:
        level = person.levels.get(req.skill_id, 0)
        pending = person.pending_levels.get(req.skill_id)
        reasons.append(
            SkillReason(
                skill_id=req.skill_id,
                level=level,
                min_level=req.min_level,
                met=level >= req.min_level,
                mandatory=req.mandatory,
                pending_level=pending if pending is not None and pending != level else None,
                certified=req.skill_id in person.certified_skills,
            )
        )
    reasons.append(
        LoadReason(allocated=person.allocated, capacity=person.capacity, load=float(scores.load[i]))
    )
    count, avg = person.history.get(request.organization_id, (0, None))
    if count > 0:
        reasons.append(
            ContinuityReason(organization_id=request.organization_id, count=count, avg_satisfaction=avg)
        )
    if not scores.room[i]:
        reasons.append(
            OverCapacityReason(free_hours=float(scores.free[i]), needed_hours=request.hours_per_week)
        )
    return tuple(reasons)
