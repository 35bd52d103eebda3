"""The backlog plan, exact where affordable: the heuristic (matching.backlog), then HiGHS's MILP
(``scipy.optimize.milp``) over every eligible pair within a time limit when the heuristic is not already proven
close to the optimum — and the proven gap either way.

* The heuristic runs first (well under a second at 300 requests × 1,000 people). Its value is compared with the LP
  relaxation's bound (over all eligible pairs, by column generation): when the gap is at most
  :data:`GAP_TOLERANCE` the plan is kept as it is (plentiful pools: within about 0.1 %), unless the problem is small
  (:data:`SMALL_PAIRS`), which the MILP solves at once.
* Otherwise (scarce pools: staff ≤ requests, where the heuristic is 1–4 % below the optimum) the full MILP runs for
  ``time_limit`` seconds. Its solution replaces the heuristic's when better; HiGHS's dual bound tightens the proven
  bound (HiGHS stops once within :data:`MIP_REL_GAP`). A plan proven within :data:`EXACT_GAP` is "exact"; a better
  MILP solution short of that is "milp"; otherwise the heuristic's stays, with the proven gap.
* ``optimality_gap`` = (bound − value) ÷ bound on the objective (fit + the priority tie-break).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from staffing.matching import backlog
from staffing.matching.model import BacklogPlan, Periods, Person, RequestSpec

#: A heuristic plan proven within this relative gap of the optimum is not re-solved by the MILP.
GAP_TOLERANCE = 0.005
#: HiGHS stops once its solution is proven within this relative gap (its default is 1e-4).
MIP_REL_GAP = 0.001
#: A gap this small counts as optimal ("exact").
EXACT_GAP = 1e-4
#: Problems with at most this many eligible pairs always go to the MILP (it solves them in well under a second).
SMALL_PAIRS = 5000
#: Default seconds for the MILP (the setting BACKLOG_PLAN_EXACT_SECONDS overrides it).
DEFAULT_TIME_LIMIT = 8.0


def objective_value(plan: BacklogPlan, requests: Sequence[RequestSpec]) -> float:
    """The plan's objective: total fit plus the priority tie-break."""
    priority = {r.request_id: max(r.priority, 0) for r in requests}
    return sum(a.fit + backlog.PRIORITY_BONUS * priority[a.request_id] for a in plan.assignments)


def _gap(bound: float | None, value: float) -> float | None:
    if bound is None:
        return None
    if bound <= 1e-12:
        return 0.0
    return max(0.0, (bound - value) / bound)


def _milp(problem: backlog.Problem, time_limit: float):
    """The MILP over every eligible pair: (assignment or None, finished?, dual bound or None)."""
    pair_r, pair_p = np.nonzero(problem.eligible)
    a, b = backlog._gap_constraints(pair_r, pair_p, problem.need, problem.room)
    res = milp(
        -problem.objective[pair_r, pair_p],
        constraints=LinearConstraint(a, -np.inf, b),
        integrality=np.ones(len(pair_r)),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": max(float(time_limit), 0.05), "mip_rel_gap": MIP_REL_GAP},
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and np.isfinite(dual) else None
    if res.x is None:
        return None, False, bound
    assignment = np.full(len(problem.hours), -1, dtype=np.int64)
    chosen = np.flatnonzero(res.x > 0.5)
    assignment[pair_r[chosen]] = pair_p[chosen]
    return assignment, res.status == 0, bound


def plan_backlog_best(
    requests: Sequence[RequestSpec],
    people: Sequence[Person],
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    alternatives: int = 0,
    gap_tolerance: float = GAP_TOLERANCE,
    periods: Periods | None = None,
) -> BacklogPlan:
    """The best plan found within ``time_limit`` seconds of MILP, with its method and proven gap (module doc)."""
    requests, people = list(requests), list(people)
    plan = backlog.plan_backlog(requests, people, alternatives=alternatives, periods=periods)
    value = objective_value(plan, requests)
    problem = backlog.build_problem(requests, people, periods)
    if not requests or not problem.eligible.any():
        return replace(plan, method="exact", bound=value, optimality_gap=0.0)
    lp = backlog.lp_relaxation(problem.objective, problem.eligible, problem.need, problem.room)
    bound = lp[3] if lp is not None else None
    gap = _gap(bound, value)
    small = int(problem.eligible.sum()) <= SMALL_PAIRS
    if time_limit <= 0 or (not small and gap is not None and gap <= gap_tolerance):
        method = "exact" if gap is not None and gap <= 1e-9 else "heuristic"
        return replace(plan, method=method, bound=bound, optimality_gap=gap)
    assignment, optimal, dual = _milp(problem, time_limit)
    if dual is not None:
        bound = dual if bound is None else min(bound, dual)
    method = "heuristic"
    if assignment is not None:
        milp_plan = backlog.plan_of(problem, assignment, alternatives)
        milp_value = objective_value(milp_plan, requests)
        if milp_value > value + 1e-9:
            plan, value, method = milp_plan, milp_value, "milp"
    gap = _gap(bound, value)
    if gap is not None and gap <= EXACT_GAP:
        method = "exact"
    return replace(plan, method=method, bound=bound, optimality_gap=gap)
