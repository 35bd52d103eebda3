import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from support import services
from support.attachments import sample_bytes
from support.models import Assignment
from tests.conftest import codes

from .conftest import upload

LIST = """
query($first: Int, $status: SupportRequestStatus) {
  supportRequests(first: $first, status: $status) {
    totalCount
    edges { node { reference title status organization { code name } category { code }
      requiredSkills { skillCode minLevel } assignments { staffName role allocatedHoursPerWeek }
      comments { body internal } attachments { name downloadUrl } } }
  }
}"""
ONE = """query($ref: String!) { supportRequest(reference: $ref) { reference status comments { body internal }
  attachments { name internal downloadUrl } estimatedHours allowedTransitions } }"""
NODE = (
    """query($id: ID!) { node(id: $id) { id ... on SupportRequest { reference } ... on Comment { body } } }"""
)


def test_requester_lists_own_organisation(gql, requester, submitted):
    result = gql(requester).execute(LIST, {"first": 10})
    assert [e["node"]["reference"] for e in result["data"]["supportRequests"]["edges"]] == [
        submitted.reference
    ]


def test_other_organisation_list_is_empty(gql, other_requester, submitted):
    result = gql(other_requester).execute(LIST, {"first": 10})
    assert result["data"]["supportRequests"]["totalCount"] == 0


def test_other_organisation_reference_is_null_like_missing(gql, other_requester, submitted):
    client = gql(other_requester)
    real = client.execute(ONE, {"ref": submitted.reference})
    missing = client.execute(ONE, {"ref": "DX-2026-9999"})
    assert real == missing == {"data": {"supportRequest": None}}


def test_other_organisation_node_id_is_null_like_missing(gql, other_requester, submitted):
    client = gql(other_requester)
    real = client.execute(NODE, {"id": to_global_id("SupportRequest", submitted.pk)})
    missing = client.execute(NODE, {"id": to_global_id("SupportRequest", submitted.pk + 1000)})
    assert real == missing == {"data": {"node": None}}


def test_other_organisation_comment_node_is_null(gql, other_requester, submitted, requester):
    comment = services.comment_add(actor=requester, request=submitted, body="質問です")
    result = gql(other_requester).execute(NODE, {"id": to_global_id("Comment", comment.pk)})
    assert result == {"data": {"node": None}}


def test_node_returns_own_request(gql, requester, submitted):
    result = gql(requester).execute(NODE, {"id": to_global_id("SupportRequest", submitted.pk)})
    assert result["data"]["node"]["reference"] == submitted.reference


def test_internal_note_hidden_from_requester_in_api(gql, requester, in_progress, ict_staff):
    services.comment_add(actor=ict_staff, request=in_progress, body="SECRET", internal=True)
    services.comment_add(actor=ict_staff, request=in_progress, body="公開")
    result = gql(requester).execute(ONE, {"ref": in_progress.reference})
    assert [c["body"] for c in result["data"]["supportRequest"]["comments"]] == ["公開"]


def test_internal_note_node_hidden_from_requester(gql, requester, in_progress, ict_staff):
    note = services.comment_add(actor=ict_staff, request=in_progress, body="SECRET", internal=True)
    result = gql(requester).execute(NODE, {"id": to_global_id("Comment", note.pk)})
    assert result == {"data": {"node": None}}


def test_internal_attachment_hidden_from_requester_in_list(gql, requester, in_progress, ict_staff):
    services.attachment_add(
        actor=ict_staff, request=in_progress, file=upload("memo.pdf", sample_bytes("pdf")), internal=True
    )
    result = gql(requester).execute(LIST, {"first": 10})
    assert result["data"]["supportRequests"]["edges"][0]["node"]["attachments"] == []


def test_requester_sees_no_hours(gql, requester, in_progress):
    result = gql(requester).execute(LIST, {"first": 10})
    assert [
        a["allocatedHoursPerWeek"]
        for a in result["data"]["supportRequests"]["edges"][0]["node"]["assignments"]
    ] == [None]


