"""GraphQL for staffing: candidates, team proposal, backlog plan, assigning, releasing, workload.

The same selectors, services and policies as the pages. Managers only (FORBIDDEN otherwise, NOT_FOUND for a
request or person that does not exist or is out of scope); ICT staff see their own assignments and load.
Requests are named by Relay global id or by reference (DX-2025-0001); people by global id or e-mail address.
"""

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from graphene_django import DjangoObjectType
from graphql_relay import from_global_id

from core.api.errors import ExpectedError, FieldError, Forbidden, NotFound, errors_from, require_user
from core.api.relay import CountableConnection, ScopedConnectionField
from skills.schema import SkillNode, StaffProfileNode
from staffing import policies, selectors, services
from staffing.matching import load_ratio
from support.models import Assignment, AssignmentRole
from support.schema import SupportRequestNode

AssignmentRoleEnum = graphene.Enum.from_enum(AssignmentRole, name="AssignmentRole")
MAX_PAGE = 100


def _value(item):
    return getattr(item, "value", item)


def _pk_from(value: str, type_name: str) -> int | None:
    """The primary key in a Relay global id of `type_name`, or None when `value` is not one."""
    try:
        kind, pk = from_global_id(value)
    except Exception:  # noqa: BLE001 - not base64 / not a global id
        return None
    if kind != type_name:
        return None
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


def _manager(info):
    user = require_user(info)
    if not policies.can_staff(user):
        raise Forbidden("Only ICT managers may staff requests.")
    return user


def _request(user, value: str, *, with_assignments: bool = True):
    """A request by global id or reference, scoped to the user; NOT_FOUND otherwise."""
    pk = _pk_from(value, "SupportRequest")
    found = (
        selectors.request_for_staffing(user, pk=pk, with_assignments=with_assignments)
        if pk is not None
        else selectors.request_for_staffing(user, (value or "").strip(), with_assignments=with_assignments)
    )
    if found is None:
        raise NotFound("No such support request.")
    return found


def _staff(user, value: str):
    pk = _pk_from(value, "StaffProfile")
    if pk is not None:
        found = selectors.staff_for_assignment(user, pk=pk)
    elif "@" in (value or ""):
        found = selectors.staff_for_assignment(user, email=value)
    else:
        found = None
    if found is None:
        raise NotFound("No such person in the talent pool.")
    return found


# --- types -----------------------------------------------------------------------------------------------------------


class AssignmentNode(DjangoObjectType):
    """担当割当: a person on a request (active while releasedAt is null)."""

    role = AssignmentRoleEnum(required=True)
    allocated_hours_per_week = graphene.Float(required=True)
    request = graphene.Field(SupportRequestNode, required=True)
    staff = graphene.Field(StaffProfileNode, required=True)

    class Meta:
        model = Assignment
        name = "Assignment"
        fields = ("id", "request", "staff", "role", "assigned_at", "released_at", "override_reason")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_role(root, info):
        return root.role

    def resolve_allocated_hours_per_week(root, info):
        return float(root.allocated_hours_per_week)

    @classmethod
    def get_node(cls, info, id):
        user = require_user(info)
        found = selectors.assignment_get_for(user, id)
        if found is None:
            found = selectors.my_assignments_for(user).filter(pk=id).first()
        return found


class CandidateReason(graphene.ObjectType):
    """Why a candidate ranks where they do: one required skill, a certification, load, continuity or capacity."""

    kind = graphene.String(
        required=True, description="skill · certification · load · continuity · over_capacity"
    )
    text = graphene.String(required=True, description="The reason as a sentence in the user's language.")
    skill = graphene.Field(SkillNode)
    level = graphene.Int(description="Current (validated) level; 0 when none.")
    min_level = graphene.Int()
    met = graphene.Boolean()
    mandatory = graphene.Boolean(required=True)
    pending = graphene.Boolean(required=True, description="A pending self-assessment differs from the level.")
    pending_level = graphene.Int()
    certified = graphene.Boolean(required=True)
    load = graphene.Float()
    past_requests = graphene.Int()
    satisfaction = graphene.Float()

    def resolve_past_requests(root, info):
        return root.count


class Candidate(graphene.ObjectType):
    class Meta:
        name = "StaffingCandidate"

    staff = graphene.Field(StaffProfileNode, required=True)
    rank = graphene.Int(required=True)
    score = graphene.Float(required=True)
    fit = graphene.Float(required=True)
    load = graphene.Float(required=True)
    continuity = graphene.Float(required=True)
    has_room = graphene.Boolean(required=True)
    allocated_hours = graphene.Float(required=True)
    capacity_hours = graphene.Float(required=True)
    reasons = graphene.List(graphene.NonNull(CandidateReason), required=True)

    def resolve_allocated_hours(root, info):
        return root.allocated

    def resolve_capacity_hours(root, info):
        return root.capacity


class TeamMember(graphene.ObjectType):
    staff = graphene.Field(StaffProfileNode, required=True)
    role = AssignmentRoleEnum(required=True)
    covers = graphene.List(graphene.NonNull(SkillNode), required=True)
    fit = graphene.Float(required=True)


