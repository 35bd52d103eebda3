"""Rows for tests/test_access_matrix.py: every support URL and GraphQL root field, who may use it, and what a
write changes.

World: the tiny demo world. DX-<FY>-0001 … -0003 are the demo requester's (千代田区); -0001 waits on the requester,
-0003 is submitted and has nobody assigned (staff@example.com has no part in it), -0002 is resolved and awaiting a
rating. A request of another organisation answers 404 / null like a missing one. HR sees no request contents: the
pages answer 403 and the GraphQL list is empty (`supportRequest` null) — scoping, not an error.

Only the moves the lifecycle allows count as allowed: a requester may not triage (a POST answers with a message and
changes nothing), ICT staff not assigned to a request may not comment on it.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from graphql_relay import to_global_id

from core.fiscal import fiscal_year_of, today
from support.models import (
    Comment,
    EffortLog,
    RequestCategory,
    SatisfactionFollowUp,
    SatisfactionResponse,
    SavedView,
    SupportRequest,
)
from tests.world import uploaded_first

EVERYONE = {"requester", "ict_staff", "ict_manager", "hr", "admin"}
ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
FY = fiscal_year_of(today())
WAITING, RESOLVED, SUBMITTED = (f"DX-{FY}-{n:04d}" for n in (1, 2, 3))


def ref(reference):
    return lambda world: {"reference": reference}


def status_of(reference):
    return lambda world: SupportRequest.objects.get(reference=reference).status


def field_of(reference, name):
    return lambda world: SupportRequest.objects.values_list(name, flat=True).get(reference=reference)


def a_rated_request(world) -> dict:
    """A demo request that was rated (closed; any organisation's): the satisfaction follow-up acts on it."""
    reference = (
        SatisfactionResponse.objects.order_by("request__reference")
        .values_list("request__reference", flat=True)
        .first()
    )
    return {"reference": reference}


def count(model, **lookup):
    return lambda world: model.objects.filter(**lookup).count()


def rated(reference):
    return lambda world: SatisfactionResponse.objects.filter(request__reference=reference).exists()


def new_request(world):
    category = RequestCategory.objects.get(code="website")
    return {"title": "matrix", "description": "d", "category": category.pk, "phase": "planning"}


def retitled(world):
    r = SupportRequest.objects.get(reference=SUBMITTED)
    return {
        "title": "改題",
        "description": r.description,
        "category": r.category_id,
        "phase": r.phase,
        "priority": r.priority,
    }


TRIAGE_ACCEPT = {
    "decision": "accept",
    "priority": "1",
    "estimated_hours": "4",
    "skills-TOTAL_FORMS": "0",
    "skills-INITIAL_FORMS": "0",
    "skills-MIN_NUM_FORMS": "0",
    "skills-MAX_NUM_FORMS": "20",
}


IMPORTED = "DX-2023-0907"


def requests_csv() -> dict:
    content = (
        "reference,title,description,organization_code,requester_email,category_code,phase,status,submitted_at,"
        f"resolved_at,closed_at\n{IMPORTED},過去の依頼,説明,131016,requester@example.com,website,planning,closed,"
        "2023-06-01 10:00,,2023-07-01 10:00\n"
    ).encode()
    return {"file": SimpleUploadedFile("requests.csv", content, content_type="text/csv")}


def a_file(world):
    return {"file": SimpleUploadedFile("matrix.txt", b"access matrix", content_type="text/plain")}


SUPPORT_URLS = {
    "support:request_list": {"allowed": {"requester"} | ICT},
    "support:request_create": {
        "allowed": {"requester", "admin"},
        "post": {"data": new_request, "effect": count(SupportRequest), "allowed": {"requester", "admin"}},
    },
    "support:triage": {"allowed": MANAGERS},
    "support:request_export": {"allowed": ICT},
    "support:request_import": {"allowed": MANAGERS},
    "support:request_import_confirm": {
        "method": "post",
        "prepare": uploaded_first("support:request_import", requests_csv),
        "effect": count(SupportRequest, reference=IMPORTED),
        "allowed": MANAGERS,
    },
    "support:request_detail": {"kwargs": ref(WAITING), "allowed": {"requester"} | ICT},
    "support:request_edit": {
        "kwargs": ref(SUBMITTED),
        "allowed": {"requester"} | MANAGERS,
        "post": {
            "data": retitled,
            "effect": field_of(SUBMITTED, "title"),
            "allowed": {"requester"} | MANAGERS,
        },
    },
    "support:request_triage": {
        "kwargs": ref(SUBMITTED),
        "allowed": MANAGERS,
        "post": {"data": TRIAGE_ACCEPT, "effect": status_of(SUBMITTED), "allowed": MANAGERS},
    },
    "support:request_status": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"status": "triaged"},
        "effect": status_of(SUBMITTED),
        "allowed": MANAGERS,
    },
    "support:request_withdraw": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"confirm": "yes"},  # without it: the confirmation page (tests/support/test_detours.py)
        "effect": status_of(SUBMITTED),
        "allowed": {"requester"},
    },
    "support:comment_create": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"body": "matrix"},
        "effect": count(Comment, request__reference=SUBMITTED),
        "allowed": {"requester"} | MANAGERS,
    },
    "support:attachment_upload": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": a_file,
        "effect": count(SupportRequest, reference=SUBMITTED, attachments__original_name="matrix.txt"),
        "allowed": {"requester"} | MANAGERS,
    },
    "support:attachment_download": {
        "skip": "the demo world has no files; covered in tests/support/test_scoping.py, test_views.py and "
        "tests/test_policy_scope_agreement.py",
    },
    "support:effort_create": {
        "method": "post",
        "kwargs": ref(SUBMITTED),
        "data": {"worked_on": "2026-01-05", "hours": "1"},
        "effect": count(EffortLog, request__reference=SUBMITTED),
        "allowed": {
            "ict_manager"
        },  # the demo admin has no staff profile: refused with a message, nothing logged
    },
    "support:satisfaction_create": {
        "method": "post",
        "kwargs": ref(RESOLVED),
        "data": {"score": "5"},
        "effect": rated(RESOLVED),
        "allowed": {"requester"},
    },
    "support:satisfaction_follow_up": {
        "method": "post",
        "kwargs": a_rated_request,
        "data": {"note": "マトリクス"},
        "effect": count(SatisfactionFollowUp, note="マトリクス"),
        "allowed": MANAGERS,
    },
}

