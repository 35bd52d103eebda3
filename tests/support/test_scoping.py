"""A requester of one organisation cannot reach another organisation's request by any route: the answer is the
same as for a request that does not exist. Internal notes never reach a requester."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from support import selectors, services
from support.attachments import sample_bytes

from .conftest import upload

MISSING = "DX-2026-9999"


@pytest.fixture
def foreign(submitted, requester):
    """A request of 千代田区 with an attachment, seen from 中央区."""
    services.attachment_add(actor=requester, request=submitted, file=upload("spec.pdf", sample_bytes("pdf")))
    return submitted


def test_list_excludes_other_organisation(other_requester, foreign):
    assert list(selectors.request_list_for(other_requester)) == []


def test_list_page_excludes_other_organisation(client_for, other_requester, foreign):
    content = client_for(other_requester).get(reverse("support:request_list")).content.decode()
    assert foreign.reference not in content


def test_selector_answers_none_like_missing(other_requester, foreign):
    assert (
        selectors.request_get_for(other_requester, reference=foreign.reference),
        selectors.request_get_for(other_requester, reference=MISSING),
    ) == (None, None)


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("support:request_detail", "get", []),
        ("support:request_edit", "get", []),
        ("support:comment_create", "post", []),
        ("support:attachment_upload", "post", []),
        ("support:request_withdraw", "post", []),
        ("support:satisfaction_create", "post", []),
        ("support:request_status", "post", []),
        ("support:effort_create", "post", []),
        ("support:request_triage", "get", []),
        ("support:attachment_download", "get", [1]),
    ],
)
def test_other_organisation_gets_same_answer_as_missing(
    client_for, other_requester, foreign, name, method, extra
):
    client = client_for(other_requester)
    if name == "support:attachment_download":
        extra = [foreign.attachments.get().pk]
    real = getattr(client, method)(
        reverse(name, args=[foreign.reference, *extra]), {"body": "x", "score": "5"}
    )
    missing = getattr(client, method)(reverse(name, args=[MISSING, *extra]), {"body": "x", "score": "5"})
    assert (real.status_code, missing.status_code) == (404, 404)


def test_other_organisation_comment_changes_nothing(client_for, other_requester, foreign):
    client_for(other_requester).post(
        reverse("support:comment_create", args=[foreign.reference]), {"body": "x"}
    )
    assert foreign.comments.count() == 0


def test_attachment_of_other_request_not_reachable_through_own(
    client_for, requester, foreign, submit, other_ward, make_user
):
    """Children are looked up through their parent: an attachment id under another request's reference is 404."""
    own = submit(title="自分の依頼")
    attachment = foreign.attachments.get()
    neighbour = make_user("neighbour@example.com", "requester", organization=other_ward)
    theirs = services.request_submit(
        actor=neighbour, title="t", description="d", category=own.category, phase="planning"
    )
    response = client_for(neighbour).get(
        reverse("support:attachment_download", args=[theirs.reference, attachment.pk])
    )
    assert response.status_code == 404


def test_timeline_of_requester_has_no_internal_events(requester, in_progress, ict_staff):
    services.comment_add(actor=ict_staff, request=in_progress, body="内部", internal=True)
    services.attachment_add(
        actor=ict_staff, request=in_progress, file=upload("memo.pdf", sample_bytes("pdf")), internal=True
    )
    events = selectors.timeline_for(requester, in_progress)
    assert [e.verb for e in events if (e.data or {}).get("internal")] == []


def test_comment_list_for_requester_has_no_internal(requester, in_progress, ict_staff):
    services.comment_add(actor=ict_staff, request=in_progress, body="内部", internal=True)
    services.comment_add(actor=ict_staff, request=in_progress, body="公開")
    assert [c.body for c in selectors.comment_list_for(requester, in_progress)] == ["公開"]


def test_export_carries_no_comments(client_for, ict_manager, in_progress, ict_staff):
    services.comment_add(actor=ict_staff, request=in_progress, body="SECRET-NOTE-7", internal=True)
    content = client_for(ict_manager).get(reverse("support:request_export")).content.decode("utf-8-sig")
    assert "SECRET-NOTE-7" not in content


def test_internal_note_not_in_any_mail(in_progress, ict_staff, requester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=ict_staff, request=in_progress, body="SECRET-NOTE-8", internal=True)
        services.comment_add(actor=ict_staff, request=in_progress, body="公開コメント")
    assert all("SECRET-NOTE-8" not in m.body for m in mail.outbox)


# --- constant query counts ---------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["support:request_list", "support:triage"])
def test_list_pages_run_constant_queries(client_for, ict_manager, submit, url_name, staff_profile):
    client = client_for(ict_manager)
    for _ in range(3):
        submit()
    small = _count(client, reverse(url_name))
    for _ in range(17):
        submit()
    assert _count(client, reverse(url_name)) == small


def test_requester_list_runs_constant_queries(client_for, requester, submit):
    client = client_for(requester)
    for _ in range(3):
        submit()
    small = _count(client, reverse("support:request_list"))
    for _ in range(17):
        submit()
    assert _count(client, reverse("support:request_list")) == small
