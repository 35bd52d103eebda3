"""Team practice (チームでの支援): a team rule applied to a team proposal.

Tokyo's practice: senior digital specialists (デジタルシフト推進担当課長) and ICT officers work *as a team*, the
specialist assigned per case. A rule names the staff kinds the team must include; the members covering the skills
come first (matching.team), then the best-scoring person of each missing kind with room joins as a member. With
``learner_optional`` a learner may join: someone with room who wants to learn a required skill the team does not
need them for, paired with a member who can mentor that skill.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from staffing.matching import scoring
from staffing.matching.model import Person, RequestSpec, TeamMember, TeamProposal


@dataclass(frozen=True, slots=True)
class TeamPractice:
    required_kinds: tuple[str, ...] = ()  # StaffKind values the team must include
    learner_optional: bool = False


@dataclass(frozen=True, slots=True)
class Learner:
    """A member who joins to learn `skill_id`, mentored by `mentor_staff_id`."""

    person: Person
    skill_id: int
    mentor_staff_id: int


@dataclass(frozen=True, slots=True)
class PracticedTeam:
    proposal: TeamProposal  # members with the partners of the missing kinds added
    learner: Learner | None
    missing_kinds: tuple[str, ...]  # kinds the rule asks for that nobody with room has


def apply_practice(
    request: RequestSpec,
    proposal: TeamProposal,
    people: Sequence[Person],
    *,
    practice: TeamPractice | None,
    kinds: Mapping[int, str],
    wants_to_learn: Mapping[int, frozenset[int]] = {},
    can_mentor: Mapping[int, frozenset[int]] = {},
    include_full: bool = False,
) -> PracticedTeam:
    """The proposal completed by the rule: a partner of each missing kind (best candidate score, then staff_id),
    and an optional learner. `kinds`: staff_id → StaffKind value; the interests: staff_id → skill ids."""
    if practice is None:
        return PracticedTeam(proposal, None, ())
    people = list(people)
    members = list(proposal.members)
    on_team = {m.person.staff_id for m in members}
    scores = scoring.score(
        request,
        scoring.Columns.of_people(people, [r.skill_id for r in request.requirements]),
        *scoring.history_columns(people, request.organization_id),
    )
    room = np.ones(len(people), dtype=bool) if include_full else scores.room
    order = sorted(range(len(people)), key=lambda i: (-float(scores.score[i]), people[i].staff_id))
    missing = []
    for kind in practice.required_kinds:
        if any(kinds.get(sid) == kind for sid in on_team):
            continue
        pick = next(
            (
                i
                for i in order
                if room[i] and people[i].staff_id not in on_team and kinds.get(people[i].staff_id) == kind
            ),
            None,
        )
        if pick is None:
            missing.append(kind)
            continue
        person = people[pick]
        covers = frozenset(
            r.skill_id for r in request.requirements if person.levels.get(r.skill_id, 0) >= r.min_level
        )
        role = "member" if members else "lead"
        members.append(TeamMember(person=person, role=role, covers=covers, fit=float(scores.fit[pick])))
        on_team.add(person.staff_id)
    learner = None
    if practice.learner_optional and members:
        required = [r.skill_id for r in request.requirements]
        mentors = {sid: m.person.staff_id for m in members for sid in can_mentor.get(m.person.staff_id, ())}
        for i in order:
            person = people[i]
            if not room[i] or person.staff_id in on_team:
                continue
            skill = next(
                (s for s in required if s in wants_to_learn.get(person.staff_id, ()) and s in mentors), None
            )
            if skill is not None:
                learner = Learner(person=person, skill_id=skill, mentor_staff_id=mentors[skill])
                break
    return PracticedTeam(replace(proposal, members=tuple(members)), learner, tuple(missing))


#: A team partner in the backlog plan works this share of the request's hours/week (at least 1 hour).
PARTNER_SHARE = 0.5


def partner_hours(hours_per_week: float) -> float:
    return max(1.0, round(hours_per_week * PARTNER_SHARE * 2) / 2)


def plan_partners(
    plan,
    requests: Sequence[RequestSpec],
    people: Sequence[Person],
    *,
    practices: Sequence[TeamPractice | None],
    kinds: Mapping[int, str],
    periods=None,
) -> tuple:
    """The team partners of a backlog plan: for every planned lead whose request's rule asks for a kind the lead is
    not, the best-fitting person of that kind (then most free hours, then staff_id) with :func:`partner_hours` free
    after every lead of the plan — urgent requests first. The leads are not moved: the plan's objective (the leads'
    fit) stays what the solver proved; a partner nobody can be is simply left out. Returns PlannedAssignments."""
    from staffing.matching.model import PlannedAssignment

    people = list(people)
    if not people or not any(p and p.required_kinds for p in practices):
        return ()
    index = {p.staff_id: i for i, p in enumerate(people)}
    position = {r.request_id: n for n, r in enumerate(requests)}
    if periods is None:  # one flat weekly figure per person
        remaining = np.array([[p.capacity - p.allocated] for p in people], dtype=np.float64)
        need = np.array([[max(float(r.hours_per_week), 0.0)] for r in requests], dtype=np.float64)
    else:  # hours per slice of time, within each request's own period
        remaining = np.array(periods.room, dtype=np.float64).reshape(len(people), -1)
        need = np.array(periods.need, dtype=np.float64).reshape(len(requests), -1)
    for a in plan.assignments:
        remaining[index[a.staff_id]] -= need[position[a.request_id]]
    fit = np.nan_to_num(scoring.fit_matrix(list(requests), people))
    people_kind = np.array([kinds.get(p.staff_id, "") for p in people])
    staff_ids = np.array([p.staff_id for p in people])
    chosen = sorted(
        plan.assignments, key=lambda a: (-requests[position[a.request_id]].priority, position[a.request_id])
    )
    partners = []
    for a in chosen:
        n = position[a.request_id]
        practice = practices[n]
        if practice is None:
            continue
        hours = partner_hours(requests[n].hours_per_week)
        share = hours / requests[n].hours_per_week if requests[n].hours_per_week > 0 else 0.0
        partner_need = need[n] * share if periods is not None else np.array([hours])
        room = np.all(remaining + scoring.EPS >= partner_need, axis=1)
        team = {a.staff_id}
        for kind in practice.required_kinds:
            if any(kinds.get(sid) == kind for sid in team):
                continue
            ok = (people_kind == kind) & room & ~np.isin(staff_ids, list(team))
            candidates = np.flatnonzero(ok)
            if not len(candidates):
                continue
            spare = remaining[candidates].min(axis=1)
            best = candidates[np.lexsort((staff_ids[candidates], -spare, -fit[n, candidates]))[0]]
            remaining[best] -= partner_need
            room[best] = False
            team.add(int(staff_ids[best]))
            partners.append(
                PlannedAssignment(
                    request_id=a.request_id,
                    staff_id=int(staff_ids[best]),
                    fit=float(fit[n, best]),
                    hours=hours,
                )
            )
    return tuple(partners)
