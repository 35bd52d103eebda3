"""The one scoring core: fit, load, free hours, continuity and the candidate score, for many people at once.

Every figure the engine shows or optimises comes from here — ranking (:mod:`.candidates`), the shortlist of a large
pool, team proposals (:mod:`.team`) and the fit matrix of the backlog plan (:mod:`.backlog`) — so each formula has
exactly one definition. The people are read as numpy :class:`Columns` (one entry per person); a single person is a
pool of one.

Vocabulary (GLOSSARY.md): *fit* (how well validated levels meet a request's required skills), *load* (稼働率 =
allocated ÷ capacity), *continuity* (past work for the same requesting organisation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from staffing.matching.model import Person, RequestSpec, Requirement

#: Fit of every person for a request that lists no required skill.
BASE_FIT = 1.0
#: Bonus per level above a requirement's minimum, and its cap (per requirement, weighted like coverage).
ABOVE_MIN_BONUS = 0.05
ABOVE_MIN_BONUS_CAP = 0.10
#: Bonus for an unexpired certification in a required skill whose minimum is met.
CERTIFIED_BONUS = 0.02
#: Score penalty per unit of load (0.6 load → −0.09); load is capped at 1.5 for the penalty.
LOAD_PENALTY = 0.15
LOAD_PENALTY_CAP = 1.5
#: Continuity bonus at saturation (three or more past requests) by satisfaction band.
CONTINUITY_GOOD = 0.08  # average satisfaction ≥ 4
CONTINUITY_NEUTRAL = 0.03  # 3 ≤ average < 4, or no survey answered
CONTINUITY_POOR = 0.0  # average < 3
CONTINUITY_SATURATION = 3
#: Hours below this count as none (rounding of hours/week sums).
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Columns:
    """People as numpy columns for some skills: ``levels``/``certified`` have one row per skill (in the order of
    ``skill_index``) and one entry per person; ``capacity``/``allocated`` one entry per person."""

    skill_index: Mapping[int, int]  # skill_id -> row of levels / certified
    levels: np.ndarray  # skills × people: validated level, 0 when none
    certified: np.ndarray  # skills × people: an unexpired certification in the skill
    capacity: np.ndarray  # hours/week
    allocated: np.ndarray  # hours/week of active assignments

    @classmethod
    def of_people(cls, people: Sequence[Person], skill_ids: Iterable[int]) -> Columns:
        skill_ids = sorted(set(skill_ids))
        index = {sid: j for j, sid in enumerate(skill_ids)}
        k = len(skill_ids)
        levels = np.zeros((len(people), k), dtype=np.float64)
        certified = np.zeros((len(people), k), dtype=bool)
        for i, p in enumerate(people):  # over the shorter of the person's levels and the skills asked for
            if len(p.levels) <= k:
                for sid, level in p.levels.items():
                    j = index.get(sid)
                    if j is not None:
                        levels[i, j] = level
            else:
                for j, sid in enumerate(skill_ids):
                    levels[i, j] = p.levels.get(sid, 0)
            for sid in p.certified_skills:
                j = index.get(sid)
                if j is not None:
                    certified[i, j] = True
        return cls(
            skill_index=index,
            levels=np.ascontiguousarray(levels.T),
            certified=np.ascontiguousarray(certified.T),
            capacity=np.array([p.capacity for p in people], dtype=np.float64),
            allocated=np.array([p.allocated for p in people], dtype=np.float64),
        )

    @classmethod
    def of_arrays(
        cls,
        skill_ids: Sequence[int],
        levels: np.ndarray,
        certified: np.ndarray,
        capacity: np.ndarray,
        allocated: np.ndarray,
    ) -> Columns:
        """From people × skills arrays (``skill_ids`` naming their columns)."""
        return cls(
            skill_index={sid: j for j, sid in enumerate(skill_ids)},
            levels=np.ascontiguousarray(np.asarray(levels, dtype=np.float64).T),
            certified=np.ascontiguousarray(np.asarray(certified, dtype=bool).T),
            capacity=np.asarray(capacity, dtype=np.float64),
            allocated=np.asarray(allocated, dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.capacity)

    def level(self, skill_id: int) -> np.ndarray:
        return self.levels[self.skill_index[skill_id]]


def skill_ids_of(requests: Iterable[RequestSpec]) -> set[int]:
    return {req.skill_id for request in requests for req in request.requirements}


def _weights(requirements: Sequence[Requirement]) -> list[float]:
    weights = [max(float(r.weight), 0.0) for r in requirements]
    if sum(weights) <= 0.0:
        return [1.0] * len(requirements)
    return weights


def fit(requirements: Sequence[Requirement], columns: Columns) -> tuple[np.ndarray, np.ndarray]:
    """(fit, excluded) of every person: ``excluded`` where a mandatory requirement is below its minimum (``fit`` is
    computed for them too — a team member need not meet the mandatory ones).

    Each requirement contributes ``min(level / min_level, 1)`` (level 0 when absent) plus a bonus of
    :data:`ABOVE_MIN_BONUS` per level above the minimum (capped) and :data:`CERTIFIED_BONUS` for a certification when
    the minimum is met, weighted by ``weight``; skills not required count for nothing. About 0..1.12; a request
    with no requirements gives everyone :data:`BASE_FIT`. Only validated levels count.
    """
    n = len(columns)
    excluded = np.zeros(n, dtype=bool)
    if not requirements:
        return np.full(n, BASE_FIT), excluded
    weights = _weights(requirements)
    total = np.zeros(n)
    for req, w in zip(requirements, weights, strict=True):
        j = columns.skill_index[req.skill_id]
        level = columns.levels[j]
        m = max(req.min_level, 1)
        value = np.minimum(level / m, 1.0) + np.minimum(
            ABOVE_MIN_BONUS * np.maximum(level - m, 0.0), ABOVE_MIN_BONUS_CAP
        )
        value += np.where(columns.certified[j] & (level >= m), CERTIFIED_BONUS, 0.0)
        total += w * value
        if req.mandatory:
            excluded |= level < req.min_level
    return total / sum(weights), excluded


def load_ratio(allocated, capacity):
    """稼働率 = allocated ÷ capacity; 1.0 (full) when capacity is 0 or less. Numbers (→ float) or numpy arrays.

    The one definition in Python; the workload board computes the same in SQL (staffing.pool.with_load)."""
    allocated = np.asarray(allocated, dtype=np.float64)
    capacity = np.asarray(capacity, dtype=np.float64)
    positive = capacity > 0
    ratio = np.where(positive, allocated / np.where(positive, capacity, 1.0), 1.0)
    return float(ratio) if ratio.ndim == 0 else ratio


def free_hours(capacity: np.ndarray, allocated: np.ndarray) -> np.ndarray:
    """Hours/week still free; 0 for anyone at or over capacity."""
    free = capacity - allocated
    return np.where(free > EPS, free, 0.0)


def has_room(free: np.ndarray, hours) -> np.ndarray:
    """Under capacity with ``hours`` free hours/week (``free`` from :func:`free_hours`; broadcasts)."""
    return (free > EPS) & (free + EPS >= hours)


def history_columns(people: Sequence[Person], organization_id: int) -> tuple[np.ndarray, np.ndarray]:
    """(past requests, average satisfaction or NaN) of every person for the organisation."""
    past = [p.history.get(organization_id, (0, None)) for p in people]
    count = np.array([c for c, _avg in past], dtype=np.float64)
    avg = np.array([np.nan if a is None else a for _c, a in past], dtype=np.float64)
    return count, avg


def continuity(count: np.ndarray, avg: np.ndarray) -> np.ndarray:
    """Bonus for past work with the organisation: more with good satisfaction (≥ 4), none when poor (< 3),
    neutral when no survey was answered (``avg`` NaN); grows with the count up to :data:`CONTINUITY_SATURATION`."""
    count = np.asarray(count, dtype=np.float64)
    avg = np.asarray(avg, dtype=np.float64)
    saturation = np.minimum(count, CONTINUITY_SATURATION) / CONTINUITY_SATURATION
    with np.errstate(invalid="ignore"):
        band = np.where(
            np.isnan(avg),
            CONTINUITY_NEUTRAL,
            np.where(avg >= 4.0, CONTINUITY_GOOD, np.where(avg >= 3.0, CONTINUITY_NEUTRAL, CONTINUITY_POOR)),
        )
    return np.where(count > 0, band * saturation, 0.0)


@dataclass(frozen=True, slots=True)
class Scores:
    """Everything the engine knows about every person for one request (arrays, one entry per person)."""

    fit: np.ndarray
    excluded: np.ndarray  # a mandatory requirement below its minimum
    free: np.ndarray
    room: np.ndarray  # the request's hours/week are free
    load: np.ndarray
    continuity: np.ndarray
    score: np.ndarray  # candidate score: fit − LOAD_PENALTY × load (capped) + continuity

    def eligible(self, include_full: bool) -> np.ndarray:
        """Who may appear as a candidate: not excluded, and with room unless ``include_full``."""
        return ~self.excluded if include_full else ~self.excluded & self.room


def score(request: RequestSpec, columns: Columns, history_count, history_avg) -> Scores:
    """Scores of every person for ``request`` (``history_*`` for ``request.organization_id``)."""
    fit_score, excluded = fit(request.requirements, columns)
    free = free_hours(columns.capacity, columns.allocated)
    load = load_ratio(columns.allocated, columns.capacity)
    cont = continuity(history_count, history_avg)
    return Scores(
        fit=fit_score,
        excluded=excluded,
        free=free,
        room=has_room(free, request.hours_per_week),
        load=load,
        continuity=cont,
        score=fit_score - LOAD_PENALTY * np.minimum(np.maximum(load, 0.0), LOAD_PENALTY_CAP) + cont,
    )


def fit_matrix(requests: Sequence[RequestSpec], people: Sequence[Person]) -> np.ndarray:
    """Fit of every person for every request as a ``len(requests) × len(people)`` array (NaN = excluded)."""
    out = np.full((len(requests), len(people)), np.nan)
    if not len(requests) or not len(people):
        return out
    columns = Columns.of_people(people, skill_ids_of(requests))
    for r, request in enumerate(requests):
        fit_score, excluded = fit(request.requirements, columns)
        out[r] = np.where(excluded, np.nan, fit_score)
    return out
