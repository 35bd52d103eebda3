"""Capacity over time (稼働可能時間): a person's free hours within a period, in business days (開庁日).

One home for the arithmetic; the calendar is core.fiscal's (weekends, Japanese public holidays, the year-end closure
29 December – 3 January).

* A person's capacity per business day is their weekly capacity ÷ 5.
* An absence (leave or training) takes its hours per day (the whole day when empty, at most the day's capacity) off
  every business day it covers.
* An active assignment commits its hours/week ÷ 5 on every business day within its own period (open-ended on a side
  left empty) — including days the person is away: the work still needs doing, so an absence makes the person *less*
  free, never the assignment lighter.
* free = capacity − absent − allocated, over the business days of the period (negative when overbooked).

A request's period runs from its desired start (today when that is past or empty) to its due date (or
:data:`DEFAULT_PERIOD_WEEKS` later when it has none). The engine works in hours/week: :meth:`Availability.free_per_week`
is the free hours of the period spread over its business days, × 5.

The backlog plan (`plan_periods`) cuts the horizon of all the requests' periods into slices (weeks, merged to at
most :data:`MAX_SLICES`) and counts, per slice, the hours each request needs (its hours/week over the business days
of its own period in the slice) and each person's free hours: requests in different periods use different hours.

The database reads (`availability_for`, `weeks_for`, `plan_periods`) cost two queries whatever the number of people:
active assignments overlapping the window, and absences overlapping it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from core import fiscal
from support.models import Assignment

#: A request without a due date is looked at over this many weeks from its start.
DEFAULT_PERIOD_WEEKS = 4
#: The backlog plan cuts its horizon into at most this many slices (weeks, merged when the horizon is longer).
MAX_SLICES = 26
#: The workload board looks this many weeks ahead.
WEEKS_AHEAD = 8
DAYS_PER_WEEK = 5
ONE_DAY = dt.timedelta(days=1)

Span = tuple[float, dt.date | None, dt.date | None]  # (hours, starts_on, ends_on): hours/week or hours/day


def business_days(start: dt.date, end: dt.date) -> int:
    """Business days from `start` to `end`, both included (0 when end < start)."""
    if end < start:
        return 0
    return fiscal.business_days_between(start - ONE_DAY, end)


def _overlap_days(start: dt.date, end: dt.date, span_start: dt.date | None, span_end: dt.date | None) -> int:
    return business_days(max(start, span_start or start), min(end, span_end or end))


@dataclass(frozen=True, slots=True)
class Availability:
    """A person's hours over a period [starts_on, ends_on] (both included)."""

    starts_on: dt.date
    ends_on: dt.date
    business_days: int
    capacity: float  # hours the person works in the period
    absent: float  # hours of leave and training
    allocated: float  # hours committed to active assignments

    @property
    def free(self) -> float:
        return self.capacity - self.absent - self.allocated

    @property
    def taken(self) -> float:
        """Hours not free: assignments plus leave and training."""
        return self.absent + self.allocated

    @property
    def free_per_week(self) -> float:
        """The period's free hours as hours/week (what the engine compares with a request's hours/week)."""
        return self.free / self.business_days * DAYS_PER_WEEK if self.business_days else 0.0


def availability(
    start: dt.date,
    end: dt.date,
    *,
    capacity_per_week: float,
    assignments: Iterable[Span] = (),
    absences: Iterable[Span] = (),
) -> Availability:
    """A person's availability over [start, end]: `assignments` as (hours/week, starts_on, ends_on), `absences` as
    (hours/day or None for the whole day, starts_on, ends_on)."""
    days = business_days(start, end)
    per_day = max(float(capacity_per_week), 0.0) / DAYS_PER_WEEK
    absent, allocated = _taken(per_day, assignments, absences, lambda s, e: _overlap_days(start, end, s, e))
    return Availability(start, end, days, per_day * days, absent, allocated)


