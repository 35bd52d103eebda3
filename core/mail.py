"""The mail outbox: no e-mail is sent inside a web request, and none is lost.

`OutboxBackend` (EMAIL_BACKEND) turns every `send_mail()`/`EmailMessage.send()` into an `OutboxMessage` row written in
the caller's transaction, so the mail exists exactly when the business change does. After the commit
`core.tasks.deliver_outbox_message` hands the row to the real transport (EMAIL_DELIVERY_BACKEND): under a row lock,
skipping a row another worker holds or one already sent, then marks it sent. A failure is retried with exponential
backoff (OUTBOX_RETRY_BASE_SECONDS × 2^attempt, at most an hour) until OUTBOX_MAX_ATTEMPTS, then the row is `failed`
and an ERROR is logged. `sweep_outbox` (celery beat, every minute) re-publishes pending rows that are overdue: a
publish lost in a crash, a worker killed mid-send, or eager mode's deferred retries.

Delivery is exactly-once as far as SMTP allows: the row lock makes two workers never send one row at the same time,
and a sent row is never sent again. The remaining at-least-once window is a worker that dies after the mail server
accepted the mail and before the `sent` mark commits: that row is sent again by the sweep (a duplicate, never a loss).

A sender may pass its own key in the `X-DX-Idempotency-Key` header (removed before sending): a second mail with the
same key is dropped, which makes "remind once per certificate and threshold" safe to run any number of times.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.jobs import enqueue_on_commit
from core.models import OutboxMessage, OutboxState

logger = logging.getLogger("dxdesk.mail")
KEY_HEADER = "X-DX-Idempotency-Key"
MAX_BACKOFF_SECONDS = 3600


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        stored = 0
        for message in email_messages:
            if queue(message) is not None:
                stored += 1
        return stored


def queue(message) -> OutboxMessage | None:
    """Store one EmailMessage as a pending outbox row (None if its idempotency key was queued before)."""
    if message.attachments and any(
        not (isinstance(a, tuple) and a[2] == "text/html") for a in message.attachments
    ):
        raise ValueError("The mail outbox does not carry attachments.")
    message.message()  # refuses a header with a line break (BadHeaderError) now, in the sender's request
    headers = dict(message.extra_headers)
    key = str(headers.pop(KEY_HEADER, "") or uuid.uuid4().hex)
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
    )
    fields = {
        "subject": message.subject,
        "body": message.body,
        "html": html,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": headers,
    }
    try:
        with transaction.atomic():
            row = OutboxMessage.objects.create(idempotency_key=key, **fields)
    except IntegrityError:
        if OutboxMessage.objects.filter(idempotency_key=key).exists():
            logger.info("Mail %s was queued before; not queued again", key)
            return None
        raise
    from core.tasks import deliver_outbox_message

    enqueue_on_commit(deliver_outbox_message, row.pk)
    return row


def as_email(row: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    if row.html:
        email.attach_alternative(row.html, "text/html")
    return email


def backoff_seconds(attempts: int) -> int:
    return min(MAX_BACKOFF_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


def deliver(pk: int) -> int | None:
    """Send one pending row through EMAIL_DELIVERY_BACKEND. Returns the seconds to wait before a retry, else None.

    The row stays locked while the transport runs: no other worker sends it meanwhile (skip_locked: it just moves on).
    """
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=OutboxState.PENDING)
            .first()
        )
        if row is None:  # sent, failed for good, or being sent by another worker right now
            return None
        row.attempts += 1
        try:
            connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
            connection.send_messages([as_email(row)])
        except Exception as error:  # any transport failure: keep the row, retry later
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                row.state = OutboxState.FAILED
                logger.error(
                    "Mail %s (%s) to %s failed for good after %d attempts",
                    row.pk,
                    row.subject,
                    ", ".join(row.to),
                    row.attempts,
                    exc_info=True,
                )
                row.save(update_fields=["attempts", "last_error", "state"])
                return None
            wait = backoff_seconds(row.attempts)
            row.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
            logger.warning(
                "Could not send mail %s (%s) to %s (attempt %d of %d); retrying in %d s",
                row.pk,
                row.subject,
                ", ".join(row.to),
                row.attempts,
                settings.OUTBOX_MAX_ATTEMPTS,
                wait,
                exc_info=True,
            )
            row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return wait
        row.state, row.sent_at, row.last_error = OutboxState.SENT, timezone.now(), ""
        row.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    return None


def overdue_ids(limit: int = 500) -> list[int]:
    """Pending rows whose next attempt is due for longer than OUTBOX_SWEEP_AFTER_SECONDS."""
    limit_time = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    return list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=limit_time)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
