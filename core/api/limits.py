"""Bounds on the work one GraphQL document may ask for, checked before anything runs.

In the order they apply (all configurable in settings, see the README's configuration table):

1. `GRAPHQL_MAX_BODY_BYTES` — the request body (core.api.view), refused with PAYLOAD_TOO_LARGE before it is read.
2. `GRAPHQL_MAX_TOKENS` — the parser stops after that many tokens (graphql-core's `max_tokens`), so a document of
   300,000 fields is refused with QUERY_TOO_COMPLEX after reading a few thousand, before validation.
3. `DocumentLimitRule`, alone and before the other rules (some of which take time quadratic in the number of fields):
   depth `GRAPHQL_MAX_DEPTH`, aliases `GRAPHQL_MAX_ALIASES`, fields `GRAPHQL_MAX_FIELDS` and cost `GRAPHQL_MAX_COST`.
4. graphql-core's specified rules and, outside development, no introspection.

Cost = the number of fields the answer can hold: each field counts 1 times the product of the list sizes around it.
A field with a `first`/`last` argument (a connection) multiplies what is below it by that number (by the maximum page
size when it is missing or a variable); another list field by `GRAPHQL_LIST_SIZE_ESTIMATE`.
"""

from django.conf import settings
from graphene_django.settings import graphene_settings
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    get_named_type,
    is_object_type,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule


class DocumentLimitRule(ValidationRule):
    """Depth, aliases and cost of each operation (fragments inlined), each reported once with its own code."""

    def enter_operation_definition(self, node, *_args):
        self.max_depth = settings.GRAPHQL_MAX_DEPTH
        self.max_aliases = settings.GRAPHQL_MAX_ALIASES
        self.max_cost = settings.GRAPHQL_MAX_COST
        self.max_fields = settings.GRAPHQL_MAX_FIELDS
        self.aliases = 0
        self.visits = 0  # fields visited with fragments inlined: bounds this rule's own work
        self.too_deep = False
        schema = self.context.schema
        root = schema.get_root_type(node.operation)
        if root is None:
            self._report(
                f"This API has no {node.operation.value} operations.", node, "GRAPHQL_VALIDATION_FAILED"
            )
            return
        cost = self._cost(node.selection_set, root, 1, 1, frozenset())
        name = node.name.value if node.name else "anonymous"
        if self.too_deep:
            self._report(
                f"'{name}' exceeds maximum operation depth of {self.max_depth}.", node, "DEPTH_LIMIT"
            )
        if self.aliases > self.max_aliases:
            self._report(
                f"Too many aliases: at most {self.max_aliases} per operation.", node, "TOO_MANY_ALIASES"
            )
        if self.visits > self.max_fields:
            self._report(
                f"'{name}' selects more than {self.max_fields} fields (fragments counted where they are spread).",
                node,
                "QUERY_TOO_COMPLEX",
            )
        elif cost > self.max_cost:
            self._report(
                f"'{name}' may cost more than {self.max_cost} (fields × list sizes); ask for fewer fields or "
                "smaller pages.",
                node,
                "QUERY_TOO_COMPLEX",
            )

    def _report(self, message, node, code):
        self.report_error(GraphQLError(message, node, extensions={"code": code}))

    def _cost(self, selection_set, parent_type, multiplier, depth, fragments_seen) -> int:
        """Cost of a selection set; stops early (returns what it has) once a limit is passed."""
        if selection_set is None:
            return 0
        if depth > self.max_depth or len(fragments_seen) > 2 * self.max_depth:
            self.too_deep = True
            return 0
        total = 0
        for selection in selection_set.selections:
            if total > self.max_cost or self.visits > self.max_fields:
                break
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent_type, multiplier, depth, fragments_seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.context.schema.get_type(condition.name.value) if condition else parent_type
                total += self._cost(
                    selection.selection_set, inner or parent_type, multiplier, depth, fragments_seen
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments_seen:
                    continue  # unknown fragments and cycles are reported by the specified rules
                inner = self.context.schema.get_type(fragment.type_condition.name.value)
                total += self._cost(
                    fragment.selection_set, inner or parent_type, multiplier, depth, fragments_seen | {name}
                )
        return total

    def _field_cost(self, node: FieldNode, parent_type, multiplier, depth, fragments_seen) -> int:
        self.visits += 1
        if node.alias is not None:
            self.aliases += 1
        fields = getattr(get_named_type(parent_type), "fields", None) or {}
        field = fields.get(node.name.value)
        cost = multiplier
        if field is None or node.selection_set is None:
            return cost  # a leaf, __typename, or an unknown field (reported by the specified rules)
        inner_multiplier = multiplier * self._list_size(node, field, parent_type)
        return cost + self._cost(
            node.selection_set, get_named_type(field.type), inner_multiplier, depth + 1, fragments_seen
        )

    @staticmethod
    def _list_size(node: FieldNode, field, parent_type) -> int:
        if "first" in field.args or "last" in field.args:
            page_size = graphene_settings.RELAY_CONNECTION_MAX_LIMIT or settings.GRAPHQL_LIST_SIZE_ESTIMATE
            sizes = [
                int(argument.value.value)
                for argument in node.arguments or ()
                if argument.name.value in ("first", "last") and isinstance(argument.value, IntValueNode)
            ]
            return max(0, min([*sizes, page_size]))
        field_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if not isinstance(field_type, GraphQLList):
            return 1
        parent = get_named_type(parent_type)
        if is_object_type(parent) and "pageInfo" in parent.fields and node.name.value == "edges":
            return 1  # a connection's page: its size is already counted at the connection field
        return settings.GRAPHQL_LIST_SIZE_ESTIMATE


class NoNulCharacterRule(ValidationRule):
    """Text may not contain NUL (U+0000): PostgreSQL refuses it in any text column, so a string argument with one
    would fail deep in a write. Refused here, for every field, as a client error."""

    def enter_string_value(self, node, *_args):
        if "\x00" in node.value:
            self.report_error(
                GraphQLError(
                    "Text may not contain NUL (U+0000) characters.",
                    node,
                    extensions={"code": "BAD_USER_INPUT"},
                )
            )


def contains_nul(value) -> bool:
    """Whether a decoded variables value holds a NUL character anywhere (strings in lists and objects too)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


_RULES = {
    True: (*specified_rules, NoNulCharacterRule),
    False: (*specified_rules, NoSchemaIntrospectionCustomRule, NoNulCharacterRule),
}


def validation_rules() -> tuple:
    """graphql-core's specified rules (passing rules to graphene's view *replaces* them) and, outside development,
    no introspection. `DocumentLimitRule` runs on its own before them (core.api.documents).

    The same tuple every time: the view is built per request, and the document cache keys on the rules.
    """
    return _RULES[bool(settings.DEBUG)]
