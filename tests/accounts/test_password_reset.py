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
from tests.smtp import smtp_down  # noqa: F401 (fixture)


def reset(email: str):
    return Client().post(reverse("account_reset_password"), {"email": email})


def test_known_active_account_gets_the_reset_mail(requester):
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
def test_mail_server_down_answers_as_usual_and_logs_the_failure(requester, caplog):
    with caplog.at_level(logging.WARNING, logger="dxdesk.accounts.mail"):
        response = reset(requester.email)
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    records = [r for r in caplog.records if r.name == "dxdesk.accounts.mail"]
    assert len(records) == 1 and records[0].levelno == logging.ERROR
    assert requester.email in records[0].getMessage() and "password_reset_key" in records[0].getMessage()
    assert records[0].exc_info is not None


@pytest.mark.usefixtures("smtp_down")
def test_signed_in_user_is_told_when_a_mail_could_not_be_sent(requester, caplog, rf):
    """Any allauth mail to a signed-in user (e.g. a security notice) becomes a message, never a 500."""
    request = rf.get("/")
    request.user = requester
    request.session = {}
    request._messages = FallbackStorage(request)
    with context.request_context(request), caplog.at_level(logging.ERROR, logger="dxdesk.accounts.mail"):
        AccountAdapter().send_mail("account/email/password_changed", requester.email, {"user": requester})
    assert [str(m) for m in request._messages] == [
        "ただいまメールを送信できませんでした。しばらくしてからもう一度お試しください。"
    ]
    assert any(r.name == "dxdesk.accounts.mail" for r in caplog.records)
