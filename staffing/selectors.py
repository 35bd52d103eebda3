"""Reads of staffing — the ORM edge of the matching engine (support/matching.py).

Everything the engine needs is read in a constant number of queries, whatever the size of the pool:

1. the active staff profiles (skills.selectors.staff_profile_list_for) as plain values — name, capacity, job
   type — with the allocated hours of their active assignments (a correlated aggregate in the same query),
2. current validated levels for the required skills (skills.selectors.current_levels),
3. pending self-assessed levels for them (skills.selectors.pending_levels),
4. valid certifications evidencing them (skills.selectors.valid_certifications — names kept for the reasons),
5. past work per (person, requesting organisation) with its average satisfaction,

plus one query for the model objects of the few people actually shown (candidates, team, plan rows).

Ranking candidates (the page and the `candidates` query, DESIGN.md §11: ≤ 50 ms over 1,000 people) scores the
whole pool at once with numpy from these rows (support.matching.shortlist) and builds `matching.Person`s, exact
scores and reasons only for the few people who can be among the first `limit` — same results as ranking everyone.

Then the pure engine ranks, proposes a team or plans the backlog, and the results are dressed with model objects
and translated reason texts for pages and GraphQL.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from skills import selectors as skills_selectors
from skills.models import Skill, StaffProfile
from staffing import policies
from support import matching
from support import selectors as support_selectors
from support.models import Assignment, Status, SupportRequest, active_assignment_q

#: Hours per week a request needs from the person placed on it when nothing better is known.
DEFAULT_HOURS_PER_WEEK = 4.0
#: Bounds of the derived figure (estimated hours spread over the weeks between desired start and due date).
MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 1.0, 20.0
#: Candidates shown by default, and the most a caller may ask for.
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
#: Alternatives offered per row of the backlog plan ("choose another person").
ALTERNATIVES = 5
#: Requests whose past work counts for continuity.
PAST_STATUSES = (Status.RESOLVED, Status.CLOSED)
_HOURS = DecimalField(max_digits=7, decimal_places=1)


# --- requests ------------------------------------------------------------------------------------------------------


def request_for_staffing(
    user, reference: str | None = None, *, pk: int | None = None, with_assignments: bool = True
) -> SupportRequest | None:
    """A request a manager may staff (any status: the page explains when it cannot take assignments), or None.

    Required skills are prefetched; active assignments too unless `with_assignments=False` (ranking alone)."""
    if not policies.can_staff(user) or (reference is None and pk is None):
        return None
    if with_assignments:
        return support_selectors.request_get_for(user, reference=reference, pk=pk)
    lookup = {"reference": reference} if reference is not None else {"pk": pk}
    try:
        return (
            support_selectors.request_list_for(user, with_details=False)
            .prefetch_related(support_selectors.required_skills_prefetch())
            .filter(**lookup)
            .first()
        )
    except (TypeError, ValueError):
        return None


def hours_per_week_for(request: SupportRequest) -> float:
    """Hours/week a request needs from one person: its estimated hours spread over the weeks from desired start to
    due date (bounded to 1–20), or DEFAULT_HOURS_PER_WEEK when that is unknown."""
    estimated = request.estimated_hours
    if estimated is None or estimated <= 0:
        return DEFAULT_HOURS_PER_WEEK
    if request.desired_start and request.due_date:
        weeks = max((request.due_date - request.desired_start).days / 7.0, 1.0)
    else:
        weeks = 12.0  # about a quarter
    hours = float(estimated) / weeks
    return float(min(max(round(hours * 2) / 2, MIN_HOURS_PER_WEEK), MAX_HOURS_PER_WEEK))


def _required(request: SupportRequest) -> list:
    return list(request.required_skills.all())  # prefetched by support.selectors (skill joined)


def request_spec(request: SupportRequest, *, hours: float | None = None) -> matching.RequestSpec:
    return matching.RequestSpec(
        request_id=request.pk,
        organization_id=request.organization_id,
        requirements=tuple(
            matching.Requirement(
                skill_id=r.skill_id, min_level=r.min_level, weight=float(r.weight), mandatory=r.mandatory
            )
            for r in _required(request)
        ),
        hours_per_week=float(hours) if hours is not None else hours_per_week_for(request),
        priority=request.priority,
    )


# --- the pool as the engine sees it -------------------------------------------------------------------------------


@dataclass
class Pool:
    """The talent pool read for some skills and organisations, as the engine sees it (plain values, no model
    instances: building 1,000 of them would cost more than the ranking). `profiles(ids)` loads the few shown."""

    people: list[matching.Person]
    user: object = None
    job_type_id: int | None = None
    certifications: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # (staff, skill) -> names

    def profiles(self, staff_ids: Iterable[int]) -> dict[int, StaffProfile]:
        """The staff profiles (user and job type joined) of these people: one query."""
        staff_ids = set(staff_ids)
        if not staff_ids:
            return {}
        return {p.pk: p for p in skills_selectors.staff_profile_list_for(self.user).filter(pk__in=staff_ids)}


def _allocated_subquery() -> Subquery:
    """Hours/week of the person's active assignments (a correlated aggregate on the staff row)."""
    return Assignment.objects.allocated_hours_subquery()


