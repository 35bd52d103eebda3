"""Relay plumbing shared by every app's schema."""

import graphene
from graphene.relay.node import NodeField
from graphene_django import DjangoConnectionField
from graphql_relay import cursor_to_offset, from_global_id

from core.api.errors import ExpectedError


class CountableConnection(graphene.relay.Connection):
    """A Relay connection with `totalCount` (the count of the whole filtered list, not of the page)."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True)

    def resolve_total_count(root, info):
        length = getattr(root, "length", None)
        if length is not None:
            return length
        iterable = root.iterable
        return (
            iterable.count()
            if hasattr(iterable, "count") and not isinstance(iterable, list)
            else len(iterable)
        )


def check_page_args(args: dict, max_limit: int | None) -> None:
    """Refuse page arguments that graphene/graphql-relay would answer with an internal error: a negative
    `first`/`last`/`offset` (BAD_PAGE_SIZE), `offset` with `before` or a cursor that is none (BAD_USER_INPUT), and
    `first`/`last` above the page-size cap (PAGE_SIZE_TOO_LARGE). For every connection field, scoped or not."""
    if args.get("offset") is not None and args.get("before") is not None:
        raise ExpectedError("Give either `offset` or `before`, not both.", code="BAD_USER_INPUT")
    for name in ("after", "before"):
        cursor = args.get(name)
        if cursor:
            position = cursor_to_offset(cursor)
            if position is None or position < 0:
                raise ExpectedError(f"`{name}` is not a cursor of this list.", code="BAD_USER_INPUT")
    for name in ("first", "last", "offset"):
        value = args.get(name)
        if value is not None and value < 0:
            raise ExpectedError(f"`{name}` must not be negative.", code="BAD_PAGE_SIZE")
        if name != "offset" and value is not None and max_limit and value > max_limit:
            raise ExpectedError(
                f"`{name}` may be at most {max_limit} on this list; page through it with `after`.",
                code="PAGE_SIZE_TOO_LARGE",
            )


class ScopedConnectionField(DjangoConnectionField):
    """A Relay connection over a queryset that a selector has already scoped to the user and prefetched.

    * The resolver must return that queryset; returning None is an error (graphene-django would fall back to the
      model's default manager, i.e. every row).
    * Page arguments are checked by `check_page_args` (a clear code instead of an internal error).
    """

    @classmethod
    def resolve_queryset(cls, connection, queryset, info, args):
        if queryset is None:
            raise RuntimeError("A scoped connection resolver returned None")
        return queryset

    @classmethod
    def connection_resolver(
        cls, resolver, connection, default_manager, queryset_resolver, max_limit, *rest, **args
    ):
        check_page_args(args, max_limit)
        return super().connection_resolver(
            resolver, connection, default_manager, queryset_resolver, max_limit, *rest, **args
        )


def pk_from_global_id(value: str | None, type_name: str) -> int | None:
    """The primary key in a Relay global id of `type_name`, or None when `value` is not one."""
    try:
        kind, pk = from_global_id(value or "")
    except Exception:  # noqa: BLE001 - not base64 / not "Type:id"
        return None
    if kind != type_name:
        return None
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


def enum_value(item):
    """The value of a graphene enum argument (or the plain value graphene sometimes passes instead)."""
    return getattr(item, "value", item)


class SafeNodeField(NodeField):
    """The root `node(id:)` field: an id that is no global id of a Node type answers null, as an id of an object the
    caller may not see does — graphene itself raises a bare Exception there, i.e. an internal error."""

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)

        def resolver(root, info, id):  # noqa: A002 — the argument's name in the schema
            try:
                type_name, _pk = from_global_id(id)
            except Exception:  # noqa: BLE001 - not base64 / not "Type:id"
                return None
            named = info.schema.get_type(type_name)
            graphene_type = getattr(named, "graphene_type", None)
            meta = getattr(graphene_type, "_meta", None)
            if graphene_type is None or graphene.relay.Node not in getattr(meta, "interfaces", ()):
                return None
            return resolve(root, info, id=id)

        return resolver
