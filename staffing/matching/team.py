"""Team proposal (チーム編成案): the smallest team whose members together cover a request's required skills."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from staffing.matching import scoring
from staffing.matching.model import Person, RequestSpec, TeamMember, TeamProposal

#: Exact team search (bitmask dynamic programme) up to this many distinct required skills, greedy beyond.
MAX_EXACT_TEAM_SKILLS = 12


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
    people = list(people)
    min_levels: dict[int, int] = {}
    for req in request.requirements:
        min_levels[req.skill_id] = max(min_levels.get(req.skill_id, 0), req.min_level)
    skill_ids = sorted(min_levels)
    bit = {sid: 1 << i for i, sid in enumerate(skill_ids)}

    columns = scoring.Columns.of_people(people, skill_ids)
    scores = scoring.score(request, columns, *scoring.history_columns(people, request.organization_id))
    met = np.array([columns.level(sid) >= min_levels[sid] for sid in skill_ids], dtype=bool).reshape(
        len(skill_ids), len(people)
    )
    # Coverage mask per person (Python ints beyond 62 skills).
    powers = np.array([bit[sid] for sid in skill_ids], dtype=np.int64 if len(skill_ids) <= 62 else object)
    masks = powers @ met.astype(powers.dtype) if skill_ids else np.zeros(len(people), dtype=np.int64)
    usable = np.ones(len(people), dtype=bool) if include_full else scores.room.copy()
    if skill_ids:
        usable &= masks != 0

    # Best person per distinct coverage mask: by score, then staff_id.
    best: dict[int, tuple[float, float, int, int]] = {}  # mask -> (score, fit, staff_id, person index)
    order = np.flatnonzero(usable)
    staff_ids = np.array([people[i].staff_id for i in order], dtype=np.int64)
    for i in order[np.lexsort((staff_ids, -scores.score[order]))]:
        mask = int(masks[i])
        if mask not in best:
            best[mask] = (float(scores.score[i]), float(scores.fit[i]), people[i].staff_id, int(i))

    if not skill_ids:
        if not best:
            return TeamProposal(members=(), uncovered_skill_ids=frozenset(), complete=False)
        _score, f, _sid, i = best[0]
        return TeamProposal(
            members=(TeamMember(person=people[i], role="lead", covers=frozenset(), fit=f),),
            uncovered_skill_ids=frozenset(),
            complete=True,
        )

    # Prune dominated masks: a strict subset of another mask whose person scores at least as well.
    kept: list[int] = []
    for m in sorted(best, key=lambda m: (-best[m][0], best[m][2])):  # any dominating mask seen first scores ≥
        if not any((m | k) == k for k in kept):
            kept.append(m)

    target = 0
    for m in kept:
        target |= m
    cover = _exact_cover if len(skill_ids) <= MAX_EXACT_TEAM_SKILLS else _greedy_cover
    entries = [best[m] for m in cover(kept, {m: best[m][0] for m in kept}, target)]
    entries.sort(key=lambda e: (bool(scores.excluded[e[3]]), -e[1], -e[0], e[2]))
    lead = entries[:1]
    rest = sorted(entries[1:], key=lambda e: (-e[0], e[2]))
    members = []
    for n, (_score, f, _sid, i) in enumerate(lead + rest):
        covers = frozenset(sid for j, sid in enumerate(skill_ids) if met[j, i])
        members.append(
            TeamMember(person=people[i], role="lead" if n == 0 else "member", covers=covers, fit=f)
        )
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
                    or cand[0] > cur[0] + scoring.EPS
                    or (abs(cand[0] - cur[0]) <= scoring.EPS and cand[1] < cur[1])
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
