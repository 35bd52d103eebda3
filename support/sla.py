"""Service levels (サービスレベル) of support requests: which level applies, the due dates it gives, a request's age.

* A service level gives, per priority and optionally per category, the business days (開庁日: core.fiscal — no
  weekends, Japanese public holidays or 29 Dec – 3 Jan) the ICT side has to answer a request for the first time, to
  triage it and to resolve it. The most specific level wins: the category's own level for the request's priority,
  else the priority's level. No level → no due dates (the request shows none and is never late by service level).
* The due dates count from the Tokyo date of submission: filed on Monday 28 Dec with 3 business days is due on
  Wednesday 6 Jan (the year-end closure and the weekend do not count); filed on a closed day, the first business day
  after it is day 1. A deadline falls due at the end of its day.
* First response (初回回答) = the first public comment by the ICT side, or its triage decision (accept or reject),
  whichever comes first (support.services: comment_add, request_triage); stored in `first_response_at`.
* The due dates are stored on the request (indexed, so lists sort and filter by them) and recomputed when its
  priority or category changes, and for the open requests when an administrator changes the levels.
* Overdue (期限超過) is `support.models.overdue_q`: open and past a deadline still pending.
* Age (経過開庁日数) = business days from submission to resolution (or close), or to today while open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core import fiscal
from support.models import OPEN_STATUSES, ServiceLevel, SupportRequest

DUE_FIELDS = ("first_response_due", "triage_due", "resolution_due")
#: The target each due date measures: the ServiceLevel field with its days.
DAYS_OF = {
    "first_response_due": "first_response_days",
    "triage_due": "triage_days",
    "resolution_due": "resolution_days",
}


class Levels:
    """All service levels, read once: {(priority, category_id or None): level}."""

    def __init__(self, levels=None):
        rows = ServiceLevel.objects.all() if levels is None else levels
        self.by_key = {(level.priority, level.category_id): level for level in rows}

    def for_request(self, priority: int, category_id: int | None) -> ServiceLevel | None:
        """The most specific level: the category's own for this priority, else the priority's."""
        return self.by_key.get((priority, category_id)) or self.by_key.get((priority, None))


def due_dates(submitted_at: dt.datetime | dt.date, level: ServiceLevel | None) -> dict[str, dt.date | None]:
    """The three due dates a level gives a request submitted at `submitted_at` (all None without a level)."""
    if level is None:
        return dict.fromkeys(DUE_FIELDS)
    start = fiscal.local_date(submitted_at)
    return {name: fiscal.add_business_days(start, getattr(level, days)) for name, days in DAYS_OF.items()}


def apply(request: SupportRequest, levels: Levels | None = None) -> list[str]:
    """Set the request's due dates from its service level (not saved); returns the names of the fields changed."""
    levels = levels or Levels()
    wanted = due_dates(request.submitted_at, levels.for_request(request.priority, request.category_id))
    changed = [name for name, value in wanted.items() if getattr(request, name) != value]
    for name in changed:
        setattr(request, name, wanted[name])
    return changed


def recompute(queryset=None, *, batch_size: int = 1000) -> int:
    """Recompute and store the due dates of these requests (by default every open one); returns how many changed.
    Used after the levels change and by the backfill."""
    levels = Levels()
    queryset = SupportRequest.objects.filter(status__in=OPEN_STATUSES) if queryset is None else queryset
    changed = []
    rows = queryset.only("pk", "submitted_at", "priority", "category_id", *DUE_FIELDS).order_by("pk")
    for request in rows.iterator(chunk_size=batch_size):
        if apply(request, levels):
            changed.append(request)
    SupportRequest.objects.bulk_update(changed, DUE_FIELDS, batch_size=batch_size)
    return len(changed)


def age_business_days(request: SupportRequest, *, now: dt.datetime | None = None) -> int:
    """経過開庁日数: business days from submission to resolution (or close), or to now while it is open."""
    end = request.resolved_at or request.closed_at
    if request.status in OPEN_STATUSES or end is None:
        end = now or fiscal.timezone.now()
    return fiscal.business_days_between(request.submitted_at, end)


def next_deadline(request: SupportRequest) -> tuple[str, dt.date] | None:
    """The earliest deadline the open request is still waiting on: (field name, date), or None."""
    if request.status not in OPEN_STATUSES:
        return None
    pending = {
        "first_response_due": request.first_response_at is None,
        "triage_due": request.triaged_at is None,
        "resolution_due": True,
    }
    dates = [(getattr(request, name), name) for name, waiting in pending.items() if waiting]
    dates = [(day, name) for day, name in dates if day is not None]
    if not dates:
        return None
    day, name = min(dates)
    return name, day


@dataclass(frozen=True)
class Deadline:
    """One service-level deadline of a request as the detail page and the API show it."""

    name: str  # the date field: first_response_due, triage_due, resolution_due
    label: str
    due: dt.date
    done_at: dt.datetime | None
    state: str  # "met", "late" (done after it), "overdue", "due_today", "pending", "stopped" (closed undone)

    @property
    def is_missed(self) -> bool:
        return self.state in ("late", "overdue")


DONE_AT = {
    "first_response_due": "first_response_at",
    "triage_due": "triaged_at",
    "resolution_due": "resolved_at",
}


def deadlines(request: SupportRequest, *, on: dt.date | None = None) -> list[Deadline]:
    """The request's service-level deadlines with where each stands on the day `on` (today)."""
    on = on or fiscal.today()
    labels = {
        "first_response_due": _("First response due"),
        "triage_due": _("Triage due"),
        "resolution_due": _("Resolution due"),
    }
    rows = []
    for name, done_field in DONE_AT.items():
        due = getattr(request, name)
        if due is None:
            continue
        done_at = getattr(request, done_field)
        if done_at is None and name == "resolution_due" and request.status not in OPEN_STATUSES:
            done_at = request.closed_at
        if done_at is not None:
            state = "met" if fiscal.local_date(done_at) <= due else "late"
        elif request.status not in OPEN_STATUSES:
            state = "stopped"
        elif due < on:
            state = "overdue"
        elif due == on:
            state = "due_today"
        else:
            state = "pending"
        rows.append(Deadline(name=name, label=labels[name], due=due, done_at=done_at, state=state))
    return rows


def context(request: SupportRequest, *, on: dt.date | None = None) -> dict:
    """What the request page shows of its service level: deadlines, age, overdue."""
    on = on or fiscal.today()
    return {
        "deadlines": deadlines(request, on=on),
        "age": age_business_days(request),
        "overdue": request.is_overdue(on),
    }


def waiting_since_cutoff(days: int, *, on: dt.date | None = None) -> dt.datetime:
    """The moment before which a request must have started waiting to have waited at least `days` business days on
    the day `on` (business days counted as in core.fiscal.business_days_between: after the start, up to `on`)."""
    day = (on or fiscal.today()) + dt.timedelta(days=1)
    counted = 0
    while counted < days:
        day -= dt.timedelta(days=1)
        if fiscal.is_business_day(day):
            counted += 1
    return dt.datetime.combine(day, dt.time.min, tzinfo=fiscal.TOKYO)
