"""Notifications about support requests: each one an inbox notice and a mail, written through
`notifications.services.deliver` in the same transaction as the change (the mail is sent by a background task after
the commit, retried while the mail server is down).

`notify(kind, request, recipients, context)` is the request-facing entry point (staffing calls it with kind
"assigned"). Each message is written in the recipient's preferred language. Essential kinds always go out; the others
follow the recipient's preference for that kind (mail and inbox separately, `notifications.selectors.wants`).
The satisfaction request is essential: an opt-out never keeps it from the requester. Internal notes are never sent:
`public_comment` refuses an internal comment, and no other kind carries comment text.

KINDS keeps its shape `Kind(subject, essential)`; `label` (the preferences table) is optional and defaults to a
general wording. Every kind here is registered with the notifications registry when the app loads.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.validators import single_line
from notifications import kinds
from notifications.services import deliver


@dataclass(frozen=True)
class Kind:
    subject: str
    essential: bool
    label: str = ""


KINDS: dict[str, Kind] = {
    "new_request": Kind(
        _("New support request %(reference)s: %(title)s"), essential=True, label=_("New support request")
    ),
    "triage_decision": Kind(
        _("Your request %(reference)s was reviewed"), essential=True, label=_("Your request was reviewed")
    ),
    "status_changed": Kind(
        _("Request %(reference)s is now “%(status)s”"),
        essential=False,
        label=_("Status of a request changed"),
    ),
    "public_comment": Kind(
        _("New comment on request %(reference)s"), essential=False, label=_("New comment on a request")
    ),
    "assigned": Kind(
        _("You were assigned to request %(reference)s"),
        essential=True,
        label=_("You were assigned to a request"),
    ),
    # Essential: the requester's answer closes the request and measures the service — never lost to an opt-out.
    "satisfaction_request": Kind(
        _("Request %(reference)s was resolved — how did we do?"),
        essential=True,
        label=_("Request resolved: satisfaction survey"),
    ),
    "low_satisfaction": Kind(
        _("Low satisfaction rating on request %(reference)s"),
        essential=True,
        label=_("Low satisfaction rating"),
    ),
    # --- service levels (sla): alerts once per request, deadline and threshold; a daily digest per person ------
    "sla_due_soon": Kind(
        _("Deadline approaching on request %(reference)s: %(title)s"),
        essential=False,
        label=_("A deadline of a request is approaching"),
    ),
    "sla_overdue": Kind(
        _("Overdue: request %(reference)s: %(title)s"),
        essential=False,
        label=_("A request is overdue"),
    ),
    # Not bound to one request: support.services.sla_alerts delivers it itself (the subject has no placeholders).
    "sla_digest": Kind(_("Your deadlines today"), essential=False, label=_("Daily digest of your deadlines")),
}


def register_kinds() -> None:
    """Register every kind above with the notifications registry (SupportConfig.ready)."""
    for name, kind in KINDS.items():
        kinds.register(name, label=kind.label or _("Support request notification"), essential=kind.essential)


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
    """Deliver one notice (inbox and/or mail, as each recipient's preference for this kind says) per recipient;
    the mails are sent once the surrounding transaction commits.

    Returns how many mails were queued. `context` may carry `actor` (never mailed about their own action), `comment`
    (public comments only), `note`, `accepted`, `reason`, `role`, and `idempotency_key` (a key per request and event:
    each recipient's delivery is keyed with it and their id, so a repeated call tells nobody twice).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    context = dict(context or {})
    comment = context.get("comment")
    if comment is not None and getattr(comment, "internal", False):
        return 0  # internal notes never leave the ICT side
    actor = context.pop("actor", None)
    key = context.pop("idempotency_key", None)
    seen: set[int] = set()
    queued = 0
    for user in recipients:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        subject, body = _render(kind, request, user, context)
        delivery = deliver(
            user,
            kind,
            subject,
            body,
            url=reverse("support:request_detail", args=[request.reference]),
            request=request,
            idempotency_key=f"{key}:{user.pk}" if key else None,
        )
        queued += delivery.mailed
    return queued
