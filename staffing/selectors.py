"""Reads of staffing: candidates, team proposal, backlog plan, workload, my assignments and lookups — the public
reads pages, GraphQL and the demo call.

A request's demand comes from staffing.demand, the talent pool from staffing.pool (constant queries, whatever its
size), the ranking, team and plan from the pure engine (staffing.matching), and the reasons' text from
staffing.reasons; the results are dressed with model objects for pages and GraphQL.

Ranking candidates (the page and the `candidates` query, DESIGN.md §11: ≤ 50 ms over 1,000 people) scores the
whole pool at once with numpy (matching.shortlist) and builds `matching.Person`s, exact scores and reasons only for
the few people who can be among the first `limit` — same results as ranking everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from core import fiscal
from skills import selectors as skills_selectors
from skills.models import Skill, StaffProfile
from staffing import availability, matching, policies
from staffing.demand import request_spec, required_skills
from staffing.pool import load_pool, profiles_of, read_pool, with_load
from staffing.reasons import ReasonView, reason_views
from support import selectors as support_selectors
from support.models import Assignment, Status, SupportRequest

#: Candidates shown by default, and the most a caller may ask for.
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
#: Alternatives offered per row of the backlog plan ("choose another person").
ALTERNATIVES = 5


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
    skills = required_skills(request)
    job_type_id = getattr(job_type, "pk", job_type)
    data = read_pool(
        user,
        skill_ids=skills,
        organization_ids=[request.organization_id],
        job_type_id=job_type_id or None,
        with_names=False,
        with_allocated=False,  # replaced just below by the hours taken within the request's period
    )
    # People already on the request are shown on the page as such (its assignments), never offered again.
    on_request = set(Assignment.objects.active().filter(request=request).values_list("staff_id", flat=True))
    # Load within the request's period (business days, holidays, leave and training, assignments running then).
    start, end = availability.request_period(request)
    allocated = availability.allocated_per_week([(row[0], row[1]) for row in data.rows], start, end)
    data.rows = [
        (row[0], row[1], row[2], allocated[row[0]], *row[4:]) for row in data.rows if row[0] not in on_request
    ]
    # Scores for the whole pool at once (numpy); profiles, exact scores and reasons for the shortlist only.
    shortlisted = data.shortlist(spec, include_full=include_full, limit=limit)
    profiles = profiles_of(user, (row[0] for row in shortlisted))
    people = [
        data.person(row, name=profiles[row[0]].user.display_name or profiles[row[0]].user.email)
        for row in shortlisted
    ]
    ranked = matching.rank_candidates(spec, people, include_full=include_full, limit=limit)
    organization_name = request.organization.localized_name
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
    kind: str = ""  # StaffKind value
    learns: Skill | None = None  # a learner: the skill they learn on this request
    mentor: StaffProfile | None = None  # … and the member who mentors them
    on_request: bool = False  # already active on the request: shown, not offered again


@dataclass
class TeamView:
    members: list[TeamMemberView]
    uncovered: list[Skill]
    complete: bool
    hours: float
    missing_kinds: list[str] = field(
        default_factory=list
    )  # kinds the team rule asks for that nobody free has


def team_proposal_for(user, request: SupportRequest, *, include_full: bool = False) -> TeamView | None:
    """チーム編成案: the smallest team (lead first) covering every required skill at its minimum within capacity,
    or the best partial team and the skills left uncovered — completed by the category's team rule (a partner of
    each kind it requires, an optional learner with their mentor; staffing.matching.practice). People already on
    the request are marked as such. None for anyone but a manager."""
    if not policies.can_staff(user):
        return None
    from staffing import team_rules
    from staffing.matching.practice import apply_practice

    spec = request_spec(request)
    skills = required_skills(request)
    people = load_pool(user, skill_ids=skills, organization_ids=[request.organization_id])
    proposal = matching.propose_team(spec, people, include_full=include_full)
    kinds, wants, mentors = team_rules.practice_data(skills)
    practiced = apply_practice(
        spec,
        proposal,
        people,
        practice=team_rules.practice_for(request.category_id),
        kinds=kinds,
        wants_to_learn=wants,
        can_mentor=mentors,
        include_full=include_full,
    )
    learner = practiced.learner
    on_request = set(Assignment.objects.active().filter(request=request).values_list("staff_id", flat=True))
    order = list(skills)
    shown = {m.person.staff_id for m in practiced.proposal.members}
    if learner:
        shown |= {learner.person.staff_id, learner.mentor_staff_id}
    profiles = profiles_of(user, shown)
    members = [
        TeamMemberView(
            staff=profiles[m.person.staff_id],
            role=m.role,
            covers=[skills[sid] for sid in order if sid in m.covers],
            fit=m.fit,
            kind=kinds.get(m.person.staff_id, ""),
            on_request=m.person.staff_id in on_request,
        )
        for m in practiced.proposal.members
    ]
    if learner:
        members.append(
            TeamMemberView(
                staff=profiles[learner.person.staff_id],
                role="member",
                covers=[],
                fit=0.0,
                kind=kinds.get(learner.person.staff_id, ""),
                learns=skills[learner.skill_id],
                mentor=profiles[learner.mentor_staff_id],
                on_request=learner.person.staff_id in on_request,
            )
        )
    return TeamView(
        members=members,
        uncovered=[skills[sid] for sid in order if sid in proposal.uncovered_skill_ids],
        complete=proposal.complete,
        hours=spec.hours_per_week,
        missing_kinds=list(practiced.missing_kinds),
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
class Partner:
    """A team partner the request's team rule asks for beside the lead (role member)."""

    staff: StaffProfile
    fit: float
    hours: float


