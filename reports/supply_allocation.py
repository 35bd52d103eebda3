"""Supply allocated without double counting: each person's free hour goes to at most one skill they can do.

A person able to do several skills used to count their free hours in each skill's supply, so every skill showed a
surplus. Here supply is a flow: people → skills they can do (at the skill's threshold) → demand, solved as a linear
programme (scipy's HiGHS): maximise the hours of demand met, Σ over skills of a person ≤ their free hours, Σ over
people of a skill ≤ its demand. What is left of a skill's demand is its shortfall — the least total shortfall any
allocation of the pool can reach. Among the allocations reaching it, hours go first to the skills fewer people can do
(a tiny weight ∝ 1 ÷ able people): a person's hours serve the skill only they can do, and the shortfall shows where
the pool is thin, not where it is broad. Deterministic.

Pure: plain mappings in, a plain result out (reports.demand_supply reads the database).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog


@dataclass(frozen=True)
class Allocation:
    supplied: dict[Hashable, float]  # skill -> hours of its demand met by the pool
    shortfall: dict[Hashable, float]  # skill -> demand hours nobody free can meet
    spare: dict[Hashable, float]  # person -> free hours left after the allocation
    hours: dict[tuple[Hashable, Hashable], float]  # (person, skill) -> hours allocated

    def short_people(self, skill, hours_per_person: float) -> int:
        """People of `hours_per_person` free hours it would take to meet the skill's shortfall."""
        short = self.shortfall.get(skill, 0.0)
        if short <= 1e-6 or hours_per_person <= 0:
            return 0
        return math.ceil(short / hours_per_person - 1e-9)


def allocate(
    free: Mapping[Hashable, float],
    able: Mapping[Hashable, frozenset | set],
    demand: Mapping[Hashable, float],
) -> Allocation:
    """Allocate `free` hours (person → hours) over the skills each person is `able` to do (person → skills) to meet
    `demand` (skill → hours). One LP whatever the size (variables: the (person, skill) pairs with demand)."""
    skills = sorted((s for s, d in demand.items() if d > 0), key=str)
    people = sorted((p for p, h in free.items() if h > 0), key=str)
    s_index = {s: j for j, s in enumerate(skills)}
    pairs = [
        (i, s_index[s])
        for i, p in enumerate(people)
        for s in sorted(able.get(p, ()), key=str)
        if s in s_index
    ]
    hours: dict[tuple[Hashable, Hashable], float] = {}
    supplied = dict.fromkeys(skills, 0.0)
    if pairs:
        rows_p = np.array([i for i, _j in pairs])
        rows_s = np.array([j for _i, j in pairs])
        n = len(pairs)
        a = sparse.csr_matrix(
            (np.ones(2 * n), (np.concatenate([rows_p, len(people) + rows_s]), np.tile(np.arange(n), 2))),
            shape=(len(people) + len(skills), n),
        )
        b = np.concatenate([[float(free[p]) for p in people], [float(demand[s]) for s in skills]])
        able_count = np.bincount(rows_s, minlength=len(skills))
        weight = 1.0 + 1e-6 / able_count[rows_s]
        res = linprog(-weight, A_ub=a, b_ub=b, bounds=(0.0, None), method="highs")
        if res.status != 0 or res.x is None:  # cannot happen for a feasible flow; be honest rather than wrong
            raise RuntimeError("the supply allocation LP failed")
        for k, value in enumerate(res.x):
            if value > 1e-9:
                p, s = people[pairs[k][0]], skills[pairs[k][1]]
                hours[(p, s)] = float(value)
                supplied[s] += float(value)
    used: dict[Hashable, float] = {}
    for (p, _s), h in hours.items():
        used[p] = used.get(p, 0.0) + h
    return Allocation(
        supplied=supplied,
        shortfall={s: max(0.0, float(demand[s]) - supplied[s]) for s in skills},
        spare={p: max(0.0, float(free[p]) - used.get(p, 0.0)) for p in free},
        hours=hours,
    )


def allocate_grouped(
    free_per_week: Mapping[Hashable, float],
    able: Mapping[Hashable, set],
    demand: Mapping[Hashable, float],
    weeks: float,
) -> Allocation:
    """:func:`allocate` over a period of `weeks` for a large pool: people who can do the same skills are pooled
    first (their hours add up), so the LP has one column per (group, skill) — a few hundred, whatever the pool's
    size. The result is per skill (per-person figures are per group key, a frozenset of skills)."""
    groups: dict[frozenset, float] = {}
    for person, hours in free_per_week.items():
        key = frozenset(able.get(person, ()))
        if key and hours > 0:
            groups[key] = groups.get(key, 0.0) + float(hours) * weeks
    return allocate(groups, {key: key for key in groups}, demand)