def _history(organization_ids: Iterable[int]) -> dict[int, dict[int, tuple[int, float | None]]]:
    """{staff_id: {organization_id: (past requests, average satisfaction or None)}} — resolved/closed requests the
    person was assigned to (released or not). One query."""
    organization_ids = sorted(set(organization_ids))
    if not organization_ids:
        return {}
    rows = (
        Assignment.objects.filter(
            request__organization_id__in=organization_ids, request__status__in=PAST_STATUSES
        )
        .order_by()
        .values("staff_id", "request__organization_id")
        .annotate(count=Count("request", distinct=True), avg=Avg("request__satisfaction__score"))
        .values_list("staff_id", "request__organization_id", "count", "avg")
    )
    result: dict[int, dict[int, tuple[int, float | None]]] = defaultdict(dict)
    for staff_id, organization_id, count, avg in rows:
        result[staff_id][organization_id] = (count, float(avg) if avg is not None else None)
    return result


@dataclass
class _PoolData:
    """The pool as read (five queries), before any `matching.Person` is built: the staff rows and, keyed by
    (staff, skill) or staff, the levels, pending levels, certifications and past work for the skills and
    organisations asked for."""

    rows: list[tuple]  # (pk, capacity, job_type_id, allocated[, display_name, email]), by pk
    skill_ids: list[int]
    levels: dict[tuple[int, int], int]
    pending: dict[tuple[int, int], int]
    certified: dict[int, set[int]]
    cert_names: dict[tuple[int, int], list[str]]
    history: dict[int, dict[int, tuple[int, float | None]]]

    def person(self, row: tuple, name: str | None = None) -> matching.Person:
        """The engine's view of one row (`name` when the rows were read without names)."""
        pk, capacity, job_type, allocated = row[:4]
        levels, pending, skill_ids = self.levels, self.pending, self.skill_ids
        return matching.Person(
            staff_id=pk,
            name=name if name is not None else (row[4] or row[5]),
            capacity=float(capacity),
            allocated=float(allocated or 0),
            levels={sid: levels[pk, sid] for sid in skill_ids if (pk, sid) in levels},
            pending_levels={sid: pending[pk, sid] for sid in skill_ids if (pk, sid) in pending},
            certified_skills=frozenset(self.certified.get(pk, ())),
            history=self.history.get(pk, {}),
            job_type_id=job_type,
        )


def _read_pool(
    user,
    *,
    skill_ids: Iterable[int],
    organization_ids: Iterable[int] = (),
    job_type_id: int | None = None,
    with_names: bool = True,
) -> _PoolData:
    """Five queries, whatever the size of the pool (see the module doc). Without names, the staff query needs no
    join with the users (ranking names only the few people it shows)."""
    skill_ids = sorted(set(skill_ids))
    rows_qs = skills_selectors.staff_profile_list_for(user)
    if job_type_id:
        rows_qs = rows_qs.filter(job_type_id=job_type_id)
    columns = ["pk", "capacity_hours_per_week", "job_type_id", "allocated"]
    if with_names:
        columns += ["user__display_name", "user__email"]
    rows = list(rows_qs.annotate(allocated=_allocated_subquery()).order_by("pk").values_list(*columns))
    levels: dict[tuple[int, int], int] = {}
    pending: dict[tuple[int, int], int] = {}
    certified: dict[int, set[int]] = defaultdict(set)
    cert_names: dict[tuple[int, int], list[str]] = defaultdict(list)
    if skill_ids:
        levels = skills_selectors.current_levels(skill_ids=skill_ids)
        pending = skills_selectors.pending_levels(skill_ids=skill_ids)
        certifications = (
            skills_selectors.valid_certifications()
            .filter(skill_id__in=skill_ids)
            .order_by("staff_id", "skill_id", "-obtained_on", "name")
            .values_list("staff_id", "skill_id", "name")
        )
        for staff_id, skill_id, name in certifications:
            certified[staff_id].add(skill_id)
            if name not in cert_names[(staff_id, skill_id)]:
                cert_names[(staff_id, skill_id)].append(name)
    return _PoolData(
        rows=rows,
        skill_ids=skill_ids,
        levels=levels,
        pending=pending,
        certified=certified,
        cert_names=dict(cert_names),
        history=_history(organization_ids),
    )


