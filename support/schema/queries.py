"""GraphQL queries of support requests: the list (a Relay connection), one request, the categories and the skills
suggested for a category at triage."""

import graphene
from graphql.language.ast import FieldNode, FragmentSpreadNode, InlineFragmentNode

from core.api.errors import Forbidden, require_user
from core.api.relay import ScopedConnectionField, enum_value
from support import policies, selectors
from support.schema.types import (
    CategorySkillProfileType,
    PhaseEnum,
    RequestCategoryType,
    ServiceLevelType,
    StatusEnum,
    SupportRequestNode,
)

#: GraphQL fields of a support request that read a joined row, and the relation each one needs.
JOINS = {
    "organization": "organization",
    "category": "category",
    "requesterName": "requester",
    "satisfaction": "satisfaction",
}

#: Columns of a support request read only by the GraphQL field named here (its own resolver). The list leaves out
#: those of fields nobody asked for — only when every field asked for is one whose reads are known (these, plus
#: ALWAYS_READ), so that nothing can load a left-out column row by row.
OVERDUE_COLUMNS = (
    "first_response_due",
    "triage_due",
    "resolution_due",
    "first_response_at",
    "triaged_at",
)
OWN_COLUMNS = {
    "title": ("title",),
    "description": ("description",),
    "contact": ("contact",),
    "rejectionReason": ("rejection_reason",),
    "desiredStart": ("desired_start",),
    "estimatedHours": ("estimated_hours",),
    "phase": ("phase",),
    "priority": ("priority",),
    "fiscalYear": ("fiscal_year",),
    "fiscalYearLabel": ("fiscal_year",),
    "submittedAt": ("submitted_at",),
    "triagedAt": ("triaged_at",),
    "firstResponseAt": ("first_response_at",),
    "resolvedAt": ("resolved_at",),
    "closedAt": ("closed_at",),
    "firstResponseDue": ("first_response_due",),
    "triageDue": ("triage_due",),
    "resolutionDue": ("resolution_due",),
    "ageBusinessDays": ("submitted_at", "resolved_at", "closed_at"),
    # overdue reads every deadline and whether the first response and the triage are done (support.models.overdue_q)
    "overdue": OVERDUE_COLUMNS,
    "isOverdue": OVERDUE_COLUMNS,
}
#: Fields that read no column of their own beyond the key ones (id, reference, status, organisation, category,
#: requester, due date), or only joined/annotated rows.
ALWAYS_READ = {
    "id",
    "reference",
    "status",
    "dueDate",
    "organization",
    "category",
    "requesterName",
    "satisfaction",
    "requiredSkills",
    "assignments",
    "__typename",
}
UNREAD_COLUMNS = ("updated_at",)


def list_reads(fields: set[str]) -> dict:
    """What `selectors.request_list_for_api` must join, annotate, prefetch or may leave out for these fields."""
    defer = ()
    if fields <= ALWAYS_READ | OWN_COLUMNS.keys():
        read = {column for name in fields for column in OWN_COLUMNS.get(name, ())}
        defer = ({column for columns in OWN_COLUMNS.values() for column in columns} - read) | set(
            UNREAD_COLUMNS
        )
    return {
        "joins": {relation for name, relation in JOINS.items() if name in fields},
        "defer": defer,
        "required_skills": "requiredSkills" in fields,
        "assignments": "assignments" in fields,
        "assignment_models": "allowedTransitions" in fields,  # the permission checks read them
        "comments": "comments" in fields,
        "attachments": "attachments" in fields,
    }


def _selected_node_fields(info) -> set[str]:
    """Field names asked for under edges { node { … } } (fragments included)."""
    names: set[str] = set()
    path = ("edges", "node")

    def walk(selection_set, depth):
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if depth < len(path):
                    if selection.name.value == path[depth] and selection.selection_set:
                        walk(selection.selection_set, depth + 1)
                else:
                    names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, depth)
            elif isinstance(selection, FragmentSpreadNode):
                walk(info.fragments[selection.name.value].selection_set, depth)

    for node in info.field_nodes:
        if node.selection_set:
            walk(node.selection_set, 0)
    return names


class Query(graphene.ObjectType):
    support_requests = ScopedConnectionField(
        SupportRequestNode,
        status=StatusEnum(),
        category=graphene.String(description="Category code"),
        phase=PhaseEnum(),
        organization=graphene.String(description="Organisation code"),
        include_sub_organizations=graphene.Boolean(
            default_value=True,
            description="With `organization`: its departments' or sections' requests too (「下位組織を含む」, as the "
            "list page's toggle).",
        ),
        fiscal_year=graphene.Int(),
        search=graphene.String(description="Reference or words of the title"),
        overdue=graphene.Boolean(description="Only the overdue requests (true) or only the others (false)."),
        description="Support requests you may see (your organisation's, or all for the ICT side), newest first.",
    )
    support_request = graphene.Field(SupportRequestNode, reference=graphene.String(required=True))
    service_levels = graphene.List(
        graphene.NonNull(ServiceLevelType),
        required=True,
        description="The service levels: business days to the first response, triage and resolution per priority "
        "(and category, which wins over the priority's level).",
    )
    request_categories = graphene.List(graphene.NonNull(RequestCategoryType), required=True)
    category_skill_profile = graphene.Field(
        CategorySkillProfileType,
        category=graphene.String(required=True, description="Category code"),
        description="The required skills suggested when triaging a request of the category: its skill profile, "
        "refined from past requests of the category rated 4 or more (the ICT side; null for an unknown code).",
    )

    def resolve_support_requests(
        root,
        info,
        status=None,
        category=None,
        phase=None,
        organization=None,
        include_sub_organizations=True,
        fiscal_year=None,
        search=None,
        overdue=None,
        **_page,
    ):
        user = require_user(info)
        return selectors.request_list_for_api(
            user,
            **list_reads(_selected_node_fields(info)),
            filters={
                "status": enum_value(status),
                "category": category,
                "phase": enum_value(phase),
                "organization": organization,
                "include_sub_organizations": include_sub_organizations is not False,
                "fiscal_year": fiscal_year,
                "search": search,
                "overdue": overdue,
            },
        )

    def resolve_support_request(root, info, reference):
        user = require_user(info)
        return selectors.request_get_for(user, reference=reference)

    def resolve_service_levels(root, info):
        require_user(info)
        return selectors.service_level_list()

    def resolve_request_categories(root, info):
        require_user(info)
        return selectors.category_list()

    def resolve_category_skill_profile(root, info, category):
        user = require_user(info)
        if not policies.sees_all_requests(user):  # history of every organisation's requests: the ICT side
            raise Forbidden()
        found = selectors.category_list(active_only=False).filter(code=category).first()
        if found is None:
            return None
        return {"category": found, "skills": selectors.category_skill_suggestions(found)}
