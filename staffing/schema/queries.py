"""GraphQL queries of staffing: candidates, team proposal, backlog plan, workload, my assignments."""

import graphene

from core.api.errors import ExpectedError, Forbidden, NotFound, require_user
from core.api.relay import ScopedConnectionField, check_page_args
from staffing import policies, selectors
from staffing.schema.types import (
    MAX_PAGE,
    AssignmentNode,
    BacklogPlan,
    Candidate,
    TeamProposal,
    WorkloadConnection,
    WorkloadRow,
    find_request,
    require_manager,
)

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
        user = require_manager(info)
        found = find_request(user, request, with_assignments=False)
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
        user = require_manager(info)
        found = find_request(user, request, with_assignments=False)
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
        check_page_args(page, MAX_PAGE)
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