class TeamProposal(graphene.ObjectType):
    members = graphene.List(graphene.NonNull(TeamMember), required=True, description="Lead first.")
    uncovered_skills = graphene.List(graphene.NonNull(SkillNode), required=True)
    complete = graphene.Boolean(required=True)
    hours_per_week = graphene.Float(required=True)

    def resolve_uncovered_skills(root, info):
        return root.uncovered

    def resolve_hours_per_week(root, info):
        return root.hours


class BacklogPlanItem(graphene.ObjectType):
    request = graphene.Field(SupportRequestNode, required=True)
    staff = graphene.Field(StaffProfileNode, required=True)
    fit = graphene.Float(required=True)
    hours = graphene.Float(required=True)


class BacklogPlan(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(BacklogPlanItem), required=True)
    total_fit = graphene.Float(required=True)
    unassigned_requests = graphene.List(
        graphene.NonNull(SupportRequestNode),
        required=True,
        description="Nobody has the skills and free hours.",
    )

    def resolve_items(root, info):
        return root.planned

    def resolve_unassigned_requests(root, info):
        return root.unassigned


class WorkloadRow(graphene.ObjectType):
    class Meta:
        name = "Workload"

    staff = graphene.Field(StaffProfileNode, required=True)
    capacity = graphene.Float(required=True, description="Hours/week.")
    allocated = graphene.Float(required=True, description="Hours/week of active assignments.")
    free = graphene.Float(required=True)
    load = graphene.Float(required=True, description="allocated ÷ capacity")
    over_capacity = graphene.Boolean(required=True)
    assignment_count = graphene.Int(required=True)

    @staticmethod
    def of(profile, allocated, count):
        capacity = float(profile.capacity_hours_per_week)
        allocated = float(allocated)
        return WorkloadRow(
            staff=profile,
            capacity=capacity,
            allocated=allocated,
            free=capacity - allocated,
            load=load_ratio(allocated, capacity),
            over_capacity=allocated > capacity,
            assignment_count=count,
        )


class WorkloadConnection(CountableConnection):
    class Meta:
        node = WorkloadRow


# --- queries ---------------------------------------------------------------------------------------------------------


class Query(graphene.ObjectType):
    candidates = graphene.List(
        graphene.NonNull(Candidate),
        required=True,
        request=graphene.ID(required=True, description="Global id or reference (DX-2025-0001)."),
        limit=graphene.Int(description=f"Default {selectors.DEFAULT_LIMIT}, at most {selectors.MAX_LIMIT}."),
        include_full=graphene.Boolean(default_value=False, description="Also people at or over capacity."),
        job_type=graphene.String(description="Job type code"),
        description="Ranked candidates (候補者) for a request, with the reasons for each rank. ICT managers.",
    )
    team_proposal = graphene.Field(
        TeamProposal,
        required=True,
        request=graphene.ID(required=True),
        include_full=graphene.Boolean(default_value=False),
        description="The smallest team covering every required skill (チーム編成案), or what stays uncovered.",
    )
    backlog_plan = graphene.Field(
        BacklogPlan,
        required=True,
        description="One lead for every triaged, unassigned request, maximising total fit (一括割当案).",
    )
    workload = graphene.relay.ConnectionField(
        WorkloadConnection,
        job_type=graphene.String(description="Job type code"),
        over_capacity=graphene.Boolean(),
        description="People × hours: capacity, allocated, load. ICT managers.",
    )
    my_assignments = ScopedConnectionField(
        AssignmentNode, description="The signed-in ICT staff member's active assignments."
    )
    my_load = graphene.Field(
        WorkloadRow, description="The signed-in ICT staff member's own load (null without a profile)."
    )

    def resolve_candidates(root, info, request, limit=None, include_full=False, job_type=None):
        user = _manager(info)
        found = _request(user, request, with_assignments=False)
        if limit is not None and not 0 <= limit <= selectors.MAX_LIMIT:
            raise ExpectedError(
                f"`limit` must be between 0 and {selectors.MAX_LIMIT}.", code="PAGE_SIZE_TOO_LARGE"
            )
        job = None
        if job_type:
            from skills import selectors as skills_selectors

            job = skills_selectors.job_type_list(active=None).filter(code=job_type).first()
            if job is None:
                raise NotFound("No such job type.")
        return selectors.candidates_for(user, found, include_full=include_full, job_type=job, limit=limit)

    def resolve_team_proposal(root, info, request, include_full=False):
        user = _manager(info)
        found = _request(user, request, with_assignments=False)
        return selectors.team_proposal_for(user, found, include_full=include_full)

    def resolve_backlog_plan(root, info):
        user = require_user(info)
        if not policies.can_plan_backlog(user):
            raise Forbidden("Only ICT managers plan the backlog.")
        return selectors.backlog_plan_for(user, alternatives=0)

    def resolve_workload(root, info, job_type=None, over_capacity=None, **page):
        user = require_user(info)
        if not policies.can_view_workload(user):
            raise Forbidden("Only ICT managers see the workload board.")
        for name in ("first", "last"):
            if page.get(name) is not None and page[name] > MAX_PAGE:
                raise ExpectedError(
                    f"`{name}` may be at most {MAX_PAGE} on this list; page through it with `after`.",
                    code="PAGE_SIZE_TOO_LARGE",
                )
        queryset = selectors.workload_for(user)
        if job_type:
            queryset = queryset.filter(job_type__code=job_type)
        rows = [WorkloadRow.of(p, p.allocated, p.assignment_count) for p in queryset]
        if over_capacity is not None:
            rows = [r for r in rows if r.over_capacity == over_capacity]
        return rows

    def resolve_my_assignments(root, info, **page):
        user = require_user(info)
        if not policies.can_view_own_assignments(user):
            raise Forbidden("Only ICT staff have assignments.")
        return selectors.my_assignments_for(user)

    def resolve_my_load(root, info):
        user = require_user(info)
        if not policies.can_view_own_assignments(user):
            raise Forbidden("Only ICT staff have assignments.")
        load = selectors.my_load_for(user)
        return None if load is None else WorkloadRow.of(load.staff, load.allocated, load.assignment_count)