def test_anonymous_is_refused(gql, submitted):
    assert codes(gql(None).execute(LIST, {"first": 10})) == ["UNAUTHENTICATED"]


def test_page_size_cap(gql, ict_manager, submitted):
    assert codes(gql(ict_manager).execute(LIST, {"first": 101})) == ["PAGE_SIZE_TOO_LARGE"]


def test_status_filter(gql, ict_manager, submit, triaged):
    submit()
    result = gql(ict_manager).execute(LIST, {"first": 10, "status": "TRIAGED"})
    assert [e["node"]["reference"] for e in result["data"]["supportRequests"]["edges"]] == [triaged.reference]


def _queries(client, first):
    with CaptureQueriesContext(connection) as captured:
        result = client.execute(LIST, {"first": first})
    assert "errors" not in result
    return len(captured)


def test_list_runs_constant_queries(gql, ict_manager, submit, staff_profile, skills):
    client = gql(ict_manager)

    def make():
        request = submit()
        services.comment_add(actor=ict_manager, request=request, body="c")
        services.request_triage(
            actor=ict_manager,
            request=request,
            accept=True,
            required_skills=[{"skill": skills[0], "min_level": 2}],
        )
        Assignment.objects.create(request=request, staff=staff_profile, allocated_hours_per_week=1)

    for _ in range(3):
        make()
    small = _queries(client, 100)
    for _ in range(17):
        make()
    assert _queries(client, 100) == small


# --- mutations ---------------------------------------------------------------------------------------------------

SUBMIT = """mutation($category: String!, $start: Date, $due: Date) {
  submitSupportRequest(title: "API経由", description: "説明", category: $category, phase: PLANNING,
                       desiredStart: $start, dueDate: $due) {
    supportRequest { reference status } errors { field code message } } }"""


def test_submit_through_api(gql, requester, categories):
    result = gql(requester).execute(SUBMIT, {"category": "website"})
    assert result["data"]["submitSupportRequest"]["supportRequest"]["status"] == "SUBMITTED"


def test_submit_due_before_start_reports_field(gql, requester, categories):
    result = gql(requester).execute(
        SUBMIT, {"category": "website", "start": "2027-02-01", "due": "2027-01-01"}
    )
    assert result["data"]["submitSupportRequest"]["errors"][0]["code"] == "due_before_start"


def test_submit_unknown_category_reports_field(gql, requester, categories):
    result = gql(requester).execute(SUBMIT, {"category": "nope"})
    assert [(e["field"], e["code"]) for e in result["data"]["submitSupportRequest"]["errors"]] == [
        ("category", "unknown_category")
    ]


def test_submit_forbidden_to_staff(gql, ict_staff, categories):
    assert codes(gql(ict_staff).execute(SUBMIT, {"category": "website"})) == ["FORBIDDEN"]


TRIAGE = """mutation($ref: String!, $accept: Boolean!, $reason: String, $skills: [RequiredSkillInput!]) {
  triageSupportRequest(reference: $ref, accept: $accept, reason: $reason, priority: HIGH, estimatedHours: "12",
                       requiredSkills: $skills) {
    supportRequest { status priority estimatedHours requiredSkills { skillCode minLevel mandatory } }
    errors { field code } } }"""


def test_triage_through_api(gql, ict_manager, submitted, skills):
    result = gql(ict_manager).execute(
        TRIAGE,
        {
            "ref": submitted.reference,
            "accept": True,
            "skills": [{"skillCode": "cloud-arch", "minLevel": 3, "mandatory": True}],
        },
    )
    node = result["data"]["triageSupportRequest"]["supportRequest"]
    assert (node["status"], node["requiredSkills"]) == (
        "TRIAGED",
        [{"skillCode": "cloud-arch", "minLevel": 3, "mandatory": True}],
    )


