"""GraphQL for the bulk actions of the request lists: `bulkUpdateRequests` (staffing.bulk, as the page does).

Per row in one transaction: `results` says for each reference whether it changed or why not (the row's service's
codes); rows that fail are left unchanged. `dryRun: true` answers the same without writing anything.
"""

import graphene

from core.api.errors import FieldError
from core.api.mutations import BaseMutation
from core.api.relay import enum_value
from staffing import bulk
from staffing.schema.mutations import StaffingErrorCode
from staffing.schema.types import find_staff
from support import policies as support_policies
from support.schema.types import PriorityEnum

BulkActionEnum = graphene.Enum(
    "BulkRequestAction",
    [("ASSIGN", bulk.ASSIGN), ("PRIORITY", bulk.PRIORITY), ("CLOSE", bulk.CLOSE)],
    description="What to do with every selected request: assign a person, change the priority, close.",
)
BulkRoleEnum = graphene.Enum(
    "BulkAssignRole",
    [("AUTO", bulk.AUTO_ROLE), ("LEAD", "lead"), ("MEMBER", "member"), ("REVIEWER", "reviewer")],
    description="AUTO: lead where the request has no lead yet, member where it has one.",
)


class BulkRowResult(graphene.ObjectType):
    reference = graphene.String(required=True)
    ok = graphene.Boolean(required=True, description="True: changed (or would be, in a dry run).")
    errors = graphene.List(
        graphene.NonNull(FieldError), required=True, description="Why the row was refused."
    )


class BulkUpdatePayload(graphene.ObjectType):
    results = graphene.List(graphene.NonNull(BulkRowResult), required=True)
    changed_count = graphene.Int(required=True)
    refused_count = graphene.Int(required=True)
    dry_run = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class BulkUpdateRequests(BaseMutation):
    """Assign a person to, change the priority of, or close several requests at once (ICT managers; at most 100).
    Each row goes through the single-request service (checks, history, notifications); a refused row is reported in
    `results` with its codes and left unchanged, the others are changed together."""

    class Arguments:
        references = graphene.List(graphene.NonNull(graphene.String), required=True)
        action = BulkActionEnum(required=True)
        staff = graphene.ID(description="ASSIGN: the person, by global id or e-mail address.")
        role = BulkRoleEnum(default_value=bulk.AUTO_ROLE)
        hours = graphene.Float(description="ASSIGN: hours per week.")
        priority = PriorityEnum(description="PRIORITY: the new priority.")
        note = graphene.String(description="CLOSE: a note for the history.")
        dry_run = graphene.Boolean(default_value=False, description="Say what would happen; write nothing.")

    class Meta:
        permission = support_policies.can_bulk_update
        permission_message = "Only ICT managers change several requests at once."
        error_codes = StaffingErrorCode

    Output = BulkUpdatePayload

    @classmethod
    def perform_mutation(cls, info, user, target, references, action, **data):
        staff = find_staff(user, data["staff"]) if data.get("staff") else None
        priority = data.get("priority")
        result = bulk.requests_bulk_update(
            actor=user,
            references=references,
            action=enum_value(action),
            staff=staff,
            role=enum_value(data.get("role") or bulk.AUTO_ROLE),
            hours=data.get("hours"),
            priority=enum_value(priority) if priority is not None else None,
            note=data.get("note") or "",
            dry_run=bool(data.get("dry_run")),
        )
        rows = [
            BulkRowResult(
                reference=row.reference,
                ok=row.ok,
                errors=[
                    FieldError(field=None, code=c, message=m)
                    for c, m in zip(row.codes, row.messages, strict=True)
                ],
            )
            for row in result.rows
        ]
        return cls.success(
            results=rows,
            changed_count=len(result.done),
            refused_count=len(result.refused),
            dry_run=result.dry_run,
        )

    @classmethod
    def failure(cls, errors, target):
        return BulkUpdatePayload(results=[], changed_count=0, refused_count=0, dry_run=False, errors=errors)


class Mutation(graphene.ObjectType):
    bulk_update_requests = BulkUpdateRequests.Field()
