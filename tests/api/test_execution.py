"""The lean execution path (core.api.execution) answers exactly what graphql-core's own does: the same data, the
same errors (paths and messages), for plain leaves, leaves with their own resolvers, dict and object roots, enums,
nulls on nullable and non-null fields, values a scalar refuses."""

import enum

import graphene
from graphql import ExecutionContext, execute, parse

from core.api.execution import LeanExecutionContext, never_awaitable


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


ColourEnum = graphene.Enum.from_enum(Colour)


class Item(graphene.ObjectType):
    name = graphene.String(required=True)
    note = graphene.String()
    count = graphene.Int()
    colour = graphene.Field(ColourEnum)
    shout = graphene.String()

    def resolve_shout(root, info):
        return (root["name"] if isinstance(root, dict) else root.name).upper()


class Obj:
    def __init__(self, **values):
        self.__dict__.update(values)


class Query(graphene.ObjectType):
    items = graphene.List(Item)

    def resolve_items(root, info):
        return [
            {"name": "a", "note": None, "count": 1, "colour": "red"},
            Obj(name="b", note="n", count=2, colour="blue"),
            Obj(name=None, note="no name", count=3, colour="red"),  # a null on a non-null field
            {"name": "c", "count": "many"},  # a value the Int scalar refuses
        ]


SCHEMA = graphene.Schema(query=Query).graphql_schema
DOCUMENT = parse("{ items { name note count colour shout alias: name } }")


def run(context_class):
    result = execute(SCHEMA, DOCUMENT, execution_context_class=context_class, is_awaitable=never_awaitable)
    return result.data, sorted((error.message, tuple(error.path)) for error in result.errors or [])


def test_the_lean_path_answers_what_graphql_core_answers():
    lean, ordinary = run(LeanExecutionContext), run(ExecutionContext)
    assert lean == ordinary
    data, errors = lean
    assert data["items"][0] == {
        "name": "a",
        "note": None,
        "count": 1,
        "colour": "RED",
        "shout": "A",
        "alias": "a",
    }
    assert data["items"][2] is None and [path for _message, path in errors] == [
        ("items", 2, "name"),
        ("items", 3, "count"),
    ]
