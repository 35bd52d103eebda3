"""Certificate-expiry reminders (a scheduled job: skills.tasks.certificate_expiry_reminders, daily).

A certification expiring within 30 days is announced once, and again within 7 days, to the staff member and to every
active HR user, through `notifications.services.deliver` (an inbox notice and a mail, as the recipient's preference
for the kind `certificate_expiry` says). Each carries an idempotency key (certificate, expiry date, threshold,
recipient) that the inbox and the mail outbox keep unique: the job can run any number of times and a renewed
certificate (a new expiry date) is announced again.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from core.fiscal import today
from core.validators import single_line
from notifications import kinds
from notifications.services import deliver
from skills.models import Certification

THRESHOLDS = (7, 30)  # days before expiry, nearest first
KIND = "certificate_expiry"


def register_kinds() -> None:
    kinds.register(KIND, label=gettext_lazy("Certification about to expire"), essential=False)


def _threshold(days_left: int) -> int | None:
    return next((limit for limit in THRESHOLDS if days_left <= limit), None)


def _hr_users():
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=Role.HR).exclude(email="").distinct()
    )


@transaction.atomic
def certificate_expiry_remind(*, on: dt.date | None = None) -> int:
    """Queue the reminders due on `on` (today); returns how many mails were newly queued."""
    on = on or today()
    due = (
        Certification.objects.filter(
            expires_on__gte=on, expires_on__lte=on + dt.timedelta(days=max(THRESHOLDS))
        )
        .select_related("staff__user")
        .order_by("expires_on", "pk")
    )
    hr = _hr_users()
    queued = 0
    for certification in due:
        threshold = _threshold((certification.expires_on - on).days)
        owner = certification.staff.user
        recipients = {user.pk: user for user in [owner, *hr] if user.is_active and user.email}
        for user in recipients.values():
            key = f"cert-expiry:{certification.pk}:{certification.expires_on:%Y%m%d}:{threshold}:{user.pk}"
            queued += _send(user, certification, threshold, key, own=user.pk == owner.pk)
    return queued


def _send(user, certification, threshold: int, key: str, *, own: bool) -> int:
    path = (
        reverse("skills:my_skills") if own else reverse("skills:staff_detail", args=[certification.staff_id])
    )
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = single_line(
            _("Certification expires within %(days)d days: %(name)s")
            % {"days": threshold, "name": certification.name}
        )
        body = render_to_string(
            "skills/email/certificate_expiry.txt",
            {
                "recipient": user,
                "certification": certification,
                "threshold": threshold,
                "own": own,
                "url": settings.SITE_URL.rstrip("/") + path,
            },
        )
    return int(
        deliver(user, KIND, subject, body, url=path, request=certification, idempotency_key=key).mailed
    )