def load_pool(
    user,
    *,
    skill_ids: Iterable[int],
    organization_ids: Iterable[int] = (),
    job_type_id: int | None = None,
) -> Pool:
    """Read the pool for these required skills and requesting organisations: five queries, whatever its size
    (people with their allocated hours, current levels, pending levels, certifications, past work)."""
    data = _read_pool(user, skill_ids=skill_ids, organization_ids=organization_ids, job_type_id=job_type_id)
    return Pool(
        people=[data.person(row) for row in data.rows],
        user=user,
        job_type_id=job_type_id,
        certifications=data.cert_names,
    )


def _ranking_shortlist(
    data: _PoolData, spec: matching.RequestSpec, *, include_full: bool, limit: int
) -> list[int]:
    """Row indices of the people who can be among the first `limit` candidates for `spec`: matching.shortlist
    over the pool as numpy columns (no `matching.Person` for the others)."""
    rows = data.rows
    n_people = len(rows)
    if not n_people:
        return []
    index = {row[0]: i for i, row in enumerate(rows)}
    col = {sid: j for j, sid in enumerate(data.skill_ids)}
    levels = np.zeros((n_people, max(len(col), 1)), dtype=np.float64)
    certified = np.zeros(levels.shape, dtype=bool)
    for (staff_id, skill_id), level in data.levels.items():
        i = index.get(staff_id)
        if i is not None:
            levels[i, col[skill_id]] = level
    for staff_id, skill_ids in data.certified.items():
        i = index.get(staff_id)
        if i is not None:
            for skill_id in skill_ids:
                certified[i, col[skill_id]] = True
    capacity = np.fromiter((float(row[1]) for row in rows), dtype=np.float64, count=n_people)
    allocated = np.fromiter((float(row[3] or 0) for row in rows), dtype=np.float64, count=n_people)
    history_count = np.zeros(n_people)
    history_avg = np.full(n_people, np.nan)
    organization_id = spec.organization_id
    for staff_id, per_organization in data.history.items():
        i = index.get(staff_id)
        past = per_organization.get(organization_id)
        if i is not None and past is not None:
            history_count[i] = past[0]
            if past[1] is not None:
                history_avg[i] = past[1]
    chosen = matching.shortlist(
        spec,
        skill_ids=data.skill_ids,
        levels=levels,
        certified=certified,
        capacity=capacity,
        allocated=allocated,
        history_count=history_count,
        history_avg=history_avg,
        include_full=include_full,
        limit=limit,
    )
    return chosen.tolist()


# --- reasons, translated ---------------------------------------------------------------------------------------------


def _num(value: float | Decimal) -> str:
    value = float(value)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


@dataclass
class ReasonView:
    """One reason for a candidate's rank, structured (GraphQL) and as translated text (pages)."""

    kind: str  # skill, certification, load, continuity, over_capacity
    text: str
    skill: Skill | None = None
    level: int | None = None
    min_level: int | None = None
    met: bool | None = None
    mandatory: bool = False
    pending: bool = False
    pending_level: int | None = None
    certified: bool = False
    organization_name: str | None = None
    count: int | None = None
    satisfaction: float | None = None
    load: float | None = None
    allocated: float | None = None
    capacity: float | None = None


