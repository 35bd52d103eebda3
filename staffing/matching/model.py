"""The engine's values: what it reads (requirements, requests, people) and what it returns (reasons, candidates,
team proposals, backlog plans). Plain, immutable data — no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

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


@dataclass(frozen=True, slots=True, eq=False)
class Periods:
    """Time in the backlog plan (staffing.availability.plan_periods): the planning horizon cut into slices (weeks
    or longer), the hours each request needs from its lead in each slice (its hours/week over the business days of
    its own period falling in the slice) and the hours each person has free there (capacity − leave and training −
    assignments running then). Two requests whose periods do not overlap never compete for the same hours."""

    need: object  # numpy array, requests × slices (hours)
    room: object  # numpy array, people × slices (hours)
    days: object  # numpy array, business days per slice


# --- reasons (structured; staffing/reasons.py turns them into translated text) --------------------


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
class Alternative:
    """Someone else who could lead a request of the plan: fit, and free hours now."""

    staff_id: int
    fit: float
    free_hours: float


@dataclass(frozen=True, slots=True)
class BacklogPlan:
    """A backlog plan (一括割当案): one lead per request, within everyone's free hours."""

    assignments: tuple[PlannedAssignment, ...]
    total_fit: float
    unassigned_request_ids: tuple[int, ...]
    #: Per request (in the order given), the best-fitting people with its hours free now, when asked for.
    alternatives: tuple[tuple[Alternative, ...], ...] = ()
    #: How the plan was found: "exact" (MILP, proven optimal), "milp" (the MILP's best within its time limit) or
    #: "heuristic" (relax-and-fix and local search); see staffing.matching.exact.
    method: str = "heuristic"
    #: Proven upper bound on the objective (fit + priority tie-break) and the relative gap (bound − value) ÷ bound;
    #: None when no bound was computed.
    bound: float | None = None
    optimality_gap: float | None = None
    #: Team partners (role member) the request's team rule asks for beside the lead (staffing.matching.practice).
    partners: tuple[PlannedAssignment, ...] = ()
