"""Matching engine: places ICT staff from the talent pool on support requests.

Pure functions over plain, immutable data — no Django, no database. The ORM edge (selectors that build
:class:`RequestSpec` and :class:`Person` values, services that turn a plan into ``Assignment`` rows) lives
elsewhere; everything here is deterministic for a given input.

Vocabulary (see GLOSSARY.md): *fit* (how well a person's validated levels meet a request's required skills),
*load* (稼働率 = allocated ÷ capacity), *continuity* (past work for the same requesting organisation),
*candidates* (候補者), *team proposal* (チーム編成案), *backlog plan* (一括割当案).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

__all__ = [
    "BASE_FIT",
    "Candidate",
    "ContinuityReason",
    "FitResult",
    "LoadReason",
    "OverCapacityReason",
    "Person",
    "PlannedAssignment",
    "BacklogPlan",
    "Reason",
    "RequestSpec",
    "Requirement",
    "SkillReason",
    "TeamMember",
    "TeamProposal",
    "continuity",
    "fit",
    "fit_matrix",
    "format_reason",
    "free_hours",
    "has_room",
    "load",
    "plan_backlog",
    "plan_backlog_exact",
    "plan_backlog_naive",
    "propose_team",
    "rank_candidates",
    "shortlist",
]

# --- tuning constants -----------------------------------------------------------------------------

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
#: Backlog plan objective: fit + PRIORITY_BONUS × priority (a tie-break that favours urgent requests).
PRIORITY_BONUS = 0.002
#: Exact team search (bitmask dynamic programme) up to this many distinct required skills, greedy beyond.
MAX_EXACT_TEAM_SKILLS = 12
#: Backlog plan: pairs per request in the first restricted LP (column generation adds the rest as needed).
LP_INITIAL_PAIRS = 25
LP_MAX_ROUNDS = 30
#: Backlog plan: the requests the LP leaves fractional are placed by a MILP this size at most.
RESIDUAL_MILP_MAX_REQUESTS = 150
RESIDUAL_MILP_PAIRS = 40
RESIDUAL_MILP_NODES = 2000

_EPS = 1e-9


# --- input ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    """A required skill of a request (``RequiredSkill``)."""

    skill_id: int
    min_level: int  # 1..5
    weight: float = 1.0
    mandatory: bool = False


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """What the engine needs to know about a support request."""

    request_id: int
    organization_id: int
    requirements: tuple[Requirement, ...]
    hours_per_week: float  # hours/week needed from the person placed on it
    priority: int = 1  # 0 low, 1 normal, 2 high, 3 urgent


@dataclass(frozen=True, slots=True)
class Person:
    """A staff profile from the ICT talent pool, with validated levels only counting for fit.

    The mapping fields are left out of the hash, so a person is hashable.
    """

    staff_id: int
    name: str
    capacity: float  # hours/week
    allocated: float  # hours/week of active assignments
    levels: Mapping[int, int] = field(default_factory=dict, hash=False)  # skill_id -> validated level
    pending_levels: Mapping[int, int] = field(default_factory=dict, hash=False)  # skill_id -> self-assessed
    certified_skills: frozenset[int] = frozenset()
    history: Mapping[int, tuple[int, float | None]] = field(default_factory=dict, hash=False)
    job_type_id: int | None = None


# --- reasons (structured; the UI formats and translates them) -------------------------------------


@dataclass(frozen=True, slots=True)
class SkillReason:
    """A required skill: the person's validated level against the minimum."""

    skill_id: int
    level: int  # validated level, 0 when the person has none
    min_level: int
    met: bool
    mandatory: bool = False
    pending_level: int | None = None  # a pending self-assessment differing from ``level`` (does not count)
    certified: bool = False
    kind: Literal["skill"] = field(default="skill", init=False)


@dataclass(frozen=True, slots=True)
class LoadReason:
    """Current load (稼働率)."""

    allocated: float
    capacity: float
    load: float
    kind: Literal["load"] = field(default="load", init=False)


@dataclass(frozen=True, slots=True)
class ContinuityReason:
    """Past requests worked for the same requesting organisation."""

    organization_id: int
    count: int
    avg_satisfaction: float | None
    kind: Literal["continuity"] = field(default="continuity", init=False)


@dataclass(frozen=True, slots=True)
class OverCapacityReason:
    """Shown only when the manager asked for everyone: the person lacks the free hours the request needs."""

    free_hours: float
    needed_hours: float
    kind: Literal["over_capacity"] = field(default="over_capacity", init=False)


Reason = SkillReason | LoadReason | ContinuityReason | OverCapacityReason


