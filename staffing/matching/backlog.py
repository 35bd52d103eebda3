"""Backlog plan (一括割当案): one lead for every request of the backlog at once, maximising total fit within
everyone's free hours — a generalized assignment problem (LP relaxation and MILP by HiGHS through scipy, then local
search), with the alternatives offered per row.

Time (:class:`~staffing.matching.model.Periods`): without periods every request takes its hours/week from one flat
weekly figure per person. With periods, the horizon is cut into slices; a request needs hours only in the slices its
own period (start → due date) covers and a person's hours are counted per slice, so two requests whose periods do not
overlap can both use the same person's hours, and a person away during a request's period is not free for it. The
constraints are then one "hours" row per person and slice (a multi-resource assignment problem); the LP, the MILP and
the local search work on those rows alike.

``build_problem``, ``lp_relaxation``, ``solve_milp`` and ``plan_of`` are public for the baselines the benchmarks
compare with (benchmarks/baselines.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from staffing.matching import scoring
from staffing.matching.model import Alternative, BacklogPlan, Periods, Person, PlannedAssignment, RequestSpec
from staffing.matching.scoring import EPS

#: Objective: fit + PRIORITY_BONUS × priority (a tie-break that favours urgent requests).
PRIORITY_BONUS = 0.002
#: Pairs per request in the first restricted LP (column generation adds the rest as needed).
LP_INITIAL_PAIRS = 25
LP_MAX_ROUNDS = 30
#: The requests the LP leaves fractional are placed by a MILP this size at most.
RESIDUAL_MILP_MAX_REQUESTS = 150
RESIDUAL_MILP_PAIRS = 40
RESIDUAL_MILP_NODES = 2000


@dataclass(slots=True)
class Problem:
    requests: Sequence[RequestSpec]
    people: Sequence[Person]
    fit: np.ndarray  # R × P, NaN where excluded
    objective: np.ndarray  # R × P, fit + priority bonus, -inf where the pair is not eligible
    eligible: np.ndarray  # R × P bool: fit > 0 and enough free hours
    hours: np.ndarray  # R, hours/week
    free: np.ndarray  # P, hours/week free (flat; shown when there are no periods)
    need: np.ndarray  # R × S, hours each request needs in each slice (S = 1 without periods: hours/week)
    room: np.ndarray  # P × S, hours each person has free in each slice
    days: np.ndarray  # S, business days per slice (5 without periods)


def _as_rows(values: np.ndarray) -> np.ndarray:
    """1-D hours (one flat figure each) as a one-slice column; 2-D as they are."""
    values = np.asarray(values, dtype=np.float64)
    return values[:, None] if values.ndim == 1 else values


def fits(room: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Per row of ``room`` (people × slices): room for ``need`` (slices) in every slice it needs hours, and some
    free hours there (anywhere, for a request needing none) — ``scoring.has_room`` slice by slice."""
    active = np.flatnonzero(need > 0.0)
    if not len(active):
        return np.any(room > EPS, axis=1)
    part = room[:, active]
    return np.all(part + EPS >= need[active], axis=1) & np.any(part > EPS, axis=1)


def eligible_pairs(room: np.ndarray, need: np.ndarray) -> np.ndarray:
    """R × P: :func:`fits` for every request (a slice at a time: no R × P × S array)."""
    out = np.ones((need.shape[0], room.shape[0]), dtype=bool)
    some = np.zeros_like(out)
    for s in range(need.shape[1]):
        col_need = need[:, s, None]
        col_room = room[None, :, s]
        out &= (col_need <= 0.0) | (col_room + EPS >= col_need)
        some |= (col_need > 0.0) & (col_room > EPS)
    idle = ~(need > 0.0).any(axis=1)
    if idle.any():
        some[idle] = np.any(room > EPS, axis=1)[None, :]
    return out & some


