"""Reads for the service-level alerts and digest: which open requests have a deadline that is due soon or passed,
and who is concerned (the active assignees, and the ICT managers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from core import fiscal
from support import sla
from support.models import OPEN_STATUSES, Assignment, SupportRequest

#: An overdue alert goes out for a deadline missed at most this many days ago; older ones are in the digest only
#: (so that turning service levels on for years of history does not flood anyone).
ALERT_LOOKBACK_DAYS = 10


@dataclass(frozen=True)
class DueItem:
    request: SupportRequest
    deadline: sla.Deadline

    @property
    def overdue(self) -> bool:
        return self.deadline.state == "overdue"


def next_business_day(on: dt.date) -> dt.date:
    return fiscal.add_business_days(on, 1)


def _pending_by(day: dt.date, since: dt.date | None = None) -> Q:
    """Open and a still-pending deadline falls on or before `day` (and on or after `since`)."""

    def window(field: str) -> Q:
        q = Q(**{f"{field}__lte": day})
        return q & Q(**{f"{field}__gte": since}) if since else q

    return Q(status__in=OPEN_STATUSES) & (
        window("resolution_due")
        | (window("first_response_due") & Q(first_response_at__isnull=True))
        | (window("triage_due") & Q(triaged_at__isnull=True))
    )


def _with_assignees(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("requester", "organization").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.active().select_related("staff__user").order_by("role", "pk"),
            to_attr="active_assignments",
        )
    )


def due_items(requests, *, on: dt.date, until: dt.date, since: dt.date | None = None) -> list[DueItem]:
    """Each pending deadline of these requests falling between `since` and `until` (both included)."""
    items = []
    for request in requests:
        for deadline in sla.deadlines(request, on=on):
            pending = deadline.state in ("overdue", "due_today", "pending")
            if pending and deadline.due <= until and (since is None or deadline.due >= since):
                items.append(DueItem(request, deadline))
    return items


def alert_items(*, on: dt.date) -> list[DueItem]:
    """The deadlines to alert about on `on`: due by the next business day (due soon), or missed within the last
    ALERT_LOOKBACK_DAYS days (overdue). Two queries."""
    until = next_business_day(on)
    since = on - dt.timedelta(days=ALERT_LOOKBACK_DAYS)
    requests = _with_assignees(SupportRequest.objects.filter(_pending_by(until, since))).order_by("pk")
    return due_items(requests, on=on, until=until, since=since)


def digest_items(*, on: dt.date) -> list[DueItem]:
    """Every open request that is overdue or has a deadline on `on`, once, with its earliest pending deadline;
    ordered by that deadline. Two queries."""
    requests = _with_assignees(SupportRequest.objects.filter(_pending_by(on))).order_by("pk")
    first: dict[int, DueItem] = {}
    for item in due_items(requests, on=on, until=on):
        known = first.get(item.request.pk)
        if known is None or item.deadline.due < known.deadline.due:
            first[item.request.pk] = item
    return sorted(first.values(), key=lambda item: (item.deadline.due, item.request.pk))
