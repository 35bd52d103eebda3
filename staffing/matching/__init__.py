"""Matching engine: places ICT staff from the talent pool on support requests.

Pure functions over plain, immutable data — no Django, no database. The ORM edge (staffing.pool and
staffing.demand build :class:`Person` and :class:`RequestSpec` values; staffing.services turns a plan into
``Assignment`` rows) lives outside; everything here is deterministic for a given input.

* :mod:`.model` — the values read and returned (requests, people, reasons, candidates, teams, plans);
* :mod:`.scoring` — the one scoring core (fit, load, free hours, continuity, candidate score), numpy;
* :mod:`.candidates` — ranking (候補者) and the shortlist of a large pool;
* :mod:`.team` — team proposal (チーム編成案);
* :mod:`.backlog` — backlog plan (一括割当案), with alternatives per request.
"""

from staffing.matching.backlog import PRIORITY_BONUS, plan_backlog
from staffing.matching.candidates import rank_candidates, shortlist
from staffing.matching.model import (
    Alternative,
    BacklogPlan,
    Candidate,
    ContinuityReason,
    LoadReason,
    OverCapacityReason,
    Periods,
    Person,
    PlannedAssignment,
    Reason,
    RequestSpec,
    Requirement,
    SkillReason,
    TeamMember,
    TeamProposal,
)
from staffing.matching.scoring import BASE_FIT, fit_matrix, load_ratio
from staffing.matching.team import propose_team

__all__ = [
    "BASE_FIT",
    "PRIORITY_BONUS",
    "Alternative",
    "BacklogPlan",
    "Candidate",
    "ContinuityReason",
    "LoadReason",
    "OverCapacityReason",
    "Person",
    "Periods",
    "PlannedAssignment",
    "Reason",
    "RequestSpec",
    "Requirement",
    "SkillReason",
    "TeamMember",
    "TeamProposal",
    "fit_matrix",
    "load_ratio",
    "plan_backlog",
    "propose_team",
    "rank_candidates",
    "shortlist",
]
