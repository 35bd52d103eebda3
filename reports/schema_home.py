"""GraphQL: what needs me now (reports.home) — the home page's counts per role, with the page that lists them."""

import graphene

from core.api.errors import require_user
from reports.home import home_for


class WorkItemType(graphene.ObjectType):
    key = graphene.String(
        required=True, description="e.g. waiting_on_me, my_overdue, to_triage, single_points_of_failure"
    )
    label = graphene.String(required=True)
    count = graphene.Int(required=True)
    url = graphene.String(
        required=True, description="The page listing exactly these items (empty: none to open)."
    )
    urgent = graphene.Boolean(required=True, description="A count above zero that asks for action now.")


class WorkCardType(graphene.ObjectType):
    key = graphene.String(required=True, description="requester, staff, manager or hr")
    title = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(WorkItemType), required=True)


class Query(graphene.ObjectType):
    my_work_summary = graphene.List(
        graphene.NonNull(WorkCardType),
        required=True,
        description="What needs you now, per role you hold (the home page's counts; empty for none).",
    )

    def resolve_my_work_summary(root, info):
        return home_for(require_user(info))