def reason_views(
    reasons: Sequence[matching.Reason],
    *,
    skills: dict[int, Skill],
    staff_id: int,
    certifications: dict[tuple[int, int], list[str]],
    organization_name: str,
) -> list[ReasonView]:
    """Structured reasons with their text in the active language, e.g. "セキュリティ L4 ≥ 3 ✓", "稼働率 60%",
    "千代田区で過去3件・満足度4.5", "資格: 情報処理安全確保支援士"."""
    views: list[ReasonView] = []
    for reason in reasons:
        if isinstance(reason, matching.SkillReason):
            skill = skills.get(reason.skill_id)
            values = {
                "skill": skill.name if skill else f"#{reason.skill_id}",
                "level": reason.level,
                "min": reason.min_level,
            }
            if reason.met:
                text = _("%(skill)s L%(level)s ≥ %(min)s ✓") % values
            elif reason.mandatory:
                text = _("%(skill)s L%(level)s < %(min)s ✗ (mandatory)") % values
            else:
                text = _("%(skill)s L%(level)s < %(min)s ✗") % values
            if reason.pending_level is not None:
                text += " " + _("(self-assessed L%(level)s, pending validation)") % {
                    "level": reason.pending_level
                }
            views.append(
                ReasonView(
                    kind="skill",
                    text=text,
                    skill=skill,
                    level=reason.level,
                    min_level=reason.min_level,
                    met=reason.met,
                    mandatory=reason.mandatory,
                    pending=reason.pending_level is not None,
                    pending_level=reason.pending_level,
                    certified=reason.certified,
                )
            )
            names = certifications.get((staff_id, reason.skill_id), [])
            if reason.certified and names:
                views.append(
                    ReasonView(
                        kind="certification",
                        text=_("Certification: %(names)s") % {"names": "、".join(names)},
                        skill=skill,
                        certified=True,
                    )
                )
        elif isinstance(reason, matching.LoadReason):
            views.append(
                ReasonView(
                    kind="load",
                    text=_("Load %(percent)s%% (%(allocated)s/%(capacity)s h/week)")
                    % {
                        "percent": round(reason.load * 100),
                        "allocated": _num(reason.allocated),
                        "capacity": _num(reason.capacity),
                    },
                    load=reason.load,
                    allocated=reason.allocated,
                    capacity=reason.capacity,
                )
            )
        elif isinstance(reason, matching.ContinuityReason):
            values = {"organization": organization_name, "count": reason.count}
            if reason.avg_satisfaction is None:
                text = _("%(count)s past requests for %(organization)s") % values
            else:
                values["score"] = f"{reason.avg_satisfaction:.1f}"
                text = _("%(count)s past requests for %(organization)s, satisfaction %(score)s") % values
            views.append(
                ReasonView(
                    kind="continuity",
                    text=text,
                    organization_name=organization_name,
                    count=reason.count,
                    satisfaction=reason.avg_satisfaction,
                )
            )
        elif isinstance(reason, matching.OverCapacityReason):
            views.append(
                ReasonView(
                    kind="over_capacity",
                    text=_("Over capacity: %(free)s h/week free, %(needed)s needed")
                    % {"free": _num(reason.free_hours), "needed": _num(reason.needed_hours)},
                )
            )
    return views


# --- candidates ------------------------------------------------------------------------------------------------------


@dataclass
class CandidateView:
    staff: StaffProfile
    rank: int
    score: float
    fit: float
    load: float
    continuity: float
    has_room: bool
    allocated: float
    capacity: float
    reasons: list[ReasonView]


def _skills_of(request: SupportRequest) -> dict[int, Skill]:
    return {r.skill_id: r.skill for r in _required(request)}


def candidates_for(
    user,
    request: SupportRequest,
    *,
    include_full: bool = False,
    job_type=None,
    limit: int | None = None,
    hours: float | None = None,
) -> list[CandidateView]:
    """Ranked candidates (候補者) for a request with the reasons for each rank; [] for anyone but a manager.

    `request` comes from `request_for_staffing` (required skills prefetched). Constant queries (see module doc).
    """
    if not policies.can_staff(user):
        return []
    limit = DEFAULT_LIMIT if limit is None else max(0, min(int(limit), MAX_LIMIT))
    spec = request_spec(request, hours=hours)
    skills = _skills_of(request)
    job_type_id = getattr(job_type, "pk", job_type)
    data = _read_pool(
        user,
        skill_ids=skills,
        organization_ids=[request.organization_id],
        job_type_id=job_type_id or None,
        with_names=False,
    )
    # Scores for the whole pool at once (numpy); profiles, exact scores and reasons for the shortlist only.
    shortlisted = [
        data.rows[i] for i in _ranking_shortlist(data, spec, include_full=include_full, limit=limit)
    ]
    profiles = Pool(people=[], user=user).profiles(row[0] for row in shortlisted)
    people = [
        data.person(row, name=profiles[row[0]].user.display_name or profiles[row[0]].user.email)
        for row in shortlisted
    ]
    ranked = matching.rank_candidates(spec, people, include_full=include_full, limit=limit)
    organization_name = request.organization.name
    return [
        CandidateView(
            staff=profiles[c.person.staff_id],
            rank=i,
            score=c.score,
            fit=c.fit,
            load=c.load,
            continuity=c.continuity,
            has_room=c.has_room,
            allocated=c.person.allocated,
            capacity=c.person.capacity,
            reasons=reason_views(
                c.reasons,
                skills=skills,
                staff_id=c.person.staff_id,
                certifications=data.cert_names,
                organization_name=organization_name,
            ),
        )
        for i, c in enumerate(ranked, start=1)
    ]


