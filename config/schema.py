"""The root GraphQL schema: each app contributes its Query (and Mutation) class."""

import graphene

import accounts.schema
import skills.schema


class Query(
    accounts.schema.Query,
    skills.schema.Query,
    graphene.ObjectType,
):
    node = graphene.relay.Node.Field()


class Mutation(skills.schema.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
