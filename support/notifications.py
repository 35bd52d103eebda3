"""E-mail notifications about support requests: written to the mail outbox (core.mail) in the same transaction as the
change, and sent by a background task after it commits (retried while the mail server is down).

`notify(kind, request, recipients, context)` is the only entry point (staffing calls it with kind "assigned").
Each message is written in the recipient's preferred language. Essential kinds always go out; the others respect
the recipient's `notify_optional` setting. Internal notes are never mailed: `public_comment` refuses an internal
comment, and no other kind carries comment text.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.validators import single_line


@dataclass(frozen=True)
class Kind:
    subject: str
    essential: bool


KINDS: dict[str, Kind] = {
    "new_request": Kind(_("New support request %(reference)s: %(title)s"), essential=True),
    "triage_decision": Kind(_("Your request %(reference)s was reviewed"), essential=True),
    "status_changed": Kind(_("Request %(reference)s is now “%(status)s”"), essential=False),
    "public_comment": Kind(_("New comment on request %(reference)s"), essential=False),
    "assigned": Kind(_("You were assigned to request %(reference)s"), essential=True),
    "satisfaction_request": Kind(_("Request %(reference)s was resolved — how did we do?"), essential=False),
}


def wants(user, kind: str) -> bool:
    if not user or not getattr(user, "email", "") or not user.is_active:
        return False
    return KINDS[kind].essential or bool(getattr(user, "notify_optional", True))


def _render(kind: str, request, user, context: dict) -> tuple[str, str]:
    with translation.override(getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE):
        values = {
            "reference": request.reference,
            "title": request.title,
            "status": request.get_status_display(),
        }
        # One line whatever the stored title holds (rows saved before titles were validated): Django refuses a
        # subject with a line break, and the mail would be lost.
        subject = single_line(KINDS[kind].subject % values)
        body = render_to_string(
            "support/email/notification.txt",
            {
                "kind": kind,
                "request": request,
                "recipient": user,
                "url": getattr(settings, "SITE_URL", "").rstrip("/")
                + reverse("support:request_detail", args=[request.reference]),
                **context,
            },
        )
    return subject, body


def notify(kind: str, request, recipients, context: dict | None = None) -> int:
    """Queue one e-mail per recipient who wants this kind in the outbox; sent once the surrounding transaction commits.

    Returns how many were queued. `context` may carry `actor` (never mailed about their own action), `comment`
    (public comments only), `note`, `accepted`, `reason`, `role`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    context = dict(context or {})
    comment = context.get("comment")
    if comment is not None and getattr(comment, "internal", False):
        return 0  # internal notes never leave the ICT side
    actor = context.pop("actor", None)
    seen: set[int] = set()
    messages = []
    for user in recipients:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        if not wants(user, kind):
            continue
        subject, body = _render(kind, request, user, context)
        messages.append((subject, body, user.email))
    for subject, body, address in messages:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(messages)
