"""GraphQL for support requests: the same selectors, services and policies as the pages.

Lists are Relay connections scoped by `selectors.request_list_for` and prefetched there (plus comments and
attachments when the query asks for them), so a page costs the same number of queries whatever its size.
Attachments are uploaded through the page; here they are listed with permission-checked download URLs.
"""

from support.schema.engagements import Mutation as EngagementMutation
from support.schema.engagements import Query as EngagementQuery
from support.schema.mutations import Mutation, SupportErrorCode
from support.schema.queries import Query
from support.schema.saved_views import Mutation as SavedViewMutation
from support.schema.saved_views import Query as SavedViewQuery
from support.schema.types import CommentNode, PhaseEnum, PriorityEnum, StatusEnum, SupportRequestNode

__all__ = [
    "SupportRequestNode",
    "CommentNode",
    "StatusEnum",
    "PhaseEnum",
    "PriorityEnum",
    "Query",
    "Mutation",
    "SupportErrorCode",
    "EngagementQuery",
    "EngagementMutation",
    "SavedViewQuery",
    "SavedViewMutation",
]
