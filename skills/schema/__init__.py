"""GraphQL of the digital skill map: the same selectors, services and policies as the pages."""

from skills.schema.mutations import Mutation, SkillsErrorCode
from skills.schema.queries import Query
from skills.schema.trainings import Mutation as TrainingMutation
from skills.schema.trainings import Query as TrainingQuery
from skills.schema.types import CertificationNode, SkillAssessmentNode, SkillNode, StaffProfileNode

__all__ = [
    "SkillNode",
    "StaffProfileNode",
    "SkillAssessmentNode",
    "CertificationNode",
    "Query",
    "Mutation",
    "SkillsErrorCode",
    "TrainingQuery",
    "TrainingMutation",
]