def test_triage_unknown_skill_reports_field(gql, ict_manager, submitted):
    result = gql(ict_manager).execute(
        TRIAGE, {"ref": submitted.reference, "accept": True, "skills": [{"skillCode": "nope", "minLevel": 3}]}
    )
    assert result["data"]["triageSupportRequest"]["errors"] == [
        {"field": "requiredSkills", "code": "unknown_skill"}
    ]


def test_reject_without_reason_reports_field(gql, ict_manager, submitted):
    result = gql(ict_manager).execute(TRIAGE, {"ref": submitted.reference, "accept": False})
    assert result["data"]["triageSupportRequest"]["errors"] == [
        {"field": "reason", "code": "reason_required"}
    ]


def test_triage_by_requester_is_forbidden(gql, requester, submitted):
    assert codes(gql(requester).execute(TRIAGE, {"ref": submitted.reference, "accept": True})) == [
        "FORBIDDEN"
    ]


STATUS = """mutation($ref: String!, $status: SupportRequestStatus!) {
  changeSupportRequestStatus(reference: $ref, status: $status) { supportRequest { status } errors { field code } } }"""


def test_status_change_through_api(gql, ict_staff, assigned):
    result = gql(ict_staff).execute(STATUS, {"ref": assigned.reference, "status": "IN_PROGRESS"})
    assert result["data"]["changeSupportRequestStatus"]["supportRequest"]["status"] == "IN_PROGRESS"


def test_invalid_transition_through_api(gql, ict_staff, assigned):
    result = gql(ict_staff).execute(STATUS, {"ref": assigned.reference, "status": "CLOSED"})
    assert result["data"]["changeSupportRequestStatus"]["errors"] == [
        {"field": "status", "code": "invalid_transition"}
    ]


def test_status_change_other_organisation_is_not_found(gql, other_requester, submitted):
    result = gql(other_requester).execute(STATUS, {"ref": submitted.reference, "status": "WITHDRAWN"})
    assert codes(result) == ["NOT_FOUND"]


COMMENT = """mutation($ref: String!, $internal: Boolean) {
  addComment(reference: $ref, body: "コメント", internal: $internal) { comment { body internal } errors { code } } }"""


def test_comment_through_api(gql, requester, submitted):
    result = gql(requester).execute(COMMENT, {"ref": submitted.reference})
    assert result["data"]["addComment"]["comment"] == {"body": "コメント", "internal": False}


def test_requester_internal_comment_forbidden(gql, requester, submitted):
    assert codes(gql(requester).execute(COMMENT, {"ref": submitted.reference, "internal": True})) == [
        "FORBIDDEN"
    ]


def test_comment_on_other_organisation_not_found(gql, other_requester, submitted):
    assert codes(gql(other_requester).execute(COMMENT, {"ref": submitted.reference})) == ["NOT_FOUND"]


WITHDRAW = """mutation($ref: String!) { withdrawSupportRequest(reference: $ref) { supportRequest { status } errors { code } } }"""


def test_withdraw_through_api(gql, requester, submitted):
    result = gql(requester).execute(WITHDRAW, {"ref": submitted.reference})
    assert result["data"]["withdrawSupportRequest"]["supportRequest"]["status"] == "WITHDRAWN"


RATE = """mutation($ref: String!, $score: Int!) {
  submitSatisfaction(reference: $ref, score: $score, comment: "ok") { supportRequest { status satisfaction { score } }
  errors { field code } } }"""


def test_rating_through_api_closes(gql, requester, resolved):
    result = gql(requester).execute(RATE, {"ref": resolved.reference, "score": 5})
    assert result["data"]["submitSatisfaction"]["supportRequest"] == {
        "status": "CLOSED",
        "satisfaction": {"score": 5},
    }


def test_rating_twice_through_api(gql, requester, resolved):
    client = gql(requester)
    client.execute(RATE, {"ref": resolved.reference, "score": 5})
    result = client.execute(RATE, {"ref": resolved.reference, "score": 1})
    assert result["data"]["submitSatisfaction"]["errors"] == [{"field": "score", "code": "already_rated"}]


