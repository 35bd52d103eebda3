"""Writes: delivering a notice (inbox + mail), marking notices read, saving preferences.

`deliver` is the ONE way the product tells a user something: it asks the user's preference for that kind, writes
the in-app notice and queues the mail in the mail outbox (core.mail: a row in the same database), both in the
caller's transaction — roll it back and neither exists; commit it and both do (the mail is sent after the commit).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.mail import KEY_HEADER
from core.validators import single_line
from notifications import kinds, selectors
from notifications.models import Notification, NotificationPreference


@dataclass(frozen=True)
class Delivery:
    notification: Notification | None
    mailed: bool

    def __bool__(self) -> bool:
        return self.notification is not None or self.mailed


NOTHING = Delivery(None, False)


@transaction.atomic
def deliver(
    user, kind: str, subject: str, body: str, url: str = "", request=None, idempotency_key: str | None = None
) -> Delivery:
    """Tell `user` about something of `kind`: an inbox notice and a mail, as their preference for the kind says
    (an essential kind always goes both ways). `subject` and `body` are already in the user's language; `url` is the
    page the notice links to (a path); `request` the object it is about (optional, any model instance).

    With an `idempotency_key`, a second delivery with the same key writes nothing (neither notice nor mail).
    Inactive users get nothing; a user without an address gets the notice only."""
    info = kinds.get(kind)
    if user is None or not user.is_active:
        return NOTHING
    wants_mail, wants_notice = selectors.wants(user, info)
    subject = single_line(subject)[:300]
    notice = None
    if wants_notice:
        notice = Notification(
            recipient=user,
            kind=kind,
            subject=subject,
            body=body,
            url=url[:500],
            idempotency_key=idempotency_key or "",
        )
        if request is not None:
            notice.target_type = ContentType.objects.get_for_model(request)
            notice.target_id = str(request.pk)
        if idempotency_key:
            try:
                with transaction.atomic():
                    notice.save()
            except IntegrityError:
                return NOTHING  # delivered before
        else:
            notice.save()
    mailed = False
    if wants_mail and getattr(user, "email", ""):
        headers = {KEY_HEADER: idempotency_key} if idempotency_key else {}
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers)
        mailed = bool(message.send())
    return Delivery(notice, mailed)


@transaction.atomic
def notifications_mark_read(*, actor, ids=None, all: bool = False) -> int:
    """Mark the actor's own notices read: those in `ids`, or every unread one with `all`. Returns how many changed.
    Ids of other users' notices are ignored (they are not the actor's to see)."""
    if not all and not ids:
        raise ValidationError(
            {"ids": ValidationError(_("Choose the notifications to mark as read."), code="nothing_selected")}
        )
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if not all:
        try:
            wanted = {int(i) for i in ids}
        except (TypeError, ValueError):
            raise ValidationError(
                {"ids": ValidationError(_("Not a notification id."), code="invalid_id")}
            ) from None
        rows = rows.filter(pk__in=wanted)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(*, actor, preferences: dict[str, tuple[bool, bool]]) -> None:
    """Save the actor's choices: kind → (email, in_app). Unknown kinds are refused; essential kinds cannot be
    switched off (refused, nothing saved)."""
    errors = []
    for name, (email, in_app) in preferences.items():
        if not kinds.is_registered(name):
            errors.append(
                ValidationError(
                    _("Unknown notification kind “%(kind)s”."), code="unknown_kind", params={"kind": name}
                )
            )
        elif kinds.get(name).essential and not (email and in_app):
            errors.append(
                ValidationError(
                    _("“%(kind)s” is always sent and cannot be switched off."),
                    code="essential_kind",
                    params={"kind": kinds.get(name).label},
                )
            )
    if errors:
        raise ValidationError({"preferences": errors})
    before = dict(selectors.preference_map(actor))
    for name, (email, in_app) in preferences.items():
        if kinds.get(name).essential:
            continue
        NotificationPreference.objects.update_or_create(
            user=actor, kind=name, defaults={"email": bool(email), "in_app": bool(in_app)}
        )
    record(
        actor=actor,
        verb="notifications.preferences",
        target=actor,
        data={
            "before": {k: list(v) for k, v in before.items()},
            "after": {k: [bool(e), bool(i)] for k, (e, i) in preferences.items()},
        },
    )
