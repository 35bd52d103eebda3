"""The mail outbox: a mail exists exactly when the change that caused it commits, is sent once, is retried with
backoff while the server is down, ends `failed` (logged) after the last attempt, and the sweep sends what was left."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core import mail as outbox
from core.models import OutboxMessage, OutboxState
from core.tasks import deliver_outbox_message, sweep_outbox
from tests.smtp import smtp_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_mail_is_stored_with_the_change_and_sent_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("件名", "本文", "desk@example.org", ["a@example.org"])
        row = OutboxMessage.objects.get()
        assert row.state == OutboxState.PENDING and mail.outbox == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and row.sent_at and row.attempts == 1
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("件名", "本文", ["a@example.org"])]


def test_a_rolled_back_change_sends_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_mail("件名", "本文", "desk@example.org", ["a@example.org"])
        raise RuntimeError("the business write failed")
    assert OutboxMessage.objects.count() == 0 and mail.outbox == []


def test_html_alternative_and_headers_survive_the_outbox(django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives(
        "S", "text", "desk@example.org", ["a@example.org"], headers={"X-Tag": "t"}
    )
    message.attach_alternative("<p>html</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        message.send()
    sent = mail.outbox[0]
    assert sent.alternatives[0][0] == "<p>html</p>" and sent.extra_headers["X-Tag"] == "t"


def test_a_sent_mail_is_never_sent_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("S", "B", None, ["a@example.org"])
    row = OutboxMessage.objects.get()
    deliver_outbox_message.delay(row.pk)  # a duplicate publish (acks late, a redelivered task)
    outbox.deliver(row.pk)
    assert len(mail.outbox) == 1


def test_the_same_idempotency_key_queues_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            EmailMultiAlternatives(
                "S", "B", None, ["a@example.org"], headers={outbox.KEY_HEADER: "k-1"}
            ).send()
    assert OutboxMessage.objects.get().idempotency_key == "k-1"
    assert len(mail.outbox) == 1 and outbox.KEY_HEADER not in mail.outbox[0].extra_headers


@pytest.mark.usefixtures("smtp_down")
def test_failures_back_off_then_end_failed_and_logged(settings, caplog, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    caplog.set_level(logging.WARNING, logger="dxdesk.mail")
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("S", "B", None, ["a@example.org"])
    row = OutboxMessage.objects.get()
    first_due = row.next_attempt_at
    assert row.state == OutboxState.PENDING and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert first_due - timezone.now() > dt.timedelta(seconds=50)  # 60 s after the first failure
    assert outbox.deliver(row.pk) == 120  # then twice as long
    assert outbox.deliver(row.pk) is None
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED and row.attempts == 3
    assert [r.levelno for r in caplog.records if r.name == "dxdesk.mail"] == [logging.WARNING] * 2 + [
        logging.ERROR
    ]
    outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.attempts == 3 and mail.outbox == []  # a failed row is left alone


def test_the_sweep_sends_overdue_mail_and_leaves_fresh_mail(settings):
    send_mail("old", "B", None, ["a@example.org"])  # published on a commit that never comes here: "lost"
    send_mail("new", "B", None, ["b@example.org"])
    OutboxMessage.objects.filter(subject="old").update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert sweep_outbox.delay().get() == 1
    assert [m.subject for m in mail.outbox] == ["old"]
    assert OutboxMessage.objects.get(subject="new").state == OutboxState.PENDING


def test_send_outbox_command_sends_what_is_due(capsys):
    send_mail("S", "B", None, ["a@example.org"])
    call_command("send_outbox")
    assert [m.subject for m in mail.outbox] == ["S"]
    assert OutboxMessage.objects.get().state == OutboxState.SENT
    assert "1 of 1" in capsys.readouterr().out


def test_a_mail_with_a_line_break_in_a_header_is_refused_at_once():
    from django.core.mail import BadHeaderError

    with pytest.raises(BadHeaderError):
        send_mail("S\nBcc: x@example.net", "B", None, ["a@example.org"])
    assert OutboxMessage.objects.count() == 0