def test_rating_other_organisation_not_found(gql, other_requester, resolved):
    assert codes(gql(other_requester).execute(RATE, {"ref": resolved.reference, "score": 1})) == ["NOT_FOUND"]


UPDATE = """mutation($ref: String!) { updateSupportRequest(reference: $ref, title: "改題") {
  supportRequest { title } errors { code } } }"""


def test_update_through_api(gql, requester, submitted):
    result = gql(requester).execute(UPDATE, {"ref": submitted.reference})
    assert result["data"]["updateSupportRequest"]["supportRequest"]["title"] == "改題"


def test_update_after_triage_forbidden_to_requester(gql, requester, triaged):
    assert codes(gql(requester).execute(UPDATE, {"ref": triaged.reference})) == ["FORBIDDEN"]


def test_allowed_transitions_for_requester(gql, requester, submitted):
    result = gql(requester).execute(ONE, {"ref": submitted.reference})
    assert result["data"]["supportRequest"]["allowedTransitions"] == ["WITHDRAWN"]


# --- refusals change nothing (core.api.mutations.BaseMutation checks Meta.permission before the service runs) --


def _support_state():
    from core.models import AuditEvent
    from support.models import Comment, RequiredSkill, SatisfactionResponse, StatusChange, SupportRequest

    return (
        list(SupportRequest.objects.order_by("pk").values_list("reference", "status", "title", "priority")),
        Comment.objects.count(),
        StatusChange.objects.count(),
        RequiredSkill.objects.count(),
        SatisfactionResponse.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "who, query, variables, code",
    [
        ("ict_staff", SUBMIT, {"category": "website"}, "FORBIDDEN"),
        ("requester", TRIAGE, {"accept": True}, "FORBIDDEN"),
        ("requester", COMMENT, {"internal": True}, "FORBIDDEN"),
        ("ict_staff", STATUS, {"status": "WITHDRAWN"}, "FORBIDDEN"),  # not on the request
        ("ict_staff", WITHDRAW, {}, "FORBIDDEN"),
        ("other_requester", UPDATE, {}, "NOT_FOUND"),
        (None, UPDATE, {}, "UNAUTHENTICATED"),
    ],
)
def test_a_refused_mutation_changes_nothing(gql, request, submitted, categories, who, query, variables, code):
    user = request.getfixturevalue(who) if who else None
    before = _support_state()
    result = gql(user).execute(query, {"ref": submitted.reference, **variables})
    assert codes(result) == [code]
    assert _support_state() == before


def test_a_service_validation_error_comes_back_as_field_errors_and_changes_nothing(
    gql, ict_manager, submitted
):
    before = _support_state()
    result = gql(ict_manager).execute(TRIAGE, {"ref": submitted.reference, "accept": False, "reason": ""})
    payload = result["data"]["triageSupportRequest"]
    assert (payload["errors"], payload["supportRequest"]) == (
        [{"field": "reason", "code": "reason_required"}],
        None,
    )
    assert _support_state() == before


def test_list_reads_only_the_columns_and_joins_the_query_asks_for(gql, ict_manager, submitted):
    """support.schema.queries.list_reads: a list of references neither reads descriptions nor joins organisations;
    asking for them brings both in the same single query."""

    def list_sql(node_fields):
        query = "query { supportRequests(first: 10) { edges { node { " + node_fields + " } } } }"
        with CaptureQueriesContext(connection) as captured:
            result = gql(ict_manager).execute(query)
        assert "errors" not in result
        return " ".join(q["sql"] for q in captured if '"support_supportrequest"."reference"' in q["sql"])

    lean = list_sql("reference")
    assert '"description"' not in lean and '"accounts_organization"' not in lean
    full = list_sql("reference description organization { code }")
    assert '"description"' in full and '"accounts_organization"' in full
