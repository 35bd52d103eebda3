"""GraphQL for staffing: candidates, team proposal, backlog plan, assigning, releasing, workload.

The same selectors, services and policies as the pages. Managers only (FORBIDDEN otherwise, NOT_FOUND for a
request or person that does not exist or is out of scope); ICT staff see their own assignments and load.
Requests are named by Relay global id or by reference (DX-2025-0001); people by global id or e-mail address.
"""

from staffing.schema import availability, bulk, mutations, queries
from staffing.schema.mutations import StaffingErrorCode
from staffing.schema.types import AssignmentNode


class Query(availability.Query, queries.Query):
    """Staffing's root fields: candidates, teams, the backlog plan, workload, availability over time, team rules."""


class Mutation(bulk.Mutation, mutations.Mutation):
    """Staffing's mutations: assign, release, apply a backlog plan, bulk actions on the request lists."""


__all__ = ["AssignmentNode", "Query", "Mutation", "StaffingErrorCode"]
