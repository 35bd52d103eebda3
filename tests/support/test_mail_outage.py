"""Mail never loses the user's work: during an SMTP outage the action succeeds and the mail waits in the outbox (the
failure logged); a title that would break a
mail header is refused at input (form, GraphQL, import path via the service) and old titles are folded to one line."""

import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import OutboxMessage, OutboxState
from support import notifications
from support.models import SupportRequest
from tests.smtp import smtp_down  # noqa: F401 (fixture)

from .test_views import form_data

BAD_TITLES = ["改修\nBcc: victim@example.net", "改修\r\n続き", "改修\u2028続き", "改修\tタブ", "改修\x1b[0m"]


@pytest.mark.usefixtures("smtp_down")
def test_new_request_is_saved_when_the_mail_server_is_down(
    client_for, requester, ict_manager, category, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.WARNING, logger="dxdesk.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(requester).post(reverse("support:request_create"), form_data(category))
    created = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(created.reference + "/")
    row = OutboxMessage.objects.get()
    assert row.to == [ict_manager.email] and created.reference in row.subject
    assert row.state == OutboxState.PENDING and row.attempts == 1 and row.last_error
    records = [r for r in caplog.records if r.name == "dxdesk.mail"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING and records[0].exc_info
    assert created.reference in records[0].getMessage() and ict_manager.email in records[0].getMessage()


def test_managers_are_mailed_when_the_server_is_up(
    client_for, requester, ict_manager, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(requester).post(reverse("support:request_create"), form_data(category))
    assert [m.to for m in mail.outbox] == [[ict_manager.email]]


@pytest.mark.parametrize("title", BAD_TITLES)
def test_form_refuses_a_title_with_control_characters(client_for, requester, category, title):
    response = client_for(requester).post(reverse("support:request_create"), form_data(category, title=title))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "改行・タブなどの制御文字を含めず、1 行で入力してください。"
    ]
    assert SupportRequest.objects.count() == 0


def test_edit_form_refuses_a_title_with_control_characters(client_for, requester, submitted, category):
    url = reverse("support:request_edit", args=[submitted.reference])
    response = client_for(requester).post(url, form_data(category, title="一行目\n二行目"))
    assert "title" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.title == "仕様書の確認"


def test_service_refuses_with_the_control_characters_code(submit):
    with pytest.raises(ValidationError) as caught:
        submit(title="一行目\n二行目")
    assert [e.code for e in caught.value.error_dict["title"]] == ["control_characters"]
    assert SupportRequest.objects.count() == 0


SUBMIT = """mutation($title: String!) {
  submitSupportRequest(title: $title, description: "説明", category: "website", phase: PLANNING) {
    supportRequest { reference } errors { field code message } } }"""


def test_graphql_refuses_a_title_with_control_characters(gql, requester, categories, caplog):
    result = gql(requester).execute(SUBMIT, {"title": "一行目\r\nBcc: x@example.net"})
    assert not [r for r in caplog.records if "does not list" in r.getMessage()], "code missing from the enum"
    payload = result["data"]["submitSupportRequest"]
    assert payload["supportRequest"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("title", "control_characters")]
    assert SupportRequest.objects.count() == 0


def test_a_stored_multiline_title_still_reaches_the_managers_on_one_line(
    submitted, ict_manager, requester, django_capture_on_commit_callbacks
):
    SupportRequest.objects.filter(pk=submitted.pk).update(
        title="古い\r\n依頼\t題名"
    )  # saved before validation
    submitted.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify("new_request", submitted, [ict_manager], {"actor": requester})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("古い 依頼 題名")


def test_a_title_with_inner_spaces_is_kept_as_typed(submit):
    assert submit(title="Web サイト　改修").title == "Web サイト　改修"