def build_problem(
    requests: Sequence[RequestSpec], people: Sequence[Person], periods: Periods | None = None
) -> Problem:
    requests, people = list(requests), list(people)
    f = scoring.fit_matrix(requests, people)
    hours = np.array([max(float(r.hours_per_week), 0.0) for r in requests], dtype=np.float64)
    capacity = np.array([p.capacity for p in people], dtype=np.float64)
    allocated = np.array([p.allocated for p in people], dtype=np.float64)
    free = scoring.free_hours(capacity, allocated)
    if periods is None:
        need, room, days = hours[:, None], free[:, None], np.array([5.0])
    else:
        need = np.maximum(np.asarray(periods.need, dtype=np.float64).reshape(len(requests), -1), 0.0)
        room = np.maximum(np.asarray(periods.room, dtype=np.float64).reshape(len(people), -1), 0.0)
        days = np.asarray(periods.days, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        eligible = (f > 0.0) & eligible_pairs(room, need)
    priority = np.array([PRIORITY_BONUS * max(r.priority, 0) for r in requests], dtype=np.float64)
    objective = np.where(eligible, np.nan_to_num(f) + priority[:, None], -np.inf)
    return Problem(requests, people, f, objective, eligible, hours, free, need, room, days)


def free_per_week(problem: Problem, r: int, p: int) -> float:
    """Person p's free hours/week within request r's period: the tightest slice it needs (flat: free hours/week)."""
    active = np.flatnonzero(problem.need[r] > 0.0)
    active = active[problem.days[active] > 0]
    if not len(active):
        return float(problem.free[p]) if problem.need.shape[1] == 1 else 0.0
    return float(np.min(problem.room[p, active] / problem.days[active] * 5.0))


def plan_of(problem: Problem, assignment: np.ndarray, alternatives: int = 0) -> BacklogPlan:
    """Build a plan from ``assignment[r] = person index or -1``, with the ``alternatives`` best eligible people per
    request (by fit; people with its hours free now)."""
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
    options = []
    for r in range(len(problem.requests) if alternatives > 0 else 0):
        row = np.where(problem.eligible[r], problem.fit[r], -np.inf)
        order = np.argsort(-row, kind="stable")[:alternatives]
        options.append(
            tuple(
                Alternative(
                    staff_id=problem.people[p].staff_id,
                    fit=float(row[p]),
                    free_hours=free_per_week(problem, r, p),
                )
                for p in order
                if np.isfinite(row[p])
            )
        )
    return BacklogPlan(
        assignments=tuple(out),
        total_fit=total,
        unassigned_request_ids=tuple(unassigned),
        alternatives=tuple(options),
    )


def _gap_constraints(
    pair_r: np.ndarray, pair_p: np.ndarray, hours: np.ndarray, capacity: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows: one "at most one person" row per request, then one hours row per person and slice; columns: pairs.
    ``hours``: R (flat) or R × S; ``capacity``: P or P × S."""
    hours, capacity = _as_rows(hours), _as_rows(capacity)
    n_req, n_people, n_pairs = len(hours), len(capacity), len(pair_r)
    n_slices = hours.shape[1]
    idx = np.arange(n_pairs)
    k, s = np.nonzero(hours[pair_r] > 0.0)
    rows = np.concatenate([pair_r, n_req + pair_p[k] * n_slices + s])
    cols = np.concatenate([idx, k])
    vals = np.concatenate([np.ones(n_pairs), hours[pair_r[k], s]])
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(n_req + n_people * n_slices, n_pairs))
    return a, np.concatenate([np.ones(n_req), capacity.ravel()])


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


def lp_relaxation(
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
        need = _as_rows(hours)
        n_req = len(need)
        per_slice = duals[n_req:].reshape(-1, need.shape[1])  # P × S
        reduced = objective - duals[:n_req, None] - need @ per_slice.T
        violating = allowed & ~selected & (reduced > 1e-9)
        if not violating.any():
            break
        selected |= _top_k(reduced, violating, LP_INITIAL_PAIRS)
    return pair_r, pair_p, res.x, float(-res.fun)


def solve_milp(
    objective: np.ndarray,
    allowed: np.ndarray,
    hours: np.ndarray,
    capacity: np.ndarray,
    *,
    node_limit: int | None = None,
    time_limit: float | None = None,
) -> np.ndarray | None:
    """0/1 programme over the allowed pairs; ``assignment`` per row (-1 = none) or None without a solution."""
    assignment = np.full(len(_as_rows(hours)), -1, dtype=np.int64)
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


def plan_backlog(
    requests: Sequence[RequestSpec],
    people: Sequence[Person],
    *,
    alternatives: int = 0,
    periods: Periods | None = None,
) -> BacklogPlan:
    """Best plan for the whole backlog: one lead per request, maximising total fit within free hours.

    A generalized assignment problem, solved relax-and-fix: the LP relaxation (HiGHS, column generation over
    the eligible pairs — fit > 0 and enough free hours) fixes every request it places integrally; the requests
    left fractional, with those fixed on the people they compete for, are re-placed by a node-limited MILP
    (greedy by regret for any left over); local search (reassign, swap, eject-and-relocate) finishes.
    Within 0.1 % of the MILP optimum on the 300 × 1,000 benchmark; about 98 % when people are scarce
    (300 requests for 120–200 people). The objective adds
    :data:`PRIORITY_BONUS` × priority as a tie-break. Deterministic (no time limits). With ``alternatives``, the
    plan also names that many people per request who could lead it instead (:attr:`BacklogPlan.alternatives`).
    With ``periods``, hours are counted per slice of time (module doc).
    """
    problem = build_problem(requests, people, periods)
    n_req = len(problem.requests)
    assignment = np.full(n_req, -1, dtype=np.int64)
    if n_req == 0 or not problem.eligible.any():
        return plan_of(problem, assignment, alternatives)
    remaining = problem.room.copy()

    contested = np.zeros(len(problem.people), dtype=bool)
    lp = lp_relaxation(problem.objective, problem.eligible, problem.need, problem.room)
    if lp is not None:
        pair_r, pair_p, x, _bound = lp
        for k in np.flatnonzero(x >= 1.0 - 1e-6):  # row-major order: deterministic
            r, p = pair_r[k], pair_p[k]
            if assignment[r] < 0 and np.all(remaining[p] + EPS >= problem.need[r]):
                assignment[r] = p
                remaining[p] -= problem.need[r]
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
    return plan_of(problem, assignment, alternatives)


def _reoptimise(problem: Problem, assignment: np.ndarray, remaining: np.ndarray, todo: np.ndarray) -> None:
    """Re-place the requests ``todo`` by a node-limited MILP over the hours they leave; keep it if better."""
    before = assignment[todo].copy()
    hours = problem.need[todo]
    obj = problem.objective[todo]
    capacity = remaining.copy()
    held = before >= 0
    np.add.at(capacity, before[held], hours[held])
    allowed = problem.eligible[todo] & eligible_pairs(capacity, hours)
    keep_current = np.zeros_like(allowed)
    keep_current[np.flatnonzero(held), before[held]] = True
    allowed = _top_k(obj, allowed, RESIDUAL_MILP_PAIRS) | keep_current
    sub = solve_milp(obj, allowed, hours, np.maximum(capacity, 0.0), node_limit=RESIDUAL_MILP_NODES)
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


def _greedy_fill(problem: Problem, assignment: np.ndarray, remaining: np.ndarray) -> None:
    """Assign unassigned requests by regret (best minus second best feasible objective), best person first."""
    obj = problem.objective
    hours = problem.need
    todo = [r for r in range(len(assignment)) if assignment[r] < 0]
    while todo:
        best_key = None
        best_pick: tuple[int, int] | None = None
        for r in todo:
            feasible = np.where(_room_for(remaining, hours[r]), obj[r], -np.inf)
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


def _improve(problem: Problem, assignment: np.ndarray, remaining: np.ndarray, max_rounds: int = 50) -> None:
    """Local search until no move improves the objective.

    Moves: reassign a request to a better person with room (or assign it); swap two requests' people;
    eject-and-relocate (request r takes person q after one of q's requests moves to someone else or is
    dropped).
    """
    obj = problem.objective
    hours = problem.need
    n_req = len(assignment)
    rows = np.arange(n_req)
    for _ in range(max_rounds):
        improved = False
        # Reassign (or assign) moves.
        for r in range(n_req):
            p = assignment[r]
            current = obj[r, p] if p >= 0 else 0.0
            feasible = np.where(_room_for(remaining, hours[r]), obj[r], -np.inf)
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
            ok = np.all(remaining[p2] + hours[others] + EPS >= hours[r1], axis=1) & np.all(
                remaining[p1] + hours[r1] + EPS >= hours[others], axis=1
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
            ok = (q != p) & np.all(remaining[q] + hours[others] + EPS >= hours[r], axis=1) & np.isfinite(gain)
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
    feasible = np.ones(obj.shape, dtype=bool)
    for s in range(hours.shape[1]):
        feasible &= remaining[None, :, s] + EPS >= hours[:, s, None]
    cand = np.where(feasible, obj, -np.inf)
    assigned = np.flatnonzero(assignment >= 0)
    cand[assigned, assignment[assigned]] = -np.inf
    dest = np.argmax(cand, axis=1)
    value = cand[np.arange(len(hours)), dest]
    drop = ~(value > 0.0)
    value = np.where(drop, 0.0, value)
    dest = np.where(drop, -1, dest)
    return value, dest


def _room_for(remaining: np.ndarray, need: np.ndarray) -> np.ndarray:
    """People (rows of ``remaining``, P × S) with room for ``need`` (S) in every slice: no more than the hours left."""
    active = np.flatnonzero(need > 0.0)
    if not len(active):
        return np.ones(len(remaining), dtype=bool)
    return np.all(remaining[:, active] + EPS >= need[active], axis=1)