# --- mutations -------------------------------------------------------------------------------------------------------


class AssignmentPayload(graphene.ObjectType):
    assignment = graphene.Field(AssignmentNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class BacklogPlanPayload(graphene.ObjectType):
    assignments = graphene.List(graphene.NonNull(AssignmentNode), required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class AssignStaff(graphene.Mutation):
    """Put a person on a request as lead, member or reviewer with hours per week (capacity enforced; give
    `overrideReason` to exceed it on purpose — audited)."""

    class Arguments:
        request = graphene.ID(required=True, description="Global id or reference.")
        staff = graphene.ID(required=True, description="Global id or e-mail address.")
        role = AssignmentRoleEnum(default_value=AssignmentRole.MEMBER.value)
        hours = graphene.Float(required=True, description="Hours per week.")
        override_reason = graphene.String()

    Output = AssignmentPayload

    def mutate(root, info, request, staff, hours, role=AssignmentRole.MEMBER.value, override_reason=""):
        user = _manager(info)
        found, person = _request(user, request), _staff(user, staff)
        try:
            assignment = services.assignment_create(
                actor=user,
                request=found,
                staff=person,
                role=_value(role),
                hours=hours,
                override_reason=override_reason or "",
            )
        except ValidationError as error:
            return AssignmentPayload(assignment=None, errors=errors_from(error))
        except PermissionDenied as denied:
            raise Forbidden(str(denied)) from denied
        return AssignmentPayload(assignment=assignment, errors=[])


class ReleaseAssignment(graphene.Mutation):
    class Arguments:
        assignment = graphene.ID(required=True, description="Assignment global id.")

    Output = AssignmentPayload

    def mutate(root, info, assignment):
        user = _manager(info)
        pk = _pk_from(assignment, "Assignment")
        found = selectors.assignment_get_for(user, pk) if pk is not None else None
        if found is None:
            raise NotFound("No such assignment.")
        try:
            released = services.assignment_release(actor=user, assignment=found)
        except ValidationError as error:
            return AssignmentPayload(assignment=found, errors=errors_from(error))
        except PermissionDenied as denied:
            raise Forbidden(str(denied)) from denied
        return AssignmentPayload(assignment=released, errors=[])


class BacklogPlanItemInput(graphene.InputObjectType):
    request = graphene.ID(required=True, description="Global id or reference.")
    staff = graphene.ID(required=True, description="Global id or e-mail address.")
    hours = graphene.Float(required=True)


class ApplyBacklogPlan(graphene.Mutation):
    """Apply a (possibly adjusted) backlog plan: every row becomes a lead assignment, or nothing is written.
    Errors name the failing rows (`field` is `items.<index>`)."""

    class Arguments:
        items = graphene.List(graphene.NonNull(BacklogPlanItemInput), required=True)

    Output = BacklogPlanPayload

    def mutate(root, info, items):
        user = _manager(info)
        plan, missing = [], []
        for index, item in enumerate(items):
            pk = _pk_from(item.request, "SupportRequest")
            found = (
                selectors.request_for_staffing(user, pk=pk)
                if pk is not None
                else selectors.request_for_staffing(user, (item.request or "").strip())
            )
            try:
                person = _staff(user, item.staff)
            except NotFound:
                person = None
            if found is None or person is None:
                missing.append(
                    FieldError(
                        field=f"items.{index}",
                        code="not_found",
                        message=f"Row {index + 1}: no such request or person.",
                    )
                )
                continue
            plan.append(services.PlanItem(request=found, staff=person, hours=item.hours))
        if missing:
            return BacklogPlanPayload(assignments=[], errors=missing)
        try:
            created = services.backlog_plan_apply(actor=user, items=plan)
        except ValidationError as error:
            return BacklogPlanPayload(assignments=[], errors=errors_from(error))
        except PermissionDenied as denied:
            raise Forbidden(str(denied)) from denied
        return BacklogPlanPayload(assignments=created, errors=[])


class Mutation(graphene.ObjectType):
    assign_staff = AssignStaff.Field()
    release_assignment = ReleaseAssignment.Field()
    apply_backlog_plan = ApplyBacklogPlan.Field()
