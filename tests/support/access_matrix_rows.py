"""Rows for tests/test_access_matrix.py: every support URL and GraphQL root field, who may use it.

World: the tiny demo world. DX-<FY>-0001 … -0003 are the demo requester's (千代田区); -0003 is submitted and has
nobody assigned (staff@example.com has no part in it), -0002 is resolved and awaiting a rating. A request of
another organisation answers 404 / null like a missing one. HR sees no request contents: the pages answer 403 and
the GraphQL list is empty (`supportRequest` null) — scoping, not an error.
"""

from core.fiscal import fiscal_year_of, today

EVERYONE = {"requester", "ict_staff", "ict_manager", "hr", "admin"}
ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
FY = fiscal_year_of(today())
WAITING, RESOLVED, SUBMITTED = (f"DX-{FY}-{n:04d}" for n in (1, 2, 3))


def ref(reference):
    return lambda world: {"reference": reference}


SUPPORT_URLS = {
    "support:request_list": {"allowed": {"requester"} | ICT},
    "support:request_create": {"allowed": {"requester", "admin"}},
    "support:triage": {"allowed": MANAGERS},
    "support:request_export": {"allowed": ICT},
    "support:request_import": {"allowed": MANAGERS},
    "support:request_import_confirm": {"method": "post", "allowed": MANAGERS},
    "support:request_detail": {"kwargs": ref(WAITING), "allowed": {"requester"} | ICT},
    "support:request_edit": {"kwargs": ref(SUBMITTED), "allowed": {"requester"} | MANAGERS},
    "support:request_triage": {"kwargs": ref(SUBMITTED), "allowed": MANAGERS},
    "support:request_status": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"status": "triaged"},
        "allowed": {"requester"} | MANAGERS,
    },
    "support:request_withdraw": {"method": "post", "kwargs": ref(SUBMITTED), "allowed": {"requester"}},
    "support:comment_create": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"body": "matrix"},
        "allowed": {"requester"} | MANAGERS,
    },
    "support:attachment_upload": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "allowed": {"requester"} | MANAGERS,
    },
    "support:attachment_download": {
        "skip": "the demo world has no files; covered in tests/support/test_scoping.py and test_views.py",
    },
    "support:effort_create": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"worked_on": "2026-01-05", "hours": "1"},
        "allowed": MANAGERS,
    },
    "support:satisfaction_create": {
        "method": "post",
        "kwargs": ref(RESOLVED),
        "data": {"score": "5"},
        "allowed": {"requester"},
    },
}

SUPPORT_GRAPHQL = {
    "supportRequests": {"query": "query { supportRequests(first: 5) { totalCount } }", "allowed": EVERYONE},
    "supportRequest": {
        "query": f'query {{ supportRequest(reference: "{WAITING}") {{ reference }} }}',
        "allowed": EVERYONE,
    },
    "requestCategories": {"query": "query { requestCategories { code } }", "allowed": EVERYONE},
    "submitSupportRequest": {
        "query": 'mutation { submitSupportRequest(title: "t", description: "d", category: "website", '
        "phase: PLANNING) { errors { code } } }",
        "allowed": {"requester", "admin"},
    },
    "updateSupportRequest": {
        "query": f'mutation {{ updateSupportRequest(reference: "{SUBMITTED}", title: "改題") {{ errors {{ code }} }} }}',
        "allowed": {"requester"} | MANAGERS,
    },
    "triageSupportRequest": {
        "query": f'mutation {{ triageSupportRequest(reference: "{SUBMITTED}", accept: true) {{ errors {{ code }} }} }}',
        "allowed": MANAGERS,
    },
    "changeSupportRequestStatus": {
        "query": f'mutation {{ changeSupportRequestStatus(reference: "{SUBMITTED}", status: TRIAGED) '
        "{ errors { code } } }",
        "allowed": {"requester"} | MANAGERS,
    },
    "addComment": {
        "query": f'mutation {{ addComment(reference: "{SUBMITTED}", body: "matrix") {{ errors {{ code }} }} }}',
        "allowed": {"requester"} | MANAGERS,
    },
    "withdrawSupportRequest": {
        "query": f'mutation {{ withdrawSupportRequest(reference: "{SUBMITTED}") {{ errors {{ code }} }} }}',
        "allowed": {"requester"},
    },
    "submitSatisfaction": {
        "query": f'mutation {{ submitSatisfaction(reference: "{RESOLVED}", score: 5) {{ errors {{ code }} }} }}',
        "allowed": {"requester"},
    },
}