def _taken(
    per_day: float, assignments: Iterable[Span], absences: Iterable[Span], overlap
) -> tuple[float, float]:
    """(absent, allocated) hours over a period; `overlap(starts_on, ends_on)` is a span's business days in it."""
    absent = sum(
        min(per_day, float(hours) if hours is not None else per_day) * overlap(s, e)
        for hours, s, e in absences
    )
    allocated = sum(float(hours) / DAYS_PER_WEEK * overlap(s, e) for hours, s, e in assignments)
    return absent, allocated


def weeks(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The weeks (Monday–Sunday) from `start` to `end`, clipped to them."""
    out = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        out.append((max(monday, start), min(monday + dt.timedelta(days=6), end)))
        monday += dt.timedelta(days=7)
    return out


def request_period(request, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period a request is worked on: desired start (not before today) to due date (or a default length)."""
    today = today or fiscal.today()
    start = max(request.desired_start or today, today)
    end = request.due_date if request.due_date and request.due_date >= start else None
    return start, end or start + dt.timedelta(weeks=DEFAULT_PERIOD_WEEKS) - ONE_DAY


# --- database reads ----------------------------------------------------------------------------------------------


@dataclass
class Calendars:
    """Active assignments and absences per person overlapping a window: two queries."""

    assignments: dict[int, list[Span]]
    absences: dict[int, list[Span]]

    @staticmethod
    def assignment_rows(staff_ids: Iterable[int] | None, start: dt.date, end: dt.date):
        """(staff_id, hours/week, starts_on, ends_on) of the active assignments overlapping [start, end]."""
        overlapping = (Q(starts_on__isnull=True) | Q(starts_on__lte=end)) & (
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )
        assignments = Assignment.objects.active().filter(overlapping)
        if staff_ids is not None:
            assignments = assignments.filter(staff_id__in=list(staff_ids))
        return assignments.order_by().values_list(
            "staff_id", "allocated_hours_per_week", "starts_on", "ends_on"
        )

    @staticmethod
    def absence_rows(staff_ids: Iterable[int] | None, start: dt.date, end: dt.date):
        """(staff_id, hours/day or None, starts_on, ends_on) of the absences overlapping [start, end]."""
        from staffing.models import Absence

        absences = Absence.objects.filter(starts_on__lte=end, ends_on__gte=start)
        if staff_ids is not None:
            absences = absences.filter(staff_id__in=list(staff_ids))
        return absences.order_by().values_list("staff_id", "hours_per_day", "starts_on", "ends_on")

    @classmethod
    def read(cls, staff_ids: Iterable[int] | None, start: dt.date, end: dt.date) -> Calendars:
        if staff_ids is not None:
            staff_ids = list(staff_ids)
        by_assignment: dict[int, list[Span]] = defaultdict(list)
        for staff_id, hours, s, e in cls.assignment_rows(staff_ids, start, end):
            by_assignment[staff_id].append((float(hours), s, e))
        by_absence: dict[int, list[Span]] = defaultdict(list)
        for staff_id, hours, s, e in cls.absence_rows(staff_ids, start, end):
            by_absence[staff_id].append((None if hours is None else float(hours), s, e))
        return cls(dict(by_assignment), dict(by_absence))

    def of(self, staff_id: int, capacity_per_week, start: dt.date, end: dt.date) -> Availability:
        return availability(
            start,
            end,
            capacity_per_week=float(capacity_per_week),
            assignments=self.assignments.get(staff_id, ()),
            absences=self.absences.get(staff_id, ()),
        )

    def weekly(self, staff_id: int, capacity_per_week, start: dt.date, end: dt.date) -> list[Availability]:
        return [self.of(staff_id, capacity_per_week, s, e) for s, e in weeks(start, end)]


def availability_for(
    staff: Sequence[tuple[int, object]], start: dt.date, end: dt.date
) -> dict[int, Availability]:
    """{staff_id: Availability over [start, end]} for (staff_id, capacity/week) pairs: two queries."""
    calendars = Calendars.read([pk for pk, _capacity in staff], start, end)
    return {pk: calendars.of(pk, capacity, start, end) for pk, capacity in staff}


def weeks_ahead(
    staff: Sequence[tuple[int, object]], *, start: dt.date | None = None, count: int = WEEKS_AHEAD
):
    """{staff_id: [Availability per week]} for the next `count` weeks from `start` (today): two queries."""
    start = start or fiscal.today()
    monday = start - dt.timedelta(days=start.weekday())
    end = monday + dt.timedelta(weeks=count) - ONE_DAY
    calendars = Calendars.read([pk for pk, _capacity in staff], monday, end)
    return {pk: calendars.weekly(pk, capacity, monday, end) for pk, capacity in staff}


def allocated_per_week(staff: Sequence[tuple[int, object]], start: dt.date, end: dt.date) -> dict[int, float]:
    """{staff_id: hours/week the person is NOT free within [start, end]} — capacity − free_per_week: what the engine
    reads as "allocated" when it ranks or plans for that period (assignments running then, leave and training).

    Two queries (none without a working day). The same arithmetic as `availability(...).free_per_week`, over the
    whole pool at once (numpy; the ranking asks it for 5,000 people at national scale): each distinct span's
    business days are counted once, the hours summed per person in the order `availability` sums them (so the
    figures are the same to the last bit); people with neither assignments nor absences in the window are 0."""
    days = business_days(start, end)
    if not days:
        return {pk: float(capacity) for pk, capacity in staff}
    counted: dict[tuple, int] = {}

    def overlap(s, e) -> int:
        found = counted.get((s, e))
        if found is None:
            found = counted[s, e] = _overlap_days(start, end, s, e)
        return found

    n = len(staff)
    ids = np.fromiter((pk for pk, _capacity in staff), dtype=np.int64, count=n)
    capacity = np.fromiter((float(c) for _pk, c in staff), dtype=np.float64, count=n)
    per_day = np.maximum(capacity, 0.0) / DAYS_PER_WEEK
    # Assignments as columns, in the order read (the order `availability` sums each person's hours in): no span
    # list per person. Each hour figure is the same float operation as there: float(h) / DAYS_PER_WEEK × days.
    rows = list(Calendars.assignment_rows(None, start, end))
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    who_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    place = np.searchsorted(sorted_ids, who_ids).clip(max=max(n - 1, 0))
    known = sorted_ids[place] == who_ids if n else np.zeros(len(rows), dtype=bool)
    who = order[place[known]] if n else np.zeros(0, dtype=np.int64)
    hours = np.fromiter(
        (
            float(row[1]) / DAYS_PER_WEEK * overlap(row[2], row[3])
            for row, k in zip(rows, known.tolist(), strict=True)
            if k
        ),
        dtype=np.float64,
    )
    allocated = np.bincount(who, weights=hours, minlength=n)
    position = {pk: i for i, pk in enumerate(ids.tolist())}
    absent = np.zeros(n)
    absences: dict[int, list[Span]] = defaultdict(list)
    for pk, h, s, e in Calendars.absence_rows(None, start, end):
        absences[pk].append((None if h is None else float(h), s, e))
    for pk, spans in absences.items():
        i = position.get(pk)
        if i is not None:
            absent[i] = _taken(float(per_day[i]), (), spans, overlap)[0]
    busy = np.zeros(n, dtype=bool)
    busy[who] = True
    busy[[position[pk] for pk in absences if pk in position]] = True
    free = per_day * days - absent - allocated
    out = np.where(busy, capacity - free / days * DAYS_PER_WEEK, 0.0)
    return dict(zip(ids.tolist(), out.tolist(), strict=True))


def slices_of(
    periods: Sequence[tuple[dt.date, dt.date]], max_slices: int = MAX_SLICES
) -> list[tuple[dt.date, dt.date]]:
    """The horizon of `periods` cut at the weeks (Mondays) where a period starts or ends; consecutive weeks are
    merged when there would be more than `max_slices` slices."""
    if not periods:
        return []
    cuts = set()
    for start, end in periods:
        cuts.add(start - dt.timedelta(days=start.weekday()))
        after = end + ONE_DAY
        cuts.add(after + dt.timedelta(days=(7 - after.weekday()) % 7))
    ordered = sorted(cuts)
    ordered[0] = min(start for start, _end in periods)  # not the days of the first week already past
    if len(ordered) - 1 > max_slices:
        step = -(-(len(ordered) - 1) // max_slices)
        ordered = ordered[:-1:step] + [ordered[-1]]
    return [(a, b - ONE_DAY) for a, b in zip(ordered, ordered[1:], strict=False)]


class _SliceDays:
    """Business days of any span within each slice, in O(1) a slice (a running count of business days over the
    horizon): the same counts as :func:`business_days`, for thousands of spans at once."""

    def __init__(self, slices: Sequence[tuple[dt.date, dt.date]]):
        import numpy as np

        self.first, last = slices[0][0], slices[-1][1]
        span = (last - self.first).days + 1
        flags = [fiscal.is_business_day(self.first + dt.timedelta(days=n)) for n in range(span)]
        self.before = np.concatenate([[0], np.cumsum(flags)])  # business days before day n of the horizon
        self.starts = np.array([(a - self.first).days for a, _b in slices])
        self.ends = np.array([(b - self.first).days for _a, b in slices])
        self.size = span

    def overlap(self, start: dt.date | None, end: dt.date | None):
        """Business days of [start, end] (open on a side left empty) within each slice."""
        import numpy as np

        lo = 0 if start is None else max((start - self.first).days, 0)
        hi = self.size - 1 if end is None else min((end - self.first).days, self.size - 1)
        a, b = np.maximum(self.starts, lo), np.minimum(self.ends, hi)
        return np.where(b >= a, self.before[np.minimum(b, self.size - 1) + 1] - self.before[a], 0)


def plan_periods(staff: Sequence[tuple[int, object]], requests: Sequence[tuple[float, dt.date, dt.date]]):
    """Time for the backlog plan: (matching.Periods, {staff_id: hours/week not free over the horizon}).

    `staff`: (staff_id, capacity/week); `requests`: (hours/week, start, end) of each request's own period
    (:func:`request_period`). The same arithmetic as :func:`availability`, slice by slice. Two queries."""
    import numpy as np

    from staffing.matching.model import Periods

    slices = slices_of([(s, e) for _h, s, e in requests])
    capacity = np.array([float(c) for _pk, c in staff], dtype=np.float64)
    if not slices:
        empty = np.zeros((0,))
        return Periods(np.zeros((len(requests), 0)), np.zeros((len(staff), 0)), empty), {
            pk: 0.0 for pk, _c in staff
        }
    counter = _SliceDays(slices)
    days = counter.overlap(None, None).astype(np.float64)
    need = np.array(
        [
            max(float(hours), 0.0) / DAYS_PER_WEEK * counter.overlap(start, end)
            for hours, start, end in requests
        ],
        dtype=np.float64,
    ).reshape(len(requests), len(slices))
    per_day = np.maximum(capacity, 0.0) / DAYS_PER_WEEK
    room = per_day[:, None] * days[None, :]
    calendars = Calendars.read(None, slices[0][0], slices[-1][1])
    for i, (pk, _cap) in enumerate(staff):
        for hours, start, end in calendars.absences.get(pk, ()):
            off = per_day[i] if hours is None else min(per_day[i], float(hours))
            room[i] -= off * counter.overlap(start, end)
        for hours, start, end in calendars.assignments.get(pk, ()):
            room[i] -= float(hours) / DAYS_PER_WEEK * counter.overlap(start, end)
    total_days = days.sum()
    allocated = {
        pk: float(capacity[i]) - (room[i].sum() / total_days * DAYS_PER_WEEK if total_days else 0.0)
        for i, (pk, _cap) in enumerate(staff)
    }
    return Periods(need=need, room=room, days=days), allocated
