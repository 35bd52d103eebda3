"""Hours worked on a support request."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record
from support import policies
from support.models import (
    EffortLog,
    SupportRequest,
)


@transaction.atomic
def effort_log_add(
    *, actor, request: SupportRequest, worked_on: dt.date, hours: Decimal, note: str = ""
) -> EffortLog:
    policies.can_log_effort.check(actor, request)
    staff = getattr(actor, "staff_profile", None)
    if staff is None:
        raise ValidationError(
            _("You have no staff profile in the talent pool, so effort cannot be logged."),
            code="no_staff_profile",
        )
    entry = EffortLog(
        request=request, staff=staff, worked_on=worked_on, hours=hours, note=(note or "").strip()
    )
    entry.full_clean()
    if worked_on and worked_on > timezone.localdate():
        raise ValidationError(
            {"worked_on": ValidationError(_("Effort cannot be logged in advance."), code="future")}
        )
    entry.save()
    record(
        actor=actor,
        verb="effort.log",
        target=request,
        data={"hours": str(entry.hours), "worked_on": worked_on.isoformat(), "internal": True},
    )
    return entry
