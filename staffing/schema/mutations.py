"""GraphQL mutations of staffing (assign, release, apply a backlog plan), on core.api.mutations.BaseMutation."""

import graphene
from django.core.exceptions import ValidationError

from core.api.errors import FieldError, NotFound
from core.api.mutations import BaseMutation, error_code_enum
from core.api.relay import enum_value, pk_from_global_id
from staffing import policies, selectors, services
from staffing.schema.types import (
    ONLY_MANAGERS_STAFF,
    AssignmentNode,
    AssignmentRoleEnum,
    find_request,
    find_staff,
)
from support.models import AssignmentRole

# --- mutations -------------------------------------------------------------------------------------------------------


StaffingErrorCode = error_code_enum(
    "StaffingErrorCode",
    (
        # staffing.services, for the mutations below
        "invalid_hours",
        "invalid_role",
        "wrong_status",
        "inactive_staff",
        "duplicate",
        "lead_exists",
        "over_capacity",
        "already_released",
        "empty_plan",
        "duplicate_row",
        # this module's argument parsing
        "not_found",
        # staffing.bulk (bulkUpdateRequests) and, per row, the single-request services it calls
        "unknown_action",
        "empty_selection",
        "too_many_rows",
        "forbidden",
        "not_open",
        "same_status",
        "terminal_status",
        "invalid_transition",
        "transition_not_permitted",
        "reason_required",
    ),
    "staffing",
)


class AssignmentPayload(graphene.ObjectType):
    assignment = graphene.Field(AssignmentNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class BacklogPlanPayload(graphene.ObjectType):
    assignments = graphene.List(graphene.NonNull(AssignmentNode), required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class AssignStaff(BaseMutation):
    """Put a person on a request as lead, member or reviewer with hours per week (capacity enforced; give
    `overrideReason` to exceed it on purpose — audited)."""

    class Arguments:
        request = graphene.ID(required=True, description="Global id or reference.")
        staff = graphene.ID(required=True, description="Global id or e-mail address.")
        role = AssignmentRoleEnum(default_value=AssignmentRole.MEMBER.value)
        hours = graphene.Float(required=True, description="Hours per week.")
        override_reason = graphene.String()

    class Meta:
        permission = policies.can_staff
        permission_message = ONLY_MANAGERS_STAFF
        error_codes = StaffingErrorCode

    Output = AssignmentPayload

    @classmethod
    def perform_mutation(
        cls, info, user, target, request, staff, hours, role=AssignmentRole.MEMBER.value, override_reason=""
    ):
        assignment = services.assignment_create(
            actor=user,
            request=find_request(user, request),
            staff=find_staff(user, staff),
            role=enum_value(role),
            hours=hours,
            override_reason=override_reason or "",
        )
        return cls.success(assignment=assignment)


class ReleaseAssignment(BaseMutation):
    class Arguments:
        assignment = graphene.ID(required=True, description="Assignment global id.")

    class Meta:
        description = "Take a person off a request (the assignment stays, with its release time)."
        permission = policies.can_staff
        permission_message = ONLY_MANAGERS_STAFF
        error_codes = StaffingErrorCode

    Output = AssignmentPayload

    @classmethod
    def get_target(cls, info, user, assignment):
        pk = pk_from_global_id(assignment, "Assignment")
        found = selectors.assignment_get_for(user, pk) if pk is not None else None
        if found is None:
            raise NotFound("No such assignment.")
        return found

    @classmethod
    def perform_mutation(cls, info, user, target, **_data):
        return cls.success(assignment=services.assignment_release(actor=user, assignment=target))

    @classmethod
    def failure(cls, errors, target):
        return AssignmentPayload(assignment=target, errors=errors)


class BacklogPlanPartnerInput(graphene.InputObjectType):
    staff = graphene.ID(required=True, description="Global id or e-mail address.")
    hours = graphene.Float(required=True)


class BacklogPlanItemInput(graphene.InputObjectType):
    request = graphene.ID(required=True, description="Global id or reference.")
    staff = graphene.ID(required=True, description="Global id or e-mail address.")
    hours = graphene.Float(required=True)
    partners = graphene.List(
        graphene.NonNull(BacklogPlanPartnerInput),
        description="Team partners (the plan's `partners`) to assign as members beside the lead.",
    )


class ApplyBacklogPlan(BaseMutation):
    """Apply a (possibly adjusted) backlog plan: every row becomes a lead assignment, or nothing is written.
    Errors name the failing rows (`field` is `items.<index>`)."""

    class Arguments:
        items = graphene.List(graphene.NonNull(BacklogPlanItemInput), required=True)

    class Meta:
        permission = policies.can_plan_backlog
        permission_message = ONLY_MANAGERS_STAFF
        error_codes = StaffingErrorCode

    Output = BacklogPlanPayload

    @classmethod
    def perform_mutation(cls, info, user, target, items):
        plan, missing = [], {}
        for index, item in enumerate(items):
            pk = pk_from_global_id(item.request, "SupportRequest")
            found = (
                selectors.request_for_staffing(user, pk=pk)
                if pk is not None
                else selectors.request_for_staffing(user, (item.request or "").strip())
            )
            try:
                person = find_staff(user, item.staff)
                partners = tuple((find_staff(user, p.staff), p.hours) for p in item.partners or ())
            except NotFound:
                person = None
            if found is None or person is None:
                missing[f"items.{index}"] = ValidationError(
                    f"Row {index + 1}: no such request or person.", code="not_found"
                )
                continue
            plan.append(services.PlanItem(request=found, staff=person, hours=item.hours, partners=partners))
        if missing:
            raise ValidationError(missing)
        return cls.success(assignments=services.backlog_plan_apply(actor=user, items=plan))

    @classmethod
    def failure(cls, errors, target):
        return BacklogPlanPayload(assignments=[], errors=errors)


class Mutation(graphene.ObjectType):
    assign_staff = AssignStaff.Field()
    release_assignment = ReleaseAssignment.Field()
    apply_backlog_plan = ApplyBacklogPlan.Field()
