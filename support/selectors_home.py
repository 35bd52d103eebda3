"""What needs the user now, counted over the requests they may see — the support part of the home page.

Each count is one named condition that the request list understands as a filter in its address (`LINKS`), so a
number on the home page opens a list of exactly those requests. All counts of one user come from one query.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from accounts.roles import Role, has_role
from core import fiscal
from support import policies
from support.models import (
    OPEN_STATUSES,
    Assignment,
    SatisfactionFollowUp,
    Status,
    SupportRequest,
    low_satisfaction_q,
    overdue_q,
)
from support.selectors import WAITING_TOO_LONG_DAYS, to_rate_q, waiting_on_requester_q

ACCEPTED_OPEN = (Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER)


def follow_up_q() -> Q:
    """A low satisfaction rating the managers have not followed up yet."""
    followed = SatisfactionFollowUp.objects.filter(request=OuterRef("pk"))
    return low_satisfaction_q("satisfaction__") & ~Exists(followed)


def unassigned_q() -> Q:
    """Accepted, still open, and nobody is working on it."""
    return Q(status__in=ACCEPTED_OPEN) & ~Exists(Assignment.objects.active().filter(request=OuterRef("pk")))


def _mine_q(user) -> Q:
    return Q(pk__in=Assignment.objects.active().filter(staff__user=user).values("request_id"))


def _query(**params) -> str:
    pairs = []
    for key, value in params.items():
        pairs += [(key, v) for v in value] if isinstance(value, list | tuple) else [(key, value)]
    return "?" + urlencode(pairs)


OPEN = [str(s) for s in OPEN_STATUSES]
ACCEPTED = [str(s) for s in ACCEPTED_OPEN]


def conditions(user, *, on: dt.date) -> dict[str, tuple[Q, str]]:
    """name → (condition, the request list's address showing exactly those requests) for this user's roles."""
    found: dict[str, tuple[Q, str]] = {}
    if not policies.sees_all_requests(user) and policies.can_submit(user):
        found["waiting_on_me"] = (
            Q(status=Status.WAITING_ON_REQUESTER),
            _query(status="waiting_on_requester"),
        )
        found["open"] = (Q(status__in=OPEN_STATUSES), _query(status=OPEN))
        found["to_rate"] = (to_rate_q(), _query(to_rate="on"))
    if has_role(user, Role.ICT_STAFF):  # their own assignments (a manager who also works requests sees both)
        mine = _mine_q(user)
        found["my_open"] = (
            mine & Q(status__in=OPEN_STATUSES),
            _query(mine="assigned", status=OPEN, sort="resolution_due"),
        )
        found["my_overdue"] = (
            mine & overdue_q(on),
            _query(mine="assigned", overdue="on", sort="resolution_due"),
        )
        found["my_waiting_long"] = (
            mine & waiting_on_requester_q(WAITING_TOO_LONG_DAYS, on=on),
            _query(mine="assigned", waiting_days=WAITING_TOO_LONG_DAYS),
        )
    if policies.can_triage(user):
        found["to_triage"] = (
            Q(status=Status.SUBMITTED),
            "",
        )  # the triage queue shows the submitted by default
        found["unassigned"] = (unassigned_q(), _query(unassigned="on", status=ACCEPTED))
        found["overdue"] = (overdue_q(on), _query(overdue="on", sort="resolution_due"))
        found["follow_up"] = (follow_up_q(), _query(follow_up="on"))
    return found


def work_counts_for(user, *, on: dt.date | None = None) -> dict[str, tuple[int, str]]:
    """name → (how many requests the user may see match, the address of their list). One query (none when the
    user has nothing to count)."""
    on = on or fiscal.today()
    found = conditions(user, on=on)
    if not found:
        return {}
    scoped = SupportRequest.objects.filter(policies.request_scope(user)).order_by()
    counts = scoped.aggregate(**{name: Count("pk", filter=q) for name, (q, _link) in found.items()})
    list_url = reverse("support:request_list")
    return {
        name: (counts[name], reverse("support:triage") if name == "to_triage" else list_url + link)
        for name, (_q, link) in found.items()
    }
