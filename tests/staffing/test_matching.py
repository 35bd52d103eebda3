"""Matching engine (staffing.matching): pure functions over plain data (no database, no Django)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from benchmarks.baselines import plan_backlog_exact, plan_backlog_naive
from staffing.matching import (
    BASE_FIT,
    ContinuityReason,
    LoadReason,
    OverCapacityReason,
    Person,
    RequestSpec,
    Requirement,
    SkillReason,
    fit_matrix,
    load_ratio,
    plan_backlog,
    propose_team,
    rank_candidates,
    shortlist,
)

SECURITY, UX, CLOUD, DATA, PROCUREMENT, RPA = 1, 2, 3, 4, 5, 6


def person(
    staff_id: int, levels: dict[int, int], *, capacity: float = 40, allocated: float = 0, **kw
) -> Person:
    return Person(
        staff_id=staff_id, name=f"p{staff_id}", capacity=capacity, allocated=allocated, levels=levels, **kw
    )


def request(*reqs: Requirement, hours: float = 4, org: int = 100, request_id: int = 1, priority: int = 1):
    return RequestSpec(
        request_id=request_id, organization_id=org, requirements=reqs, hours_per_week=hours, priority=priority
    )


def fit(req: RequestSpec, someone: Person) -> float | None:
    """The fit of one person (a pool of one for the scoring core); None when a mandatory skill excludes them."""
    value = fit_matrix([req], [someone])[0, 0]
    return None if np.isnan(value) else float(value)


# --- fit ------------------------------------------------------------------------------------------


def test_mandatory_requirement_below_minimum_excludes():
    req = request(Requirement(SECURITY, 3, mandatory=True), Requirement(UX, 2))
    weak = person(1, {SECURITY: 2, UX: 5})
    strong = person(2, {SECURITY: 3, UX: 2})

    assert fit(req, weak) is None
    assert fit(req, strong) is not None
    assert [c.person.staff_id for c in rank_candidates(req, [weak, strong], include_full=True)] == [2]


def test_non_mandatory_requirement_below_minimum_reduces_fit_without_excluding():
    req = request(Requirement(SECURITY, 4), Requirement(UX, 2))
    full = fit(req, person(1, {SECURITY: 4, UX: 2}))
    partial = fit(req, person(2, {SECURITY: 2, UX: 2}))
    absent = fit(req, person(3, {UX: 2}))

    assert full == pytest.approx(1.0)
    assert partial == pytest.approx((0.5 + 1.0) / 2)
    assert absent == pytest.approx(0.5)
    ranked = rank_candidates(req, [person(2, {SECURITY: 2, UX: 2}), person(1, {SECURITY: 4, UX: 2})])
    assert [c.person.staff_id for c in ranked] == [1, 2]
    met = {r.skill_id: r.met for r in ranked[1].reasons if isinstance(r, SkillReason)}
    assert met == {SECURITY: False, UX: True}


def test_fit_weights_bonus_above_minimum_and_ignores_irrelevant_skills():
    req = request(Requirement(SECURITY, 2, weight=3.0), Requirement(UX, 4, weight=1.0))
    base = fit(req, person(1, {SECURITY: 2, UX: 2}))
    above = fit(req, person(2, {SECURITY: 4, UX: 2}))
    irrelevant = fit(req, person(3, {SECURITY: 2, UX: 2, CLOUD: 5, DATA: 5}))

    assert base == pytest.approx((3 * 1.0 + 1 * 0.5) / 4)
    assert above == pytest.approx((3 * (1.0 + 0.10) + 1 * 0.5) / 4)
    assert irrelevant == pytest.approx(base)
    assert fit(req, person(4, {SECURITY: 5, UX: 2})) == pytest.approx(above)  # bonus capped
    certified = fit(req, person(5, {SECURITY: 2, UX: 2}, certified_skills=frozenset({SECURITY, UX})))
    assert certified == pytest.approx(base + 3 * 0.02 / 4)  # only where the minimum is met


def test_request_without_requirements_gives_everyone_the_same_base_fit():
    req = request()
    scores = {fit(req, p) for p in [person(1, {}), person(2, {SECURITY: 5}), person(3, {UX: 1})]}
    assert scores == {BASE_FIT}


def test_ranking_team_and_plan_show_the_same_fit():
    """One scoring core: a candidate's fit, a team member's fit and a plan row's fit are the fit matrix's."""
    rng = random.Random(7)
    people = random_pool(rng, 25)
    requests = random_requests(rng, 12)
    matrix = fit_matrix(requests, people)
    column = {p.staff_id: i for i, p in enumerate(people)}
    for r, req in enumerate(requests):
        ranked = rank_candidates(req, people, include_full=True)
        assert {c.person.staff_id for c in ranked} == {
            p.staff_id for i, p in enumerate(people) if not np.isnan(matrix[r, i])
        }
        for c in ranked:
            assert c.fit == matrix[r, column[c.person.staff_id]]
        for m in propose_team(req, people, include_full=True).members:
            if not np.isnan(matrix[r, column[m.person.staff_id]]):
                assert m.fit == matrix[r, column[m.person.staff_id]]
    for a in plan_backlog(requests, people).assignments:
        assert a.fit == matrix[a.request_id - 1, column[a.staff_id]]


# --- load and candidates --------------------------------------------------------------------------


def test_load():
    assert load_ratio(24, 40) == pytest.approx(0.6)
    assert load_ratio(0, 0) == 1.0
    assert load_ratio(np.array([24.0, 5.0]), np.array([40.0, 0.0])).tolist() == pytest.approx([0.6, 1.0])


def test_capacity_excludes_unless_include_full():
    req = request(Requirement(SECURITY, 3), hours=8)
    free = person(1, {SECURITY: 3}, capacity=40, allocated=10)
    short = person(2, {SECURITY: 5}, capacity=40, allocated=36)  # 4 h free < 8 h needed
    full = person(3, {SECURITY: 5}, capacity=20, allocated=20)
    over = person(4, {SECURITY: 5}, capacity=20, allocated=25)

    assert [c.person.staff_id for c in rank_candidates(req, [free, short, full, over])] == [1]
    everyone = rank_candidates(req, [free, short, full, over], include_full=True)
    assert {c.person.staff_id for c in everyone} == {1, 2, 3, 4}
    by_id = {c.person.staff_id: c for c in everyone}
    assert by_id[1].has_room and not any(isinstance(r, OverCapacityReason) for r in by_id[1].reasons)
    for staff_id in (2, 3, 4):
        assert not by_id[staff_id].has_room
        assert any(isinstance(r, OverCapacityReason) for r in by_id[staff_id].reasons)


def test_less_loaded_person_ranks_first_when_fit_is_equal():
    req = request(Requirement(SECURITY, 3))
    busy = person(1, {SECURITY: 3}, allocated=30)
    idle = person(2, {SECURITY: 3}, allocated=0)
    ranked = rank_candidates(req, [busy, idle])
    assert [c.person.staff_id for c in ranked] == [2, 1]
    assert ranked[0].load == 0 and ranked[1].load == pytest.approx(0.75)


def test_ties_break_deterministically_by_staff_id():
    req = request(Requirement(SECURITY, 3), Requirement(UX, 2))
    people = [person(sid, {SECURITY: 4, UX: 2}, allocated=10) for sid in (9, 3, 7, 5)]
    ranked = rank_candidates(req, people)
    assert [c.person.staff_id for c in ranked] == [3, 5, 7, 9]
    assert len({c.score for c in ranked}) == 1
    assert [c.person.staff_id for c in rank_candidates(req, list(reversed(people)), limit=2)] == [3, 5]


def test_pending_levels_do_not_count_toward_fit_but_appear_in_reasons():
    req = request(Requirement(UX, 3))
    hopeful = person(1, {UX: 2}, pending_levels={UX: 4})
    same = person(2, {UX: 2})

    assert fit(req, hopeful) == fit(req, same)
    (reason,) = [r for r in rank_candidates(req, [hopeful])[0].reasons if isinstance(r, SkillReason)]
    assert reason == SkillReason(skill_id=UX, level=2, min_level=3, met=False, pending_level=4)


def test_continuity_bonus_orders_two_otherwise_equal_people():
    req = request(Requirement(DATA, 2), org=42)
    newcomer = person(1, {DATA: 3})
    regular = person(2, {DATA: 3}, history={42: (3, 4.5)})
    poorly_rated = person(3, {DATA: 3}, history={42: (3, 2.0)})
    elsewhere = person(4, {DATA: 3}, history={7: (5, 5.0)})

    ranked = rank_candidates(req, [newcomer, regular, poorly_rated, elsewhere])
    assert [c.person.staff_id for c in ranked] == [2, 1, 3, 4]
    assert ranked[0].continuity > 0
    assert {c.continuity for c in ranked[1:]} == {0.0}
    assert ContinuityReason(organization_id=42, count=3, avg_satisfaction=4.5) in ranked[0].reasons
    unrated = rank_candidates(req, [person(5, {DATA: 3}, history={42: (1, None)})])[0]
    assert 0 < unrated.continuity < ranked[0].continuity


def test_candidate_reasons_are_structured():
    req = request(Requirement(SECURITY, 3), Requirement(UX, 3, mandatory=False), org=5)
    someone = person(1, {SECURITY: 4, UX: 2}, allocated=24, certified_skills=frozenset({SECURITY}))
    (candidate,) = rank_candidates(req, [someone])
    assert candidate.reasons == (
        SkillReason(skill_id=SECURITY, level=4, min_level=3, met=True, certified=True),
        SkillReason(skill_id=UX, level=2, min_level=3, met=False),
        LoadReason(allocated=24, capacity=40, load=0.6),
    )
    assert candidate.score == pytest.approx(candidate.fit - 0.15 * 0.6)


# --- team proposal --------------------------------------------------------------------------------


def test_team_finds_minimum_cover_where_greedy_needs_three():
    skills = (SECURITY, UX, CLOUD, DATA, PROCUREMENT, RPA)
    req = request(*(Requirement(s, 3) for s in skills))
    broad = person(
        1, {SECURITY: 3, UX: 3, CLOUD: 3, DATA: 3}
    )  # greedy takes this one first, then needs two more
    left = person(2, {SECURITY: 4, UX: 3, PROCUREMENT: 3})
    right = person(3, {CLOUD: 3, DATA: 5, RPA: 3})
    niche_a = person(4, {PROCUREMENT: 5})
    niche_b = person(5, {RPA: 5})

    team = propose_team(req, [broad, left, right, niche_a, niche_b])
    assert team.complete and not team.uncovered_skill_ids
    assert {m.person.staff_id for m in team.members} == {2, 3}
    assert team.members[0].role == "lead" and [m.role for m in team.members[1:]] == ["member"]
    assert team.members[0].fit == max(m.fit for m in team.members)
    assert frozenset().union(*(m.covers for m in team.members)) == set(skills)


def test_team_of_one_when_someone_covers_everything_and_lead_is_best_fit():
    req = request(Requirement(SECURITY, 3), Requirement(UX, 2))
    team = propose_team(req, [person(1, {SECURITY: 3}), person(2, {SECURITY: 3, UX: 2}), person(3, {UX: 5})])
    assert [(m.person.staff_id, m.role) for m in team.members] == [(2, "lead")]

    lead_first = propose_team(
        request(Requirement(SECURITY, 3), Requirement(UX, 2), Requirement(CLOUD, 2)),
        [person(1, {UX: 2}), person(2, {SECURITY: 5, CLOUD: 4})],
    )
    assert [m.person.staff_id for m in lead_first.members] == [2, 1]


def test_team_names_uncovered_skills_when_no_cover_exists():
    req = request(Requirement(SECURITY, 3), Requirement(UX, 4), Requirement(RPA, 3), Requirement(DATA, 2))
    people = [person(1, {SECURITY: 4, DATA: 2}), person(2, {UX: 3, RPA: 2}), person(3, {DATA: 5})]
    team = propose_team(req, people)
    assert not team.complete
    assert team.uncovered_skill_ids == {UX, RPA}
    assert [m.person.staff_id for m in team.members] == [1]


def test_team_ignores_mandatory_for_members_but_respects_capacity():
    req = request(Requirement(SECURITY, 3, mandatory=True), Requirement(UX, 3), hours=8)
    ux_only = person(1, {UX: 4})  # excluded as a candidate (mandatory), fine as a member
    security = person(2, {SECURITY: 4})
    busy_all_rounder = person(3, {SECURITY: 5, UX: 5}, capacity=40, allocated=36)

    assert fit(req, ux_only) is None
    team = propose_team(req, [ux_only, security, busy_all_rounder])
    assert [m.person.staff_id for m in team.members] == [2, 1]
    assert (
        propose_team(req, [ux_only, security, busy_all_rounder], include_full=True).members[0].person.staff_id
        == 3
    )


def test_team_for_request_without_requirements_is_the_best_candidate():
    team = propose_team(request(), [person(2, {}, allocated=20), person(1, {}, allocated=30)])
    assert [m.person.staff_id for m in team.members] == [2] and team.complete
    assert not propose_team(request(Requirement(SECURITY, 2)), []).complete


# --- backlog plan ---------------------------------------------------------------------------------


def random_pool(rng: random.Random, n: int, n_skills: int = 12) -> list[Person]:
    people = []
    for sid in range(1, n + 1):
        skills = rng.sample(range(1, n_skills + 1), rng.randint(3, 7))
        capacity = rng.choice((8.0, 16.0, 24.0))
        people.append(
            Person(
                staff_id=sid,
                name=f"p{sid}",
                capacity=capacity,
                allocated=rng.choice((0.0, 0.25, 0.5, 0.75, 1.0)) * capacity,
                levels={s: rng.randint(1, 5) for s in skills},
                certified_skills=frozenset(s for s in skills if rng.random() < 0.2),
            )
        )
    return people


def random_requests(rng: random.Random, n: int, n_skills: int = 12) -> list[RequestSpec]:
    return [
        RequestSpec(
            request_id=rid,
            organization_id=rng.randint(1, 5),
            requirements=tuple(
                Requirement(
                    s, rng.randint(2, 4), weight=rng.choice((0.5, 1.0, 2.0)), mandatory=rng.random() < 0.2
                )
                for s in rng.sample(range(1, n_skills + 1), rng.randint(1, 4))
            ),
            hours_per_week=float(rng.choice((2, 4, 6, 8))),
            priority=rng.randint(0, 3),
        )
        for rid in range(1, n + 1)
    ]


def assert_feasible(plan, requests: list[RequestSpec], people: list[Person]) -> None:
    free = {p.staff_id: p.capacity - p.allocated for p in people}
    by_request = {r.request_id: r for r in requests}
    by_staff = {p.staff_id: p for p in people}
    used: dict[int, float] = {}
    assert len({a.request_id for a in plan.assignments}) == len(plan.assignments)
    for a in plan.assignments:
        req = by_request[a.request_id]
        result = fit(req, by_staff[a.staff_id])
        assert result is not None and result > 0 and a.fit == pytest.approx(result)
        assert a.hours == req.hours_per_week
        used[a.staff_id] = used.get(a.staff_id, 0.0) + a.hours
    for staff_id, hours in used.items():
        assert hours <= free[staff_id] + 1e-9
    assert plan.total_fit == pytest.approx(sum(a.fit for a in plan.assignments))
    assigned = {a.request_id for a in plan.assignments}
    assert set(plan.unassigned_request_ids) == set(by_request) - assigned


@pytest.mark.parametrize("seed", range(6))
def test_backlog_plan_is_feasible_near_optimal_and_beats_naive(seed):
    rng = random.Random(seed)
    people = random_pool(rng, 20)
    requests = random_requests(rng, 18)

    plan = plan_backlog(requests, people)
    exact = plan_backlog_exact(requests, people)
    naive = plan_backlog_naive(requests, people)

    for p in (plan, exact, naive):
        assert_feasible(p, requests, people)
    assert plan.total_fit >= 0.99 * exact.total_fit
    assert plan.total_fit >= naive.total_fit - 1e-9
    assert plan == plan_backlog(requests, people)  # deterministic


def test_backlog_plan_resolves_contention_better_than_arrival_order():
    # Request 1 arrives first and could go to either person; request 2 needs the specialist.
    generalist = person(1, {SECURITY: 3}, capacity=24, allocated=16)  # 8 h free, 67 % loaded
    specialist = person(2, {SECURITY: 3, UX: 4}, capacity=16, allocated=8)  # 8 h free, 50 % loaded
    first = request(Requirement(SECURITY, 3), hours=8, request_id=1)
    second = request(Requirement(UX, 4, mandatory=True), hours=8, request_id=2)

    plan = plan_backlog([first, second], [specialist, generalist])
    assert {(a.request_id, a.staff_id) for a in plan.assignments} == {(1, 1), (2, 2)}
    assert plan.unassigned_request_ids == ()
    naive = plan_backlog_naive([first, second], [specialist, generalist])
    assert naive.unassigned_request_ids == (2,)


def test_backlog_plan_leaves_unplaceable_requests_unassigned():
    people = [person(1, {SECURITY: 5}, capacity=10, allocated=6)]
    requests = [
        request(Requirement(SECURITY, 2), hours=4, request_id=1),
        request(Requirement(SECURITY, 2), hours=4, request_id=2, priority=3),
        request(Requirement(UX, 2, mandatory=True), hours=1, request_id=3),
    ]
    plan = plan_backlog(requests, people)
    assert [a.request_id for a in plan.assignments] == [2]  # only room for one: the urgent one
    assert plan.unassigned_request_ids == (1, 3)
    assert plan_backlog([], people).assignments == ()
    assert plan_backlog(requests, []).unassigned_request_ids == (1, 2, 3)


# --- shortlist (ranking a large pool: numpy for everyone, exact ranking for the few) ---------------------------------


def _columns(people: list[Person], requirements, organization_id: int) -> dict:
    skill_ids = sorted({r.skill_id for r in requirements})
    history = [p.history.get(organization_id, (0, None)) for p in people]
    return {
        "skill_ids": skill_ids,
        "levels": np.array([[p.levels.get(s, 0) for s in skill_ids] for p in people], dtype=float).reshape(
            len(people), len(skill_ids)
        ),
        "certified": np.array(
            [[s in p.certified_skills for s in skill_ids] for p in people], dtype=bool
        ).reshape(len(people), len(skill_ids)),
        "capacity": np.array([p.capacity for p in people]),
        "allocated": np.array([p.allocated for p in people]),
        "history_count": np.array([count for count, _avg in history], dtype=float),
        "history_avg": np.array([np.nan if avg is None else avg for _count, avg in history]),
    }


def test_ranking_the_shortlist_gives_the_same_candidates_as_ranking_everyone():
    rng = random.Random(11)
    people = [
        Person(
            staff_id=p.staff_id,
            name=p.name,
            capacity=rng.choice((0.0, p.capacity)),
            allocated=p.allocated,
            levels=p.levels,
            certified_skills=p.certified_skills,
            history={
                org: (rng.randint(1, 4), rng.choice((None, 2.5, 3.5, 4.5)))
                for org in rng.sample(range(1, 6), 2)
            },
        )
        for p in random_pool(rng, 300)
    ]
    requests = random_requests(rng, 15) + [request(hours=2, org=3)]  # the last one requires nothing
    mismatches = []
    for spec in requests:
        columns = _columns(people, spec.requirements, spec.organization_id)
        for include_full in (False, True):
            for limit in (0, 1, 5, 20, None):
                chosen = shortlist(spec, include_full=include_full, limit=limit, **columns)
                expected = rank_candidates(spec, people, include_full=include_full, limit=limit)
                got = rank_candidates(
                    spec, [people[i] for i in chosen], include_full=include_full, limit=limit
                )
                if got != expected:
                    mismatches.append((spec.request_id, include_full, limit))
    assert mismatches == []


def test_backlog_plan_offers_the_best_fitting_people_with_room_as_alternatives():
    rng = random.Random(3)
    people = random_pool(rng, 30)
    requests = random_requests(rng, 10)
    matrix = fit_matrix(requests, people)
    plan = plan_backlog(requests, people, alternatives=3)
    assert plan_backlog(requests, people).alternatives == ()
    assert len(plan.alternatives) == len(requests)
    for r, (req, options) in enumerate(zip(requests, plan.alternatives, strict=True)):
        with_room = [
            (matrix[r, i], -p.staff_id)
            for i, p in enumerate(people)
            if p.capacity - p.allocated >= req.hours_per_week
            and p.capacity > p.allocated
            and matrix[r, i] > 0
        ]
        best = sorted(with_room, reverse=True)[:3]
        assert [(o.fit, -o.staff_id) for o in options] == best
        for o in options:
            assert o.free_hours >= req.hours_per_week