# --- team proposal ---------------------------------------------------------------------------------------------------


@dataclass
class TeamMemberView:
    staff: StaffProfile
    role: str
    covers: list[Skill]
    fit: float


@dataclass
class TeamView:
    members: list[TeamMemberView]
    uncovered: list[Skill]
    complete: bool
    hours: float


def team_proposal_for(user, request: SupportRequest, *, include_full: bool = False) -> TeamView | None:
    """チーム編成案: the smallest team (lead first) covering every required skill at its minimum within capacity,
    or the best partial team and the skills left uncovered. None for anyone but a manager."""
    if not policies.can_staff(user):
        return None
    spec = request_spec(request)
    skills = _skills_of(request)
    pool = load_pool(user, skill_ids=skills, organization_ids=[request.organization_id])
    proposal = matching.propose_team(spec, pool.people, include_full=include_full)
    order = list(skills)
    profiles = pool.profiles(m.person.staff_id for m in proposal.members)
    return TeamView(
        members=[
            TeamMemberView(
                staff=profiles[m.person.staff_id],
                role=m.role,
                covers=[skills[sid] for sid in order if sid in m.covers],
                fit=m.fit,
            )
            for m in proposal.members
        ],
        uncovered=[skills[sid] for sid in order if sid in proposal.uncovered_skill_ids],
        complete=proposal.complete,
        hours=spec.hours_per_week,
    )


# --- backlog plan ----------------------------------------------------------------------------------------------------


def backlog_requests_for(user) -> QuerySet:
    """Triaged requests with no active assignment (the backlog), oldest first, required skills prefetched."""
    if not policies.can_plan_backlog(user):
        return SupportRequest.objects.none()
    active = Assignment.objects.active().filter(request=OuterRef("pk"))
    return (
        support_selectors.request_list_for(user)
        .filter(status=Status.TRIAGED)
        .filter(~Exists(active))
        .order_by("submitted_at", "pk")
    )


@dataclass
class Alternative:
    staff: StaffProfile
    fit: float
    free: float


@dataclass
class PlanRow:
    request: SupportRequest
    staff: StaffProfile | None
    fit: float | None
    hours: float
    alternatives: list[Alternative]


@dataclass
class BacklogView:
    rows: list[PlanRow]  # one per backlog request, planned or not, in backlog order
    total_fit: float
    unassigned: list[SupportRequest]

    @property
    def planned(self) -> list[PlanRow]:
        return [row for row in self.rows if row.staff is not None]


def backlog_plan_for(user, *, alternatives: int = ALTERNATIVES) -> BacklogView:
    """一括割当案: for every triaged, unassigned request at once, one lead each maximising total fit under everyone's
    free hours (support.matching.plan_backlog), with a few alternatives per row for the manager to adjust."""
    if not policies.can_plan_backlog(user):
        return BacklogView(rows=[], total_fit=0.0, unassigned=[])
    requests = list(backlog_requests_for(user))
    if not requests:
        return BacklogView(rows=[], total_fit=0.0, unassigned=[])
    specs = [request_spec(r) for r in requests]
    skill_ids = {req.skill_id for spec in specs for req in spec.requirements}
    pool = load_pool(user, skill_ids=skill_ids, organization_ids={r.organization_id for r in requests})
    plan = matching.plan_backlog(specs, pool.people)
    chosen = {a.request_id: a for a in plan.assignments}
    alternative_lists = _alternatives(specs, pool, alternatives) if alternatives else [[] for _ in specs]
    profiles = pool.profiles(
        {a.staff_id for a in plan.assignments}
        | {staff_id for options in alternative_lists for staff_id, *_ in options}
    )
    rows = []
    for request, spec, options in zip(requests, specs, alternative_lists, strict=True):
        planned = chosen.get(request.pk)
        rows.append(
            PlanRow(
                request=request,
                staff=profiles[planned.staff_id] if planned else None,
                fit=planned.fit if planned else None,
                hours=spec.hours_per_week,
                alternatives=[
                    Alternative(staff=profiles[staff_id], fit=fit_value, free=free)
                    for staff_id, fit_value, free in options
                ],
            )
        )
    unassigned = [row.request for row in rows if row.staff is None]
    return BacklogView(rows=rows, total_fit=plan.total_fit, unassigned=unassigned)


