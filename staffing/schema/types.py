"""GraphQL types of staffing, and the lookups of requests and people its queries and mutations share."""

import graphene
from graphene_django import DjangoObjectType

from core.api.errors import Forbidden, NotFound, require_user
from core.api.relay import CountableConnection, pk_from_global_id
from skills.schema import SkillNode, StaffProfileNode
from staffing import policies, selectors
from staffing.matching import load_ratio
from support.models import Assignment, AssignmentRole
from support.schema import SupportRequestNode

AssignmentRoleEnum = graphene.Enum.from_enum(AssignmentRole, name="AssignmentRole")
MAX_PAGE = 100


ONLY_MANAGERS_STAFF = "Only ICT managers may staff requests."


def require_manager(info):
    user = require_user(info)
    if not policies.can_staff(user):
        raise Forbidden(ONLY_MANAGERS_STAFF)
    return user


def find_request(user, value: str, *, with_assignments: bool = True):
    """A request by global id or reference, scoped to the user; NOT_FOUND otherwise."""
    pk = pk_from_global_id(value, "SupportRequest")
    found = (
        selectors.request_for_staffing(user, pk=pk, with_assignments=with_assignments)
        if pk is not None
        else selectors.request_for_staffing(user, (value or "").strip(), with_assignments=with_assignments)
    )
    if found is None:
        raise NotFound("No such support request.")
    return found


def find_staff(user, value: str):
    pk = pk_from_global_id(value, "StaffProfile")
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
        fields = (
            "id",
            "request",
            "staff",
            "role",
            "assigned_at",
            "released_at",
            "override_reason",
            "starts_on",
            "ends_on",
        )
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
    kind = graphene.String(required=True, description="Staff kind: specialist · ict_officer.")
    learns = graphene.Field(
        SkillNode, description="A learner: the required skill they learn on this request."
    )
    mentor = graphene.Field(StaffProfileNode, description="A learner's mentor (a member of the team).")
    on_request = graphene.Boolean(
        required=True, description="Already active on the request (not offered again)."
    )


class TeamProposal(graphene.ObjectType):
    members = graphene.List(graphene.NonNull(TeamMember), required=True, description="Lead first.")
    uncovered_skills = graphene.List(graphene.NonNull(SkillNode), required=True)
    complete = graphene.Boolean(required=True)
    hours_per_week = graphene.Float(required=True)
    missing_kinds = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Staff kinds the category's team rule asks for that nobody with free hours is.",
    )

    def resolve_uncovered_skills(root, info):
        return root.uncovered

    def resolve_hours_per_week(root, info):
        return root.hours


class BacklogPlanPartner(graphene.ObjectType):
    """A team partner the request's team rule asks for beside the lead (e.g. a senior digital specialist)."""

    staff = graphene.Field(StaffProfileNode, required=True)
    fit = graphene.Float(required=True)
    hours = graphene.Float(required=True)


class BacklogPlanItem(graphene.ObjectType):
    request = graphene.Field(SupportRequestNode, required=True)
    staff = graphene.Field(StaffProfileNode, required=True)
    fit = graphene.Float(required=True)
    hours = graphene.Float(required=True)
    partners = graphene.List(
        graphene.NonNull(BacklogPlanPartner),
        required=True,
        description="Team partners (members) the category's team rule asks for beside the lead.",
    )


class BacklogPlan(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(BacklogPlanItem), required=True)
    total_fit = graphene.Float(required=True)
    unassigned_requests = graphene.List(
        graphene.NonNull(SupportRequestNode),
        required=True,
        description="Nobody has the skills and free hours.",
    )
    method = graphene.String(
        required=True,
        description="exact (MILP, proven optimal) · milp (the MILP's best within its time limit) · heuristic.",
    )
    optimality_gap = graphene.Float(
        description="Proven relative gap to the optimum: (bound − value) ÷ bound on fit plus the priority "
        "tie-break; 0 when exact, null when no bound was computed."
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
