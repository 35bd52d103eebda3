"""Service-level alerts and the daily digest (scheduled: support.tasks.sla_alerts, support.tasks.sla_digest).

* Alert: for each pending deadline of an open request that is due by the next business day ("due soon") or has
  passed ("overdue"), one notice to each active assignee and each ICT manager — once per request, deadline, due
  date, threshold and person (the idempotency key holds all five), so the job can run any number of times and a
  deadline moved by a new priority is announced again.
* Digest: once per business day, to each ICT manager (every request) and each assigned staff member (their own
  requests), the deadlines that are overdue or due today; nothing when there are none.
Both go through support.notifications / notifications.services.deliver (inbox and mail, per the user's preferences).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import fiscal
from notifications.services import deliver
from support import notifications, selectors_sla
from support.services._common import _managers

DIGEST_LIMIT = 50  # items listed per digest; the rest are counted


def _concerned(request, managers) -> list:
    return [a.staff.user for a in request.active_assignments] + list(managers)


@transaction.atomic
def sla_alerts_send(*, on: dt.date | None = None) -> int:
    """Deliver the alerts due on `on` (today); returns how many notices were newly delivered."""
    on = on or fiscal.today()
    managers = list(_managers())
    delivered = 0
    for item in selectors_sla.alert_items(on=on):
        kind = "sla_overdue" if item.overdue else "sla_due_soon"
        deadline = item.deadline
        delivered += notifications.notify(
            kind,
            item.request,
            _concerned(item.request, managers),
            {
                "deadline": deadline.label,
                "due": deadline.due,
                "idempotency_key": f"sla:{kind}:{item.request.pk}:{deadline.name}:{deadline.due:%Y%m%d}",
            },
        )
    return delivered


@transaction.atomic
def sla_digest_send(*, on: dt.date | None = None) -> int:
    """Deliver today's digests (business days only); returns how many people got one."""
    on = on or fiscal.today()
    if not fiscal.is_business_day(on):
        return 0
    items = selectors_sla.digest_items(on=on)
    if not items:
        return 0
    managers = list(_managers())
    per_user: dict[int, tuple] = {user.pk: (user, items) for user in managers}  # managers: every request
    for item in items:
        for assignment in item.request.active_assignments:
            user = assignment.staff.user
            if user.pk not in per_user or per_user[user.pk][1] is not items:  # staff: their own requests
                per_user.setdefault(user.pk, (user, []))[1].append(item)
    sent = 0
    for user, mine in per_user.values():
        sent += bool(_send_digest(user, mine, on))
    return sent


def _send_digest(user, items: list, on: dt.date):
    listed = items[:DIGEST_LIMIT]
    with translation.override(getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE):
        url = reverse("support:request_list") + "?overdue=on&sort=resolution_due"
        body = render_to_string(
            "support/email/sla_digest.txt",
            {
                "recipient": user,
                "on": on,
                "overdue": [i for i in listed if i.overdue],
                "due_today": [i for i in listed if not i.overdue],
                "more": len(items) - len(listed),
                "url": settings.SITE_URL.rstrip("/") + url,
            },
        )
        subject = _("Your deadlines on %(day)s: %(overdue)d overdue, %(today)d due today") % {
            "day": on.isoformat(),
            "overdue": sum(i.overdue for i in items),
            "today": sum(not i.overdue for i in items),
        }
    return deliver(
        user, "sla_digest", subject, body, url=url, idempotency_key=f"sla-digest:{on:%Y%m%d}:{user.pk}"
    )
