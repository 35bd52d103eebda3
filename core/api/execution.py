"""GraphQL execution with a short path for plain leaf fields.

graphql-core resolves every field of every object the same way: a path, a resolve-info object, the argument values,
the resolver, then `complete_value`'s type dispatch. A page of 100 requests has more than a thousand fields, and most
are plain attributes (`reference`, `title`, `code`, `minLevel`, …) that graphene resolves with its default resolver
(an attribute or a dict key of the parent) and a scalar's `serialize`. For those fields only — the default resolver,
no arguments, a scalar or enum type, no middleware — `LeanExecutionContext` reads the attribute and serializes it
directly. Anything unusual (a missing value on a non-null field, a value the scalar refuses, an exception) goes the
ordinary way, which produces the ordinary error; so do fields with their own resolvers, objects and lists.
"""

from functools import partial

from graphene.types.resolver import attr_resolver, dict_or_attr_resolver, dict_resolver
from graphql import ExecutionContext, GraphQLNonNull, Undefined, get_named_type, is_leaf_type
from graphql.pyutils import Path

_DEFAULT_RESOLVERS = (dict_or_attr_resolver, attr_resolver, dict_resolver)
_MISSING = object()
#: (parent type, field name) → (resolver, attribute name, default, serialize, nullable), or None: not a plain leaf.
#: The schema is built once per process, so this holds at most one entry per field of it.
_PLAIN_LEAVES: dict = {}


def _plain_leaf(parent_type, name: str):
    key = (parent_type, name)
    found = _PLAIN_LEAVES.get(key, _MISSING)
    if found is not _MISSING:
        return found
    found = None
    field = parent_type.fields.get(name)
    resolve = field.resolve if field is not None else None
    if (
        field is not None
        and not field.args
        and isinstance(resolve, partial)
        and resolve.func in _DEFAULT_RESOLVERS
        and len(resolve.args) == 2
        and not resolve.keywords
        and is_leaf_type(get_named_type(field.type))
    ):
        attname, default = resolve.args
        found = (
            resolve.func,
            attname,
            default,
            get_named_type(field.type).serialize,
            not isinstance(field.type, GraphQLNonNull),
        )
    _PLAIN_LEAVES[key] = found
    return found


def never_awaitable(_value) -> bool:
    """Every resolver here is synchronous: spare graphql-core its awaitable check on each of thousands of values."""
    return False


class LeanExecutionContext(ExecutionContext):
    """For synchronous execution (`is_awaitable=never_awaitable`, as core.api.view runs it); otherwise, or with
    middleware, it is graphql-core's own."""

    def execute_fields(self, parent_type, source_value, path, fields):
        manager = self.middleware_manager
        if (manager is not None and manager.middlewares) or self.is_awaitable is not never_awaitable:
            return super().execute_fields(parent_type, source_value, path, fields)
        results = {}
        is_dict = isinstance(source_value, dict)
        for response_name, field_nodes in fields.items():
            node = field_nodes[0]
            leaf = None if node.arguments else _plain_leaf(parent_type, node.name.value)
            if leaf is not None:
                resolver, attname, default, serialize, nullable = leaf
                try:
                    if resolver is dict_resolver or (resolver is dict_or_attr_resolver and is_dict):
                        value = source_value.get(attname, default)
                    else:
                        value = getattr(source_value, attname, default)
                    if value is None:
                        if nullable:
                            results[response_name] = None
                            continue
                    else:
                        serialized = serialize(value)
                        if serialized is not None and serialized is not Undefined:
                            results[response_name] = serialized
                            continue
                except Exception:  # noqa: BLE001, S110 — the ordinary path below reports it properly
                    pass
            result = self.execute_field(
                parent_type, source_value, field_nodes, Path(path, response_name, parent_type.name)
            )
            if result is not Undefined:
                results[response_name] = result
        return results
