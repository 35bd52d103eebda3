"""GraphQL for saved views (保存したビュー) of the request lists: the user's own, save one, delete one.

The same services and selectors as the list pages (support.services.saved_views); a view is the user's own and
another user's answers NOT_FOUND like a missing one.
"""

import graphene
from django.urls import reverse
from graphql_relay import to_global_id

from core.api.errors import FieldError, NotFound, require_user
from core.api.mutations import BaseMutation, signed_in
from core.api.relay import enum_value, pk_from_global_id
from support import policies, selectors, services
from support.models import SavedViewList
from support.schema.mutations import SupportErrorCode

SavedViewListEnum = graphene.Enum.from_enum(SavedViewList, name="SavedViewList")
LIST_URLS = {SavedViewList.REQUESTS: "support:request_list", SavedViewList.TRIAGE: "support:triage"}


class SavedViewType(graphene.ObjectType):
    """A named filter set of a request list, kept as its query string (the list's own keys only)."""

    class Meta:
        name = "SavedView"

    id = graphene.ID(required=True, description="Global id (SavedView:<pk>).")
    name = graphene.String(required=True)
    list = graphene.Field(SavedViewListEnum, required=True)
    query = graphene.String(
        required=True, description="The list's query string, e.g. status=submitted&mine=filed."
    )
    url = graphene.String(required=True, description="The list page with these filters (a path).")

    def resolve_id(view, info):
        return to_global_id("SavedView", view.pk)

    def resolve_list(view, info):
        return view.list_name

    def resolve_query(view, info):
        return view.query_string

    def resolve_url(view, info):
        path = reverse(LIST_URLS[view.list_name])
        return f"{path}?{view.query_string}" if view.query_string else path


class Query(graphene.ObjectType):
    saved_views = graphene.List(
        graphene.NonNull(SavedViewType),
        required=True,
        list=graphene.Argument(SavedViewListEnum, description="Only the views of this list."),
        description="Your saved views of the request lists, by name.",
    )

    def resolve_saved_views(root, info, list=None):  # noqa: A002 — the argument's name in the schema
        user = require_user(info)
        return list_views(user, enum_value(list) if list is not None else None)


def list_views(user, list_name):
    return [
        v for v in selectors.saved_views_for(user, list_name) if policies.can_save_view(user, v.list_name)
    ]


class SavedViewPayload(graphene.ObjectType):
    saved_view = graphene.Field(SavedViewType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class DeleteSavedViewPayload(graphene.ObjectType):
    deleted_id = graphene.ID()
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class SaveView(BaseMutation):
    """Save a request list's filters under a name (saving under a name you already use replaces that view)."""

    class Arguments:
        name = graphene.String(required=True)
        list = SavedViewListEnum(required=True)
        query = graphene.String(
            required=True, description="The list's query string; unknown keys are dropped."
        )

    class Meta:
        permission = policies.can_list_requests
        error_codes = SupportErrorCode

    Output = SavedViewPayload

    @classmethod
    def perform_mutation(cls, info, user, target, name, list, query):  # noqa: A002
        view = services.saved_view_save(actor=user, name=name, list_name=enum_value(list), query_string=query)
        return cls.success(saved_view=view)


class DeleteSavedView(BaseMutation):
    """Delete one of your saved views."""

    class Arguments:
        id = graphene.ID(required=True)  # noqa: A003

    class Meta:
        permission = signed_in
        error_codes = SupportErrorCode

    Output = DeleteSavedViewPayload

    @classmethod
    def get_target(cls, info, user, id, **_data):  # noqa: A002
        pk = pk_from_global_id(id, "SavedView")
        found = selectors.saved_view_get_for(user, pk) if pk is not None else None
        if found is None:
            raise NotFound("No such saved view.")
        return found

    @classmethod
    def perform_mutation(cls, info, user, target, **_data):
        deleted_id = to_global_id("SavedView", target.pk)
        services.saved_view_delete(actor=user, view=target)
        return cls.success(deleted_id=deleted_id)


class Mutation(graphene.ObjectType):
    save_view = SaveView.Field()
    delete_saved_view = DeleteSavedView.Field()
