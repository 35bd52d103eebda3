"""The root GraphQL schema: each app contributes its Query (and Mutation) class."""

import graphene

import accounts.schema
import core.api.jobs
import knowhow.schema
import reports.schema
import reports.schema_home
import reports.schema_progress
import skills.schema
import staffing.schema
import support.schema
from core.api.relay import SafeNodeField


class Query(
    accounts.schema.Query,
    skills.schema.Query,
    skills.schema.TrainingQuery,
    support.schema.Query,
    support.schema.EngagementQuery,
    support.schema.SavedViewQuery,
    reports.schema.Query,
    reports.schema_progress.Query,
    reports.schema_home.Query,
    staffing.schema.Query,
    core.api.jobs.Query,
    knowhow.schema.Query,
    graphene.ObjectType,
):
    node = SafeNodeField(graphene.relay.Node)


class Mutation(
    support.schema.Mutation,
    support.schema.EngagementMutation,
    support.schema.SavedViewMutation,
    skills.schema.Mutation,
    skills.schema.TrainingMutation,
    staffing.schema.Mutation,
    knowhow.schema.Mutation,
    graphene.ObjectType,
):
    pass


# The error codes each app's mutations may return (FieldError.code), published though no field is typed with them.
ERROR_CODE_ENUMS = [
    support.schema.SupportErrorCode,
    skills.schema.SkillsErrorCode,
    staffing.schema.StaffingErrorCode,
    knowhow.schema.KnowhowErrorCode,
]

schema = graphene.Schema(query=Query, mutation=Mutation, types=ERROR_CODE_ENUMS)
