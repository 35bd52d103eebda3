"""The root GraphQL schema: each app contributes its Query (and Mutation) class."""

import graphene

import accounts.schema


class Query(accounts.schema.Query, graphene.ObjectType):
    node = graphene.relay.Node.Field()


class Mutation(graphene.ObjectType):
    noop = graphene.Boolean(description="Placeholder until an app adds mutations.")


schema = graphene.Schema(query=Query)