@dataclass
class PlanRow:
    request: SupportRequest
    staff: StaffProfile | None
    fit: float | None
    hours: float
    alternatives: list[Alternative]
    partners: list[Partner] = field(default_factory=list)


@dataclass
class BacklogView:
    rows: list[PlanRow]  # one per backlog request, planned or not, in backlog order
    total_fit: float
    unassigned: list[SupportRequest]
    method: str = "heuristic"  # exact · milp · heuristic (staffing.matching.exact)
    optimality_gap: float | None = None  # proven relative gap to the optimum

    @property
    def gap_percent(self) -> float | None:
        return None if self.optimality_gap is None else 100.0 * self.optimality_gap

    @property
    def planned(self) -> list[PlanRow]:
        return [row for row in self.rows if row.staff is not None]


def _plan(user, requests, specs, alternatives: int) -> matching.BacklogPlan:
    """The plan, exact where affordable (staffing.matching.exact: the MILP within the BACKLOG_PLAN_EXACT_SECONDS
    setting, else the heuristic with its proven gap)."""
    from django.conf import settings

    from staffing.matching.exact import DEFAULT_TIME_LIMIT, plan_backlog_best

    skill_ids = {req.skill_id for spec in specs for req in spec.requirements}
    people = load_pool(user, skill_ids=skill_ids, organization_ids={r.organization_id for r in requests})
    # Free hours within each request's own period (start → due date, business days with Japanese holidays): the
    # horizon cut into slices, leave, training and assignments counted where they fall (staffing.availability).
    today = fiscal.today()
    periods, allocated = availability.plan_periods(
        [(p.staff_id, p.capacity) for p in people],
        [
            (spec.hours_per_week, *availability.request_period(r, today=today))
            for r, spec in zip(requests, specs, strict=True)
        ],
    )
    people = [replace(p, allocated=allocated[p.staff_id]) for p in people]
    seconds = getattr(settings, "BACKLOG_PLAN_EXACT_SECONDS", DEFAULT_TIME_LIMIT)
    plan = plan_backlog_best(specs, people, alternatives=alternatives, time_limit=seconds, periods=periods)
    return replace(plan, partners=_partners(plan, requests, specs, people, periods))


def _partners(plan, requests, specs, people, periods=None) -> tuple:
    """The team partners the requests' team rules ask for beside the planned leads (staffing.matching.practice)."""
    from staffing import team_rules
    from staffing.matching.practice import plan_partners

    by_category, default = team_rules.practices()
    practices = [by_category.get(r.category_id, default) for r in requests]
    if not any(p and p.required_kinds for p in practices):
        return ()
    kinds = dict(StaffProfile.objects.filter(active=True).order_by().values_list("pk", "kind"))
    return plan_partners(plan, specs, people, practices=practices, kinds=kinds, periods=periods)


