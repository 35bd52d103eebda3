"""Rows for tests/test_access_matrix.py: every staffing URL and GraphQL root field, who may use it.

World: the tiny demo world; DX-<FY>-0001 is the demo requester's request waiting on the requester (staffable).
Every write names its effect: the active assignments on that request, or the one released.
"""

from graphql_relay import to_global_id

from core.fiscal import fiscal_year_of, today
from skills.models import StaffProfile
from staffing.policies import STAFFABLE_STATUSES
from support.models import Assignment, AssignmentRole, SupportRequest

ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
WAITING = f"DX-{fiscal_year_of(today())}-0001"


def ref(world):
    return {"reference": WAITING}


def active_on_waiting(world):
    return Assignment.objects.active().filter(request__reference=WAITING).count()


def free_staff(world, reference: str = WAITING) -> StaffProfile:
    """An active staff member who is not on the request yet (assigning someone twice is refused as a duplicate)."""
    on_it = Assignment.objects.active().filter(request__reference=reference).values("staff")
    return (
        StaffProfile.objects.filter(active=True)
        .exclude(pk__in=on_it)
        .select_related("user")
        .order_by("pk")[0]
    )


def without_lead(world) -> str:
    """A staffable request with no lead yet: the backlog plan puts its person on as lead."""
    leads = Assignment.objects.active().filter(role=AssignmentRole.LEAD).values("request")
    return (
        SupportRequest.objects.filter(status__in=STAFFABLE_STATUSES)
        .exclude(pk__in=leads)
        .order_by("pk")
        .values_list("reference", flat=True)[0]
    )


def leads(world):
    return Assignment.objects.active().filter(role=AssignmentRole.LEAD).count()


def an_active_assignment(world) -> int:
    """Remembered for the test, so the effect looks at the same row after it has been released."""
    if "assignment_pk" not in world:
        world["assignment_pk"] = (
            Assignment.objects.active().order_by("pk").values_list("pk", flat=True).first()
        )
    return world["assignment_pk"]


def released(world):
    return Assignment.objects.get(pk=an_active_assignment(world)).released_at is not None


STAFFING_URLS = {
    "staffing:candidates": {"kwargs": ref, "allowed": MANAGERS},
    "staffing:team": {"kwargs": ref, "allowed": MANAGERS},
    "staffing:assign": {
        "method": "post",
        "kwargs": ref,
        "data": lambda world: {"staff": free_staff(world).pk, "role": "member", "hours": "1"},
        "effect": active_on_waiting,
        "allowed": MANAGERS,
    },
    "staffing:release": {
        "method": "post",
        "kwargs": lambda world: {"pk": an_active_assignment(world)},
        "data": {
            "confirm": "yes"
        },  # without it: the confirmation page (tests/staffing/test_confirmations.py)
        "effect": released,
        "allowed": MANAGERS,
    },
    "staffing:backlog_plan": {"allowed": MANAGERS},
    "staffing:workload": {"allowed": MANAGERS},
    "staffing:my_assignments": {"allowed": ICT},
}

STAFFING_GRAPHQL = {
    "candidates": {
        "query": f'query {{ candidates(request: "{WAITING}", limit: 3) {{ score reasons {{ text }} }} }}',
        "allowed": MANAGERS,
    },
    "teamProposal": {
        "query": f'query {{ teamProposal(request: "{WAITING}") {{ complete uncoveredSkills {{ code }} }} }}',
        "allowed": MANAGERS,
    },
    "backlogPlan": {"query": "query { backlogPlan { totalFit } }", "allowed": MANAGERS},
    "workload": {"query": "query { workload(first: 5) { edges { node { load } } } }", "allowed": MANAGERS},
    "myAssignments": {"query": "query { myAssignments(first: 5) { totalCount } }", "allowed": ICT},
    "myLoad": {"query": "query { myLoad { load } }", "allowed": ICT},
    # A manager sees anyone's availability; ICT staff their own only (the demo staff member asks for their own).
    "staffAvailability": {
        "query": 'query { staffAvailability(staff: "staff@example.com") { total { free } } }',
        "allowed": ICT,
    },
    "teamRules": {"query": "query { teamRules { requiresSpecialist } }", "allowed": MANAGERS},
    "assignStaff": {
        "query": f'mutation($staff: ID!) {{ assignStaff(request: "{WAITING}", staff: $staff, hours: 1) '
        "{ errors { code } } }",
        "variables": lambda world: {"staff": free_staff(world).user.email},
        "effect": active_on_waiting,
        "allowed": MANAGERS,
    },
    "releaseAssignment": {
        "query": "mutation($id: ID!) { releaseAssignment(assignment: $id) { errors { code } } }",
        "variables": lambda world: {"id": to_global_id("Assignment", an_active_assignment(world))},
        "effect": released,
        "allowed": MANAGERS,
    },
    "applyBacklogPlan": {
        "query": "mutation($items: [BacklogPlanItemInput!]!) { applyBacklogPlan(items: $items) { errors { code } } }",
        "variables": lambda world: {
            "items": [
                {
                    "request": without_lead(world),
                    "staff": free_staff(world, without_lead(world)).user.email,
                    "hours": 1,
                }
            ]
        },
        "effect": leads,
        "allowed": MANAGERS,
    },
}

# --- bulk actions of the request lists (staffing.bulk): close the demo requester's resolved request -----------------

RESOLVED = f"DX-{fiscal_year_of(today())}-0002"


def status_of_resolved(world):
    return SupportRequest.objects.values_list("status", flat=True).get(reference=RESOLVED)


STAFFING_URLS["staffing:request_bulk"] = {
    "method": "post",
    "data": {"references": [RESOLVED], "action": "close", "step": "confirm", "note": "マトリクス"},
    "effect": status_of_resolved,
    "allowed": MANAGERS,
}
STAFFING_GRAPHQL["bulkUpdateRequests"] = {
    "query": f'mutation {{ bulkUpdateRequests(references: ["{RESOLVED}"], action: CLOSE) '
    "{ changedCount errors { code } } }",
    "effect": status_of_resolved,
    "allowed": MANAGERS,
}
