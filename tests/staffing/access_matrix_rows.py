"""Rows for tests/test_access_matrix.py: every staffing URL and GraphQL root field, who may use it.

World: the tiny demo world; DX-<FY>-0001 is the demo requester's request waiting on the requester (staffable).
"""

from core.fiscal import fiscal_year_of, today

ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
WAITING = f"DX-{fiscal_year_of(today())}-0001"


def ref(world):
    return {"reference": WAITING}


STAFFING_URLS = {
    "staffing:candidates": {"kwargs": ref, "allowed": MANAGERS},
    "staffing:team": {"kwargs": ref, "allowed": MANAGERS},
    "staffing:assign": {
        "method": "post",
        "kwargs": ref,
        "data": {"staff": "staff@example.com", "role": "member", "hours": "1"},
        "allowed": MANAGERS,
    },
    "staffing:release": {
        "method": "post",
        "skip": "needs an assignment id; covered in tests/staffing/test_views.py",
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
    "assignStaff": {
        "query": f'mutation {{ assignStaff(request: "{WAITING}", staff: "staff@example.com", hours: 1) '
        "{ errors { code } } }",
        "allowed": MANAGERS,
    },
    "releaseAssignment": {
        "skip": "needs an assignment id; covered in tests/staffing/test_graphql.py",
    },
    "applyBacklogPlan": {
        "query": "mutation { applyBacklogPlan(items: []) { errors { code } } }",
        "allowed": MANAGERS,
    },
}