def backlog_plan_compute(user, *, alternatives: int = ALTERNATIVES) -> tuple[list[int], matching.BacklogPlan]:
    """The bare plan and the backlog it is for (request ids, in order): what a backlog-plan job computes."""
    requests = list(backlog_requests_for(user))
    specs = [request_spec(r) for r in requests]
    return [r.pk for r in requests], _plan(user, requests, specs, alternatives)


def backlog_plan_for(
    user, *, alternatives: int = ALTERNATIVES, computed: tuple[list[int], matching.BacklogPlan] | None = None
) -> BacklogView:
    """一括割当案: for every triaged, unassigned request at once, one lead each maximising total fit under everyone's
    free hours (matching.plan_backlog), with a few alternatives per row for the manager to adjust. `computed`: a
    plan a job computed (backlog_plan_compute), used when it is still for the same backlog."""
    if not policies.can_plan_backlog(user):
        return BacklogView(rows=[], total_fit=0.0, unassigned=[])
    requests = list(backlog_requests_for(user))
    if not requests:
        return BacklogView(rows=[], total_fit=0.0, unassigned=[])
    specs = [request_spec(r) for r in requests]
    if computed is not None and computed[0] == [r.pk for r in requests]:
        plan = computed[1]
    else:
        plan = _plan(user, requests, specs, alternatives)
    chosen = {a.request_id: a for a in plan.assignments}
    options = plan.alternatives or [() for _ in specs]
    partners: dict[int, list] = {}
    for p in plan.partners:
        partners.setdefault(p.request_id, []).append(p)
    profiles = profiles_of(
        user,
        {a.staff_id for a in plan.assignments}
        | {o.staff_id for row in options for o in row}
        | {p.staff_id for p in plan.partners},
    )
    rows = []
    for request, spec, row_options in zip(requests, specs, options, strict=True):
        planned = chosen.get(request.pk)
        rows.append(
            PlanRow(
                request=request,
                staff=profiles[planned.staff_id] if planned else None,
                fit=planned.fit if planned else None,
                hours=spec.hours_per_week,
                alternatives=[
                    Alternative(staff=profiles[o.staff_id], fit=o.fit, free=o.free_hours) for o in row_options
                ],
                partners=[
                    Partner(staff=profiles[p.staff_id], fit=p.fit, hours=p.hours)
                    for p in partners.get(request.pk, ())
                    if planned is not None
                ],
            )
        )
    unassigned = [row.request for row in rows if row.staff is None]
    return BacklogView(
        rows=rows,
        total_fit=plan.total_fit,
        unassigned=unassigned,
        method=plan.method,
        optimality_gap=plan.optimality_gap,
    )


# --- workload, my assignments, lookups -------------------------------------------------------------------------------


def workload_for(user) -> QuerySet:
    """The workload board: active staff profiles with `allocated` (hours/week of active assignments),
    `assignment_count`, `free` and `load` (staffing.pool.with_load), heaviest first. One query."""
    if not policies.can_view_workload(user):
        return StaffProfile.objects.none()
    return with_load(skills_selectors.staff_profile_list_for(user)).order_by(
        "-load", "user__display_name", "pk"
    )


def over_capacity_count_for(user) -> int | None:
    """How many people on the workload board are over their capacity (None for whoever may not see it). One
    query."""
    if not policies.can_view_workload(user):
        return None
    return with_load(skills_selectors.staff_profile_list_for(user)).filter(over_capacity=True).count()


@dataclass(frozen=True)
class Load:
    """A person's load: the hours/week of their active assignments against their capacity (as staffing.pool.with_load
    figures them)."""

    staff: StaffProfile
    allocated: Decimal
    assignment_count: int
    load: float
    over_capacity: bool

    @property
    def capacity(self) -> Decimal:
        return self.staff.capacity_hours_per_week


def my_load_for(user) -> Load | None:
    """The signed-in ICT staff member's own load, figured as on the workload board; None without a profile (or for
    anyone but ICT staff). Two queries."""
    profile = own_profile(user)
    if profile is None:
        return None
    figures = (
        with_load(StaffProfile.objects.filter(pk=profile.pk))
        .values("allocated", "assignment_count", "load", "over_capacity")
        .get()
    )
    return Load(staff=profile, **figures)


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
