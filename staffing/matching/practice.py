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
