"""Relay plumbing shared by every app's schema."""

import graphene
from graphene_django import DjangoConnectionField
from graphql_relay import from_global_id

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


class ScopedConnectionField(DjangoConnectionField):
    """A Relay connection over a queryset that a selector has already scoped to the user and prefetched.

    * The resolver must return that queryset; returning None is an error (graphene-django would fall back to the
      model's default manager, i.e. every row).
    * `first`/`last` above the page-size cap answer with code PAGE_SIZE_TOO_LARGE instead of an internal error.
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
        for name in ("first", "last"):
            value = args.get(name)
            if value is not None and value < 0:
                raise ExpectedError(f"`{name}` must not be negative.", code="BAD_PAGE_SIZE")
            if value is not None and max_limit and value > max_limit:
                raise ExpectedError(
                    f"`{name}` may be at most {max_limit} on this list; page through it with `after`.",
                    code="PAGE_SIZE_TOO_LARGE",
                )
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
