"""Baselines the backlog plan is measured against (benchmarks and the engine's tests), not used by the app:
the exact optimum by MILP (small cases) and assigning in arrival order to the least-loaded qualified person."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from staffing.matching import backlog, scoring
from staffing.matching.model import BacklogPlan, Periods, Person, RequestSpec


def plan_backlog_exact(
    requests: Sequence[RequestSpec],
    people: Sequence[Person],
    *,
    time_limit: float | None = None,
    periods: Periods | None = None,
) -> BacklogPlan:
    """Exact backlog plan by MILP (``scipy.optimize.milp``); for small cases."""
    problem = backlog.build_problem(requests, people, periods)
    assignment = backlog.solve_milp(
        problem.objective, problem.eligible, problem.need, problem.room, time_limit=time_limit
    )
    if assignment is None:
        raise RuntimeError("the backlog MILP found no solution")
    return backlog.plan_of(problem, assignment)


def plan_backlog_naive(
    requests: Sequence[RequestSpec], people: Sequence[Person], *, periods: Periods | None = None
) -> BacklogPlan:
    """Requests in list order, each to the least-loaded eligible person with room."""
    problem = backlog.build_problem(requests, people, periods)
    people_list = problem.people
    capacity = np.array([p.capacity for p in people_list], dtype=np.float64)
    used = np.array([p.allocated for p in people_list], dtype=np.float64)
    remaining = problem.room.copy()
    staff = np.array([p.staff_id for p in people_list], dtype=np.int64)
    assignment = np.full(len(problem.requests), -1, dtype=np.int64)
    for r in range(len(problem.requests)):
        ok = np.isfinite(problem.objective[r]) & backlog.fits(remaining, problem.need[r])
        idx = np.flatnonzero(ok)
        if not len(idx):
            continue
        loads = scoring.load_ratio(used[idx], capacity[idx])
        p = int(idx[np.lexsort((staff[idx], loads))[0]])
        assignment[r] = p
        remaining[p] -= problem.need[r]
        used[p] += problem.hours[r]
    return backlog.plan_of(problem, assignment)


def lp_bound(
    requests: Sequence[RequestSpec], people: Sequence[Person], *, periods: Periods | None = None
) -> float | None:
    """Upper bound on the plan objective from the LP relaxation (for large cases, where the MILP is slow)."""
    problem = backlog.build_problem(requests, people, periods)
    lp = backlog.lp_relaxation(problem.objective, problem.eligible, problem.need, problem.room)
    return lp[3] if lp is not None else None