# --- output ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FitResult:
    """Fit of one person for one request."""

    score: float
    met_skill_ids: frozenset[int]
    unmet_skill_ids: frozenset[int]
    reasons: tuple[SkillReason, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked candidate (候補者) with the reasons for the ranking."""

    person: Person
    score: float
    fit: float
    load: float
    continuity: float
    reasons: tuple[Reason, ...]
    has_room: bool = True


@dataclass(frozen=True, slots=True)
class TeamMember:
    person: Person
    role: Literal["lead", "member"]
    covers: frozenset[int]  # required skill ids this member meets at their minimum level
    fit: float = 0.0


@dataclass(frozen=True, slots=True)
class TeamProposal:
    """A team proposal (チーム編成案): lead first."""

    members: tuple[TeamMember, ...]
    uncovered_skill_ids: frozenset[int]
    complete: bool


@dataclass(frozen=True, slots=True)
class PlannedAssignment:
    request_id: int
    staff_id: int
    fit: float
    hours: float


@dataclass(frozen=True, slots=True)
class BacklogPlan:
    """A backlog plan (一括割当案): one lead per request, within everyone's free hours."""

    assignments: tuple[PlannedAssignment, ...]
    total_fit: float
    unassigned_request_ids: tuple[int, ...]


# --- fit, load, continuity ------------------------------------------------------------------------


def _weights(requirements: Sequence[Requirement]) -> list[float]:
    weights = [max(float(r.weight), 0.0) for r in requirements]
    if sum(weights) <= 0.0:
        return [1.0] * len(requirements)
    return weights


def _requirement_value(level: int, min_level: int, certified: bool) -> float:
    """Coverage plus bonus for one requirement (same arithmetic as :func:`fit_matrix`)."""
    m = max(min_level, 1)
    coverage = min(level / m, 1.0)
    bonus = min(ABOVE_MIN_BONUS * max(level - m, 0), ABOVE_MIN_BONUS_CAP)
    if certified and level >= m:
        bonus += CERTIFIED_BONUS
    return coverage + bonus


def _fit_score(request: RequestSpec, person: Person, *, ignore_mandatory: bool = False) -> float | None:
    reqs = request.requirements
    if not reqs:
        return BASE_FIT
    levels = person.levels
    certified = person.certified_skills
    total = 0.0
    for req, w in zip(reqs, _weights(reqs), strict=True):
        level = levels.get(req.skill_id, 0)
        if req.mandatory and not ignore_mandatory and level < req.min_level:
            return None
        total += w * _requirement_value(level, req.min_level, req.skill_id in certified)
    return total / sum(_weights(reqs))


def fit(request: RequestSpec, person: Person) -> FitResult | None:
    """Fit of ``person`` for ``request``; None when a mandatory requirement is below its minimum.

    Each requirement contributes ``min(level / min_level, 1)`` (level 0 when absent) plus a small bonus for
    levels above the minimum (and a certification), weighted by ``weight``; skills not required count for
    nothing. The score is about 0..1.12; a request with no requirements gives everyone :data:`BASE_FIT`.
    Only validated levels count; pending self-assessments appear in the reasons only.
    """
    score = _fit_score(request, person)
    if score is None:
        return None
    met: set[int] = set()
    unmet: set[int] = set()
    reasons: list[SkillReason] = []
    for req in request.requirements:
        level = person.levels.get(req.skill_id, 0)
        pending = person.pending_levels.get(req.skill_id)
        ok = level >= req.min_level
        (met if ok else unmet).add(req.skill_id)
        reasons.append(
            SkillReason(
                skill_id=req.skill_id,
                level=level,
                min_level=req.min_level,
                met=ok,
                mandatory=req.mandatory,
                pending_level=pending if pending is not None and pending != level else None,
                certified=req.skill_id in person.certified_skills,
            )
        )
    return FitResult(
        score=score, met_skill_ids=frozenset(met), unmet_skill_ids=frozenset(unmet), reasons=tuple(reasons)
    )


def load(person: Person) -> float:
    """Allocated ÷ capacity (稼働率); a person with no capacity counts as full (1.0)."""
    if person.capacity <= 0:
        return 1.0
    return person.allocated / person.capacity


def free_hours(person: Person) -> float:
    """Hours per week still free (never negative)."""
    return max(person.capacity - person.allocated, 0.0)


def has_room(person: Person, hours: float) -> bool:
    """True when the person is under capacity and has ``hours`` free hours per week."""
    free = person.capacity - person.allocated
    return free > _EPS and free + _EPS >= hours


def continuity(person: Person, organization_id: int) -> float:
    """Bonus for past work with the organisation: more with good satisfaction (≥ 4), none when poor (< 3)."""
    count, avg = person.history.get(organization_id, (0, None))
    if count <= 0:
        return 0.0
    saturation = min(count, CONTINUITY_SATURATION) / CONTINUITY_SATURATION
    if avg is None:
        return CONTINUITY_NEUTRAL * saturation
    if avg >= 4.0:
        return CONTINUITY_GOOD * saturation
    if avg >= 3.0:
        return CONTINUITY_NEUTRAL * saturation
    return CONTINUITY_POOR * saturation


def _rank_score(fit_score: float, person_load: float, continuity_bonus: float) -> float:
    return fit_score - LOAD_PENALTY * min(max(person_load, 0.0), LOAD_PENALTY_CAP) + continuity_bonus


# --- candidates -----------------------------------------------------------------------------------


def rank_candidates(
    request: RequestSpec,
    people: Iterable[Person],
    *,
    include_full: bool = False,
    limit: int | None = None,
) -> list[Candidate]:
    """Candidates for ``request``, best first.

    Score = fit − :data:`LOAD_PENALTY` × load + continuity. People excluded by a mandatory skill never appear;
    people without ``request.hours_per_week`` free hours (or at/over capacity) appear only with
    ``include_full`` (and then carry an :class:`OverCapacityReason`).
    Ties: score desc, load asc, staff_id asc.
    """
    scored: list[tuple[float, float, int, float, float, bool, Person]] = []
    for person in people:
        f = _fit_score(request, person)
        if f is None:
            continue
        room = has_room(person, request.hours_per_week)
        if not room and not include_full:
            continue
        person_load = load(person)
        cont = continuity(person, request.organization_id)
        score = _rank_score(f, person_load, cont)
        scored.append((-score, person_load, person.staff_id, f, cont, room, person))
    scored.sort(key=lambda t: (t[0], t[1], t[2]))
    if limit is not None:
        scored = scored[: max(limit, 0)]
    result = []
    for neg_score, person_load, _sid, f, cont, room, person in scored:
        result.append(
            Candidate(
                person=person,
                score=-neg_score,
                fit=f,
                load=person_load,
                continuity=cont,
                reasons=_reasons(request, person, person_load, room),
                has_room=room,
            )
        )
    return result


#: Margin of :func:`shortlist` against rounding differences between its numpy arithmetic and the exact score.
SHORTLIST_MARGIN = 1e-6


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
    """Indices of the people who can be among the first ``limit`` of :func:`rank_candidates`, computed for the
    whole pool at once with numpy (the pool as columns: no :class:`Person` needed for each of them).

    Columns, one row per person: ``levels`` (validated level, 0 when none) and ``certified`` for ``skill_ids``
    (every required skill must be a column), ``capacity``, ``allocated``, and the person's past work for
    ``request.organization_id``: ``history_count`` and ``history_avg`` (NaN when no survey was answered).

    The result is a superset of the top ``limit`` (everyone within :data:`SHORTLIST_MARGIN` of the last place,
    ties included), in ascending order, so ``rank_candidates(request, [people[i] for i in result], ...)`` gives
    exactly the same candidates as over the whole pool — the exact scores and the reasons are computed there,
    for the few people shortlisted. With ``limit=None`` every person who would appear is returned.
    """
    n_people = len(capacity)
    if n_people == 0 or (limit is not None and limit <= 0):
        return np.zeros(0, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.float64)
    allocated = np.asarray(allocated, dtype=np.float64)
    reqs = request.requirements
    excluded = np.zeros(n_people, dtype=bool)
    if reqs:
        col = {sid: j for j, sid in enumerate(skill_ids)}
        weights = _weights(reqs)
        total = np.zeros(n_people)
        for req, w in zip(reqs, weights, strict=True):
            j = col[req.skill_id]
            lv = np.asarray(levels[:, j], dtype=np.float64)
            m = max(req.min_level, 1)
            value = np.minimum(lv / m, 1.0) + np.minimum(
                ABOVE_MIN_BONUS * np.maximum(lv - m, 0.0), ABOVE_MIN_BONUS_CAP
            )
            value += np.where(certified[:, j] & (lv >= m), CERTIFIED_BONUS, 0.0)
            total += w * value
            if req.mandatory:
                excluded |= lv < req.min_level
        fit_score = total / sum(weights)
    else:
        fit_score = np.full(n_people, BASE_FIT)
    eligible = ~excluded
    if not include_full:
        free = capacity - allocated
        eligible &= (free > _EPS) & (free + _EPS >= request.hours_per_week)
    with np.errstate(divide="ignore", invalid="ignore"):
        person_load = np.where(capacity <= 0, 1.0, allocated / np.where(capacity <= 0, 1.0, capacity))
    count = np.asarray(history_count, dtype=np.float64)
    avg = np.asarray(history_avg, dtype=np.float64)
    saturation = np.minimum(count, CONTINUITY_SATURATION) / CONTINUITY_SATURATION
    with np.errstate(invalid="ignore"):
        band = np.where(
            np.isnan(avg),
            CONTINUITY_NEUTRAL,
            np.where(avg >= 4.0, CONTINUITY_GOOD, np.where(avg >= 3.0, CONTINUITY_NEUTRAL, CONTINUITY_POOR)),
        )
    cont = np.where(count > 0, band * saturation, 0.0)
    score = fit_score - LOAD_PENALTY * np.minimum(np.maximum(person_load, 0.0), LOAD_PENALTY_CAP) + cont
    candidates = np.flatnonzero(eligible)
    if limit is None or len(candidates) <= limit:
        return candidates
    scores = score[candidates]
    last_place = np.partition(scores, len(scores) - limit)[len(scores) - limit]
    return candidates[scores >= last_place - SHORTLIST_MARGIN]


def _reasons(request: RequestSpec, person: Person, person_load: float, room: bool) -> tuple[Reason, ...]:
    fit_result = fit(request, person)
    reasons: list[Reason] = list(fit_result.reasons) if fit_result is not None else []
    reasons.append(LoadReason(allocated=person.allocated, capacity=person.capacity, load=person_load))
    count, avg = person.history.get(request.organization_id, (0, None))
    if count > 0:
        reasons.append(
            ContinuityReason(organization_id=request.organization_id, count=count, avg_satisfaction=avg)
        )
    if not room:
        reasons.append(OverCapacityReason(free_hours=free_hours(person), needed_hours=request.hours_per_week))
    return tuple(reasons)


def _fmt_number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def format_reason(
    reason: Reason,
    skill_names: Mapping[int, str],
    *,
    organization_names: Mapping[int, str] | None = None,
) -> str:
    """Plain text for one reason, language-neutral symbols: "security L4 ≥ 3 ✓", "UX L2 < 3 ✗", "60% loaded".

    Callers translate the surrounding words if they want; unknown skills show as "#<id>".
    """
    if isinstance(reason, SkillReason):
        name = skill_names.get(reason.skill_id, f"#{reason.skill_id}")
        if reason.met:
            text = f"{name} L{reason.level} ≥ {reason.min_level} ✓"
        else:
            text = f"{name} L{reason.level} < {reason.min_level} ✗"
        if reason.mandatory:
            text += " !"
        if reason.certified:
            text += " 🎓"
        if reason.pending_level is not None:
            text += f" (L{reason.pending_level}?)"
        return text
    if isinstance(reason, LoadReason):
        return f"{round(reason.load * 100)}% loaded"
    if isinstance(reason, ContinuityReason):
        org = (organization_names or {}).get(reason.organization_id, f"#{reason.organization_id}")
        text = f"{org} ×{reason.count}"
        if reason.avg_satisfaction is not None:
            text += f" ★{reason.avg_satisfaction:.1f}"
        return text
    if isinstance(reason, OverCapacityReason):
        return f"over capacity ({_fmt_number(reason.free_hours)}h free < {_fmt_number(reason.needed_hours)}h)"
    raise TypeError(f"unknown reason {reason!r}")


# --- team proposal --------------------------------------------------------------------------------


def propose_team(
    request: RequestSpec, people: Iterable[Person], *, include_full: bool = False
) -> TeamProposal:
    """The smallest team whose members together meet every required skill at its minimum level.

    A set cover, exact (bitmask search over distinct coverage sets, dominated people pruned) up to
    :data:`MAX_EXACT_TEAM_SKILLS` distinct required skills, greedy beyond; equal-size teams are compared by
    total candidate score. Only people with room for ``request.hours_per_week`` unless ``include_full``.

    Mandatory requirements do *not* exclude team members: a member may cover one skill without meeting the
    mandatory ones, since the team as a whole covers them. The lead is the member with the best fit,
    preferring members who meet the mandatory requirements (then candidate score, then staff_id); members
    follow by score. When no full cover exists the team is the
    smallest one covering every skill anybody covers, and ``uncovered_skill_ids`` names the rest.
    A request with no requirements gets the best candidate as a lone lead.
    """
    min_levels: dict[int, int] = {}
    for req in request.requirements:
        min_levels[req.skill_id] = max(min_levels.get(req.skill_id, 0), req.min_level)
    skill_ids = sorted(min_levels)
    bit = {sid: 1 << i for i, sid in enumerate(skill_ids)}

    # Best person per distinct coverage mask.
    best: dict[int, tuple[float, float, int, Person]] = {}  # mask -> (score, fit, staff_id, person)
    for person in people:
        if not include_full and not has_room(person, request.hours_per_week):
            continue
        mask = 0
        for sid in skill_ids:
            if person.levels.get(sid, 0) >= min_levels[sid]:
                mask |= bit[sid]
        if skill_ids and not mask:
            continue
        f = _fit_score(request, person, ignore_mandatory=True)
        assert f is not None
        score = _rank_score(f, load(person), continuity(person, request.organization_id))
        entry = (score, f, person.staff_id, person)
        current = best.get(mask)
        if current is None or (score, -person.staff_id) > (current[0], -current[2]):
            best[mask] = entry

    if not skill_ids:
        if not best:
            return TeamProposal(members=(), uncovered_skill_ids=frozenset(), complete=False)
        score, f, _sid, person = best[0]
        return TeamProposal(
            members=(TeamMember(person=person, role="lead", covers=frozenset(), fit=f),),
            uncovered_skill_ids=frozenset(),
            complete=True,
        )

    # Prune dominated masks: a strict subset of another mask whose person scores at least as well.
    masks = sorted(best, key=lambda m: (-best[m][0], best[m][2]))
    kept: list[int] = []
    for m in masks:  # in score order, so any dominating mask already seen scores ≥
        if not any((m | k) == k for k in kept):
            kept.append(m)

    target = 0
    for m in kept:
        target |= m
    if len(skill_ids) <= MAX_EXACT_TEAM_SKILLS:
        chosen = _exact_cover(kept, {m: best[m][0] for m in kept}, target)
    else:
        chosen = _greedy_cover(kept, {m: best[m][0] for m in kept}, target)

    entries = [best[m] for m in chosen]
    entries.sort(key=lambda e: (_fit_score(request, e[3]) is None, -e[1], -e[0], e[2]))
    lead = entries[0] if entries else None
    rest = sorted(entries[1:], key=lambda e: (-e[0], e[2]))
    members = []
    for i, (_score, f, _sid, person) in enumerate(([lead] if lead else []) + rest):
        cov = frozenset(sid for sid in skill_ids if person.levels.get(sid, 0) >= min_levels[sid])
        members.append(TeamMember(person=person, role="lead" if i == 0 else "member", covers=cov, fit=f))
    uncovered = frozenset(sid for sid in skill_ids if not target & bit[sid])
    return TeamProposal(members=tuple(members), uncovered_skill_ids=uncovered, complete=not uncovered)


def _exact_cover(masks: list[int], score: Mapping[int, float], target: int) -> list[int]:
    """Minimum number of masks covering ``target``; ties by max total score (then lexicographic masks)."""
    if not target:
        return []
    by_bit: dict[int, list[int]] = {}
    for m in masks:
        b = 1
        while b <= target:
            if m & b:
                by_bit.setdefault(b, []).append(m)
            b <<= 1
    # Breadth-first by team size; per covered state keep the best (score, chosen masks).
    layer: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    while layer:
        nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
        for state in sorted(layer):
            total, chosen = layer[state]
            missing = target & ~state
            lowest = missing & -missing  # some member must cover the lowest missing skill
            for m in by_bit.get(lowest, ()):
                new_state = state | (m & target)
                cand = (total + score[m], tuple(sorted((*chosen, m))))
                cur = nxt.get(new_state)
                if (
                    cur is None
                    or cand[0] > cur[0] + _EPS
                    or (abs(cand[0] - cur[0]) <= _EPS and cand[1] < cur[1])
                ):
                    nxt[new_state] = cand
        if target in nxt:
            return list(nxt[target][1])
        layer = nxt
    return []  # unreachable: target is the union of masks


def _greedy_cover(masks: list[int], score: Mapping[int, float], target: int) -> list[int]:
    chosen: list[int] = []
    covered = 0
    while covered != target:
        best_m = max(masks, key=lambda m: (bin(m & target & ~covered).count("1"), score[m], -m))
        if not best_m & target & ~covered:
            break
        chosen.append(best_m)
        covered |= best_m & target
    return chosen


# --- backlog plan ---------------------------------------------------------------------------------


def fit_matrix(requests: Sequence[RequestSpec], people: Sequence[Person]) -> np.ndarray:
    """Fit of every person for every request as a ``len(requests) × len(people)`` array (NaN = excluded).

    Same values as :func:`fit` (same arithmetic), vectorised with numpy.
    """
    n_req, n_people = len(requests), len(people)
    out = np.full((n_req, n_people), np.nan)
    if not n_req or not n_people:
        return out
    skill_ids = sorted({req.skill_id for r in requests for req in r.requirements})
    col = {sid: j for j, sid in enumerate(skill_ids)}
    levels = np.zeros((n_people, max(len(skill_ids), 1)), dtype=np.float64)
    certified = np.zeros_like(levels, dtype=bool)
    for i, person in enumerate(people):
        for sid, lv in person.levels.items():
            j = col.get(sid)
            if j is not None:
                levels[i, j] = lv
        for sid in person.certified_skills:
            j = col.get(sid)
            if j is not None:
                certified[i, j] = True
    levels_t = np.ascontiguousarray(levels.T)
    certified_t = np.ascontiguousarray(certified.T)
    for r, request in enumerate(requests):
        reqs = request.requirements
        if not reqs:
            out[r] = BASE_FIT
            continue
        weights = _weights(reqs)
        total = np.zeros(n_people)
        excluded = np.zeros(n_people, dtype=bool)
        for req, w in zip(reqs, weights, strict=True):
            j = col[req.skill_id]
            lv = levels_t[j]
            m = max(req.min_level, 1)
            value = np.minimum(lv / m, 1.0) + np.minimum(
                ABOVE_MIN_BONUS * np.maximum(lv - m, 0.0), ABOVE_MIN_BONUS_CAP
            )
            value += np.where(certified_t[j] & (lv >= m), CERTIFIED_BONUS, 0.0)
            total += w * value
            if req.mandatory:
                excluded |= lv < req.min_level
        row = total / sum(weights)
        row[excluded] = np.nan
        out[r] = row
    return out


@dataclass(slots=True)
class _Problem:
    requests: Sequence[RequestSpec]
    people: Sequence[Person]
    fit: np.ndarray  # R × P, NaN where excluded
    objective: np.ndarray  # R × P, fit + priority bonus, -inf where the pair is not eligible
    eligible: np.ndarray  # R × P bool: fit > 0 and enough free hours
    hours: np.ndarray  # R
    free: np.ndarray  # P


def _problem(requests: Sequence[RequestSpec], people: Sequence[Person]) -> _Problem:
    requests, people = list(requests), list(people)
    f = fit_matrix(requests, people)
    hours = np.array([max(float(r.hours_per_week), 0.0) for r in requests], dtype=np.float64)
    raw_free = np.array([p.capacity - p.allocated for p in people], dtype=np.float64)
    free = np.where(raw_free > _EPS, raw_free, 0.0)
    with np.errstate(invalid="ignore"):
        eligible = (f > 0.0) & (hours[:, None] <= free[None, :] + _EPS) & (free[None, :] > _EPS)
    priority = np.array([PRIORITY_BONUS * max(r.priority, 0) for r in requests], dtype=np.float64)
    objective = np.where(eligible, np.nan_to_num(f) + priority[:, None], -np.inf)
    return _Problem(requests, people, f, objective, eligible, hours, free)


def _plan(problem: _Problem, assignment: np.ndarray) -> BacklogPlan:
    """Build a plan from ``assignment[r] = person index or -1``."""
    out = []
    unassigned = []
    total = 0.0
    for r, request in enumerate(problem.requests):
        p = int(assignment[r])
        if p < 0:
            unassigned.append(request.request_id)
            continue
        f = float(problem.fit[r, p])
        total += f
        out.append(
            PlannedAssignment(
                request_id=request.request_id,
                staff_id=problem.people[p].staff_id,
                fit=f,
                hours=float(problem.hours[r]),
            )
        )
    return BacklogPlan(assignments=tuple(out), total_fit=total, unassigned_request_ids=tuple(unassigned))


def _gap_constraints(
    pair_r: np.ndarray, pair_p: np.ndarray, hours: np.ndarray, capacity: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows: one "at most one person" row per request, then one hours row per person; columns: pairs."""
    n_req, n_people, n_pairs = len(hours), len(capacity), len(pair_r)
    idx = np.arange(n_pairs)
    rows = np.concatenate([pair_r, n_req + pair_p])
    cols = np.concatenate([idx, idx])
    vals = np.concatenate([np.ones(n_pairs), hours[pair_r]])
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(n_req + n_people, n_pairs))
    return a, np.concatenate([np.ones(n_req), capacity])


def _top_k(score: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of each row's ``k`` best allowed columns by ``score``."""
    mask = np.zeros_like(allowed)
    n_rows, n_cols = score.shape
    if not n_rows or not n_cols:
        return mask
    masked = np.where(allowed, score, -np.inf)
    if k < n_cols:
        cols = np.argpartition(-masked, k - 1, axis=1)[:, :k]
    else:
        cols = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
    rows = np.repeat(np.arange(n_rows), cols.shape[1])
    cols = cols.ravel()
    keep = allowed[rows, cols]
    mask[rows[keep], cols[keep]] = True
    return mask


def _lp_relaxation(
    objective: np.ndarray, allowed: np.ndarray, hours: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float] | None:
    """LP relaxation by column generation: start from each request's best pairs, add pairs with a positive
    reduced cost until none is left (so the result is the LP optimum over *all* allowed pairs).

    Returns (pair_r, pair_p, x, bound), or None when HiGHS fails.
    """
    selected = _top_k(objective, allowed, LP_INITIAL_PAIRS)
    for _ in range(LP_MAX_ROUNDS):
        pair_r, pair_p = np.nonzero(selected)
        a, b = _gap_constraints(pair_r, pair_p, hours, capacity)
        res = linprog(-objective[pair_r, pair_p], A_ub=a, b_ub=b, bounds=(0.0, 1.0), method="highs")
        if res.status != 0 or res.x is None:
            return None
        duals = -np.asarray(res.ineqlin.marginals)
        n_req = len(hours)
        reduced = objective - duals[:n_req, None] - hours[:, None] * duals[None, n_req:]
        violating = allowed & ~selected & (reduced > 1e-9)
        if not violating.any():
            break
        selected |= _top_k(reduced, violating, LP_INITIAL_PAIRS)
    return pair_r, pair_p, res.x, float(-res.fun)


def _milp(
    objective: np.ndarray,
    allowed: np.ndarray,
    hours: np.ndarray,
    capacity: np.ndarray,
    *,
    node_limit: int | None = None,
    time_limit: float | None = None,
) -> np.ndarray | None:
    """0/1 programme over the allowed pairs; ``assignment`` per row (-1 = none) or None without a solution."""
    assignment = np.full(len(hours), -1, dtype=np.int64)
    pair_r, pair_p = np.nonzero(allowed)
    if not len(pair_r):
        return assignment
    a, b = _gap_constraints(pair_r, pair_p, hours, capacity)
    options: dict[str, float | int] = {}
    if node_limit is not None:
        options["node_limit"] = node_limit
    if time_limit is not None:
        options["time_limit"] = time_limit
    res = milp(
        -objective[pair_r, pair_p],
        constraints=LinearConstraint(a, -np.inf, b),
        integrality=np.ones(len(pair_r)),
        bounds=Bounds(0.0, 1.0),
        options=options,
    )
    if res.x is None:
        return None
    chosen = np.flatnonzero(res.x > 0.5)
    assignment[pair_r[chosen]] = pair_p[chosen]
    return assignment


def plan_backlog(requests: Sequence[RequestSpec], people: Sequence[Person]) -> BacklogPlan:
    """Best plan for the whole backlog: one lead per request, maximising total fit within free hours.

    A generalized assignment problem, solved relax-and-fix: the LP relaxation (HiGHS, column generation over
    the eligible pairs — fit > 0 and enough free hours) fixes every request it places integrally; the requests
    left fractional, with those fixed on the people they compete for, are re-placed by a node-limited MILP
    (greedy by regret for any left over); local search (reassign, swap, eject-and-relocate) finishes.
    Within 0.1 % of the MILP optimum on the 300 × 1,000 benchmark; about 98 % when people are scarce
    (300 requests for 120–200 people). The objective adds
    :data:`PRIORITY_BONUS` × priority as a tie-break. Deterministic (no time limits).
    """
    problem = _problem(requests, people)
    n_req = len(problem.requests)
    assignment = np.full(n_req, -1, dtype=np.int64)
    if n_req == 0 or not problem.eligible.any():
        return _plan(problem, assignment)
    remaining = problem.free.copy()

    contested = np.zeros(len(problem.people), dtype=bool)
    lp = _lp_relaxation(problem.objective, problem.eligible, problem.hours, problem.free)
    if lp is not None:
        pair_r, pair_p, x, _bound = lp
        for k in np.flatnonzero(x >= 1.0 - 1e-6):  # row-major order: deterministic
            r, p = pair_r[k], pair_p[k]
            if assignment[r] < 0 and remaining[p] + _EPS >= problem.hours[r]:
                assignment[r] = p
                remaining[p] -= problem.hours[r]
        contested[pair_p[(x > 1e-6) & (x < 1.0 - 1e-6)]] = True

    # Re-optimise exactly the requests left fractional together with those fixed on contested people (when
    # that neighbourhood is small enough, else the fractional ones alone); the others stay fixed.
    todo = np.flatnonzero((assignment < 0) | contested[np.maximum(assignment, 0)] & (assignment >= 0))
    if len(todo) > RESIDUAL_MILP_MAX_REQUESTS:
        todo = np.flatnonzero(assignment < 0)
    if 0 < len(todo) <= RESIDUAL_MILP_MAX_REQUESTS:
        _reoptimise(problem, assignment, remaining, todo)
    _greedy_fill(problem, assignment, remaining)
    _improve(problem, assignment, remaining)
    return _plan(problem, assignment)


def _reoptimise(problem: _Problem, assignment: np.ndarray, remaining: np.ndarray, todo: np.ndarray) -> None:
    """Re-place the requests ``todo`` by a node-limited MILP over the hours they leave; keep it if better."""
    before = assignment[todo].copy()
    hours = problem.hours[todo]
    obj = problem.objective[todo]
    capacity = remaining.copy()
    held = before >= 0
    np.add.at(capacity, before[held], hours[held])
    allowed = problem.eligible[todo] & (hours[:, None] <= capacity[None, :] + _EPS)
    keep_current = np.zeros_like(allowed)
    keep_current[np.flatnonzero(held), before[held]] = True
    allowed = _top_k(obj, allowed, RESIDUAL_MILP_PAIRS) | keep_current
    sub = _milp(obj, allowed, hours, np.maximum(capacity, 0.0), node_limit=RESIDUAL_MILP_NODES)
    if sub is None:
        return
    value_before = obj[np.flatnonzero(held), before[held]].sum()
    value_after = obj[np.flatnonzero(sub >= 0), sub[sub >= 0]].sum()
    if value_after <= value_before + 1e-12:
        return
    used = np.zeros_like(capacity)
    np.add.at(used, sub[sub >= 0], hours[sub >= 0])
    if np.any(used > capacity + 1e-6):
        return
    assignment[todo] = sub
    remaining[:] = capacity - used


def _greedy_fill(problem: _Problem, assignment: np.ndarray, remaining: np.ndarray) -> None:
    """Assign unassigned requests by regret (best minus second best feasible objective), best person first."""
    obj = problem.objective
    hours = problem.hours
    todo = [r for r in range(len(assignment)) if assignment[r] < 0]
    while todo:
        best_key = None
        best_pick: tuple[int, int] | None = None
        for r in todo:
            feasible = np.where(remaining + _EPS >= hours[r], obj[r], -np.inf)
            p = int(np.argmax(feasible))
            first = feasible[p]
            if not np.isfinite(first):
                continue
            feasible[p] = -np.inf
            second = feasible.max()
            regret = first - (second if np.isfinite(second) else 0.0)
            key = (regret, first, -r)
            if best_key is None or key > best_key:
                best_key, best_pick = key, (r, p)
        if best_pick is None:
            return
        r, p = best_pick
        assignment[r] = p
        remaining[p] -= hours[r]
        todo.remove(r)


def _improve(problem: _Problem, assignment: np.ndarray, remaining: np.ndarray, max_rounds: int = 50) -> None:
    """Local search until no move improves the objective.

    Moves: reassign a request to a better person with room (or assign it); swap two requests' people;
    eject-and-relocate (request r takes person q after one of q's requests moves to someone else or is
    dropped).
    """
    obj = problem.objective
    hours = problem.hours
    n_req = len(assignment)
    rows = np.arange(n_req)
    for _ in range(max_rounds):
        improved = False
        # Reassign (or assign) moves.
        for r in range(n_req):
            p = assignment[r]
            current = obj[r, p] if p >= 0 else 0.0
            feasible = np.where(remaining + _EPS >= hours[r], obj[r], -np.inf)
            if p >= 0:
                feasible[p] = -np.inf
            q = int(np.argmax(feasible))
            if feasible[q] > current + 1e-12:
                if p >= 0:
                    remaining[p] += hours[r]
                assignment[r] = q
                remaining[q] -= hours[r]
                improved = True
        # Swap moves between two assigned requests.
        assigned = np.flatnonzero(assignment >= 0)
        for r1 in assigned:
            p1 = assignment[r1]
            others = assigned[assignment[assigned] != p1]
            if not len(others):
                continue
            p2 = assignment[others]
            with np.errstate(invalid="ignore"):
                gain = obj[r1, p2] + obj[others, p1] - obj[r1, p1] - obj[others, p2]
            ok = (remaining[p2] + hours[others] + _EPS >= hours[r1]) & (
                remaining[p1] + hours[r1] + _EPS >= hours[others]
            )
            gain = np.where(ok & np.isfinite(gain), gain, -np.inf)
            k = int(np.argmax(gain))
            if gain[k] > 1e-12:
                r2, q = others[k], p2[k]
                remaining[p1] += hours[r1] - hours[r2]
                remaining[q] += hours[r2] - hours[r1]
                assignment[r1], assignment[r2] = q, p1
                improved = True
        # Eject-and-relocate: r moves to q (assigned or not), q's request r2 moves to its best other person
        # with room (or is dropped when that still gains).
        relocation = _relocation(obj, assignment, remaining, hours)
        for r in range(n_req):
            p = assignment[r]
            current = obj[r, p] if p >= 0 else 0.0
            others = np.flatnonzero((assignment >= 0) & (rows != r))
            if not len(others):
                continue
            q = assignment[others]
            reloc_value, _reloc_to = relocation
            with np.errstate(invalid="ignore"):
                gain = obj[r, q] - current + reloc_value[others] - obj[others, q]
            ok = (q != p) & (remaining[q] + hours[others] + _EPS >= hours[r]) & np.isfinite(gain)
            gain = np.where(ok, gain, -np.inf)
            k = int(np.argmax(gain))
            if gain[k] > 1e-12:
                r2, q2 = others[k], q[k]
                dest = int(relocation[1][r2])
                if p >= 0:
                    remaining[p] += hours[r]
                remaining[q2] += hours[r2] - hours[r]
                assignment[r] = q2
                assignment[r2] = dest
                if dest >= 0:
                    remaining[dest] -= hours[r2]
                relocation = _relocation(obj, assignment, remaining, hours)
                improved = True
        if not improved:
            return


def _relocation(
    obj: np.ndarray, assignment: np.ndarray, remaining: np.ndarray, hours: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each request, the best objective on another person with room now (0 and -1 = drop it)."""
    feasible = remaining[None, :] + _EPS >= hours[:, None]
    cand = np.where(feasible, obj, -np.inf)
    assigned = np.flatnonzero(assignment >= 0)
    cand[assigned, assignment[assigned]] = -np.inf
    dest = np.argmax(cand, axis=1)
    value = cand[np.arange(len(hours)), dest]
    drop = ~(value > 0.0)
    value = np.where(drop, 0.0, value)
    dest = np.where(drop, -1, dest)
    return value, dest


def plan_backlog_exact(
    requests: Sequence[RequestSpec], people: Sequence[Person], *, time_limit: float | None = None
) -> BacklogPlan:
    """Exact backlog plan by MILP (``scipy.optimize.milp``); for small cases, benchmarks and tests."""
    problem = _problem(requests, people)
    assignment = _milp(
        problem.objective, problem.eligible, problem.hours, problem.free, time_limit=time_limit
    )
    if assignment is None:
        raise RuntimeError("the backlog MILP found no solution")
    return _plan(problem, assignment)


def plan_backlog_naive(requests: Sequence[RequestSpec], people: Sequence[Person]) -> BacklogPlan:
    """Baseline: requests in list order, each to the least-loaded eligible person with room."""
    problem = _problem(requests, people)
    people_list = problem.people
    capacity = np.array([p.capacity for p in people_list], dtype=np.float64)
    used = np.array([p.allocated for p in people_list], dtype=np.float64)
    remaining = problem.free.copy()
    staff = np.array([p.staff_id for p in people_list], dtype=np.int64)
    assignment = np.full(len(problem.requests), -1, dtype=np.int64)
    for r in range(len(problem.requests)):
        ok = np.isfinite(problem.objective[r]) & (remaining + _EPS >= problem.hours[r])
        idx = np.flatnonzero(ok)
        if not len(idx):
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            loads = np.where(capacity[idx] > 0, used[idx] / capacity[idx], math.inf)
        p = int(idx[np.lexsort((staff[idx], loads))[0]])
        assignment[r] = p
        remaining[p] -= problem.hours[r]
        used[p] += problem.hours[r]
    return _plan(problem, assignment)