SUPPORT_GRAPHQL = {
    "supportRequests": {"query": "query { supportRequests(first: 5) { totalCount } }", "allowed": EVERYONE},
    "supportRequest": {
        "query": f'query {{ supportRequest(reference: "{WAITING}") {{ reference }} }}',
        "allowed": EVERYONE,
    },
    "requestCategories": {"query": "query { requestCategories { code } }", "allowed": EVERYONE},
    # Service levels are the promise to every requester: anyone signed in reads them.
    "serviceLevels": {"query": "query { serviceLevels { priority resolutionDays } }", "allowed": EVERYONE},
    # Suggested skills come from every organisation's past requests (counts only): the ICT side, who triage.
    "categorySkillProfile": {
        "query": 'query { categorySkillProfile(category: "cloud-network") { skills { skill { code } source } } }',
        "allowed": ICT,
    },
    "submitSupportRequest": {
        "query": 'mutation { submitSupportRequest(title: "t", description: "d", category: "website", '
        "phase: PLANNING) { errors { code } } }",
        "effect": count(SupportRequest),
        "allowed": {"requester", "admin"},
    },
    "updateSupportRequest": {
        "query": f'mutation {{ updateSupportRequest(reference: "{SUBMITTED}", title: "改題") {{ errors {{ code }} }} }}',
        "effect": field_of(SUBMITTED, "title"),
        "allowed": {"requester"} | MANAGERS,
    },
    "triageSupportRequest": {
        "query": f'mutation {{ triageSupportRequest(reference: "{SUBMITTED}", accept: true) {{ errors {{ code }} }} }}',
        "effect": status_of(SUBMITTED),
        "allowed": MANAGERS,
    },
    "changeSupportRequestStatus": {
        "query": f'mutation {{ changeSupportRequestStatus(reference: "{SUBMITTED}", status: TRIAGED) '
        "{ errors { code } } }",
        "effect": status_of(SUBMITTED),
        "allowed": MANAGERS,
    },
    "addComment": {
        "query": f'mutation {{ addComment(reference: "{SUBMITTED}", body: "matrix") {{ errors {{ code }} }} }}',
        "effect": count(Comment, request__reference=SUBMITTED),
        "allowed": {"requester"} | MANAGERS,
    },
    "withdrawSupportRequest": {
        "query": f'mutation {{ withdrawSupportRequest(reference: "{SUBMITTED}") {{ errors {{ code }} }} }}',
        "effect": status_of(SUBMITTED),
        "allowed": {"requester"},
    },
    "submitSatisfaction": {
        "query": f'mutation {{ submitSatisfaction(reference: "{RESOLVED}", score: 5) {{ errors {{ code }} }} }}',
        "effect": rated(RESOLVED),
        "allowed": {"requester"},
    },
    "recordSatisfactionFollowUp": {
        "query": "mutation ($reference: String!) { recordSatisfactionFollowUp("
        'reference: $reference, note: "マトリクス") { errors { code } } }',
        "variables": a_rated_request,
        "effect": count(SatisfactionFollowUp, note="マトリクス"),
        "allowed": MANAGERS,
    },
}