def _alternatives(
    specs: list[matching.RequestSpec], pool: Pool, k: int
) -> list[list[tuple[int, float, float]]]:
    """Per request, the k people (staff_id, fit, free hours) with the best fit who have its hours free now."""
    people = pool.people
    if not people:
        return [[] for _ in specs]
    fits = matching.fit_matrix(specs, people)
    free = np.array([matching.free_hours(p) for p in people])
    result = []
    for r, spec in enumerate(specs):
        row = np.where((free + 1e-9 >= spec.hours_per_week) & (free > 1e-9), fits[r], np.nan)
        row = np.nan_to_num(row, nan=-math.inf)
        order = np.argsort(-row, kind="stable")[:k]
        result.append(
            [
                (people[i].staff_id, float(row[i]), float(free[i]))
                for i in order
                if math.isfinite(row[i]) and row[i] > 0
            ]
        )
    return result


# --- workload, my assignments, lookups -------------------------------------------------------------------------------


def workload_for(user) -> QuerySet:
    """The workload board: active staff profiles with `allocated` (hours/week of active assignments),
    `assignment_count`, `free` and `load` (allocated ÷ capacity; 1 when capacity is 0), heaviest first. One query."""
    if not policies.can_view_workload(user):
        return StaffProfile.objects.none()
    active = active_assignment_q("assignments__")
    return (
        skills_selectors.staff_profile_list_for(user)
        .annotate(
            allocated=Coalesce(
                Sum("assignments__allocated_hours_per_week", filter=active), Value(Decimal("0"))
            ),
            assignment_count=Count("assignments", filter=active),
        )
        .annotate(
            free=ExpressionWrapper(F("capacity_hours_per_week") - F("allocated"), output_field=_HOURS),
            load=Case(
                When(capacity_hours_per_week__lte=0, then=Value(1.0)),
                default=Cast("allocated", FloatField()) / Cast("capacity_hours_per_week", FloatField()),
                output_field=FloatField(),
            ),
        )
        .order_by("-load", "user__display_name", "pk")
    )


def own_profile(user) -> StaffProfile | None:
    if not policies.can_view_own_assignments(user):
        return None
    return skills_selectors.own_staff_profile(user)


def my_assignments_for(user) -> QuerySet:
    """The signed-in ICT staff member's active assignments, requests and organisations joined."""
    profile = own_profile(user)
    if profile is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.active()
        .filter(staff=profile)
        .select_related(
            "request", "request__organization", "request__category", "staff__user", "staff__job_type"
        )
        .prefetch_related(
            Prefetch(
                "request__required_skills", queryset=support_selectors.required_skills_prefetch().queryset
            )
        )
        .order_by("-assigned_at", "-pk")
    )


def active_assignments_of(request: SupportRequest) -> list[Assignment]:
    """The request's active assignments (prefetched by support.selectors, lead first)."""
    prefetched = getattr(request, "active_assignments", None)
    if prefetched is not None:
        return list(prefetched)
    return list(support_selectors.active_assignments_prefetch().queryset.filter(request=request))


def assignment_get_for(user, pk) -> Assignment | None:
    """One assignment a manager may release (any request), or None."""
    if not policies.can_staff(user):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Assignment.objects.select_related("request", "staff__user").filter(pk=pk).first()


def staff_for_assignment(user, *, pk=None, email: str | None = None) -> StaffProfile | None:
    """A staff profile a manager may assign, by id or e-mail, or None."""
    if not policies.can_staff(user):
        return None
    if email:
        return skills_selectors.staff_profile_by_email_for(user, email)
    if pk is None:
        return None
    return skills_selectors.staff_profile_get_for(user, pk)
