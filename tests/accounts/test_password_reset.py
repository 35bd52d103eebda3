"""Password reset answers the same for every address, mails only known active accounts, and survives a mail outage."""

import logging

import pytest
from allauth.core import context
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.adapters import AccountAdapter
from accounts.models import User
from core.models import OutboxMessage, OutboxState
from tests.smtp import smtp_down  # noqa: F401 (fixture)


def reset(email: str):
    return Client().post(reverse("account_reset_password"), {"email": email})


def test_known_active_account_gets_the_reset_mail(requester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = reset(requester.email)
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    assert [message.to for message in mail.outbox] == [[requester.email]]
    assert "\n" not in mail.outbox[0].subject


def test_unknown_address_gets_the_same_answer_and_no_mail(requester):
    known = reset(requester.email)
    mail.outbox.clear()
    unknown = reset("stranger@example.net")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []


def test_inactive_account_gets_no_mail(requester):
    User.objects.filter(pk=requester.pk).update(is_active=False)
    response = reset(requester.email)
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []


@pytest.mark.usefixtures("smtp_down")
def test_mail_server_down_answers_as_usual_and_keeps_the_mail(
    requester, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.WARNING, logger="dxdesk.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = reset(requester.email)
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    row = OutboxMessage.objects.get()
    assert row.to == [requester.email] and row.state == OutboxState.PENDING and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    records = [r for r in caplog.records if r.name == "dxdesk.mail"]
    assert (
        len(records) == 1 and requester.email in records[0].getMessage() and records[0].exc_info is not None
    )


@pytest.mark.usefixtures("smtp_down")
def test_signed_in_users_mail_is_queued_while_the_server_is_down(requester, rf):
    """Any allauth mail to a signed-in user (e.g. a security notice) is kept for later, never a 500."""
    request = rf.get("/")
    request.user = requester
    request.session = {}
    request._messages = FallbackStorage(request)
    with context.request_context(request):
        AccountAdapter().send_mail("account/email/password_changed", requester.email, {"user": requester})
    assert [row.to for row in OutboxMessage.objects.filter(state=OutboxState.PENDING)] == [[requester.email]]