# --- saved views of the request lists: each user's own; the one deleted belongs to the demo ICT manager ----------


def managers_saved_view(world) -> int:
    """A saved view of the demo ICT manager (saved again when a rolled-back call took it away)."""
    pk = world.get("saved_view_pk")
    if pk is None or not SavedView.objects.filter(pk=pk).exists():
        from support.services import saved_view_save

        world["saved_view_pk"] = saved_view_save(
            actor=world["users"]["ict_manager"],
            name="マトリクス削除",
            list_name="triage",
            query_string="_all=1",
        ).pk
    return world["saved_view_pk"]


def saved_views_deleted(world):
    from core.models import AuditEvent

    return AuditEvent.objects.filter(verb="saved_view.delete").count()


SUPPORT_URLS |= {
    "support:saved_view_save": {
        "method": "post",
        "data": {
            "name": "マトリクス",
            "list_name": "requests",
            "query_string": "status=submitted&mine=filed",
        },
        "effect": count(SavedView, name="マトリクス"),
        "allowed": {"requester"} | ICT,
    },
    "support:saved_view_delete": {
        "method": "post",
        "kwargs": lambda world: {"pk": managers_saved_view(world)},
        "effect": saved_views_deleted,
        "allowed": {"ict_manager"},  # anyone else's view answers 404, like a missing one
    },
}
SUPPORT_GRAPHQL |= {
    "savedViews": {"query": "query { savedViews { id name query } }", "allowed": EVERYONE},
    "saveView": {
        "query": 'mutation { saveView(name: "マトリクス", list: REQUESTS, query: "status=submitted") '
        "{ errors { code } } }",
        "effect": count(SavedView, name="マトリクス"),
        "allowed": {"requester"} | ICT,
    },
    "deleteSavedView": {
        "query": "mutation ($id: ID!) { deleteSavedView(id: $id) { errors { code } } }",
        "variables": lambda world: {"id": to_global_id("SavedView", managers_saved_view(world))},
        "effect": saved_views_deleted,
        "allowed": {"ict_manager"},
    },
}


from tests.support.access_matrix_engagements import ENGAGEMENT_GRAPHQL, ENGAGEMENT_URLS  # noqa: E402

SUPPORT_URLS |= ENGAGEMENT_URLS
SUPPORT_GRAPHQL |= ENGAGEMENT_GRAPHQL
