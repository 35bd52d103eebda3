"""Reads about time: one person's availability over a period (per week, with their absences and assignments) and
the workload board's weeks ahead. The arithmetic is staffing.availability's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from skills import selectors as skills_selectors
from skills.models import StaffProfile
from staffing import policies
from staffing.availability import WEEKS_AHEAD, Availability, Calendars, weeks, weeks_ahead
from staffing.models import Absence
from support.models import Assignment

#: The longest period one availability query covers.
MAX_DAYS = 366


@dataclass(frozen=True)
class StaffAvailability:
    staff: StaffProfile
    total: Availability
    weeks: list[Availability]
    absences: list[Absence]
    assignments: list[Assignment]


def find_staff_for_availability(user, *, pk=None, email: str | None = None) -> StaffProfile | None:
    """A staff profile whose availability the user may see, or None (not found and forbidden look the same)."""
    if not policies.can_view_availability(user):
        return None
    if email:
        staff = skills_selectors.staff_profile_by_email_for(user, email)
    elif pk is not None:
        staff = skills_selectors.staff_profile_get_for(user, pk)
    else:
        staff = None
    return staff if staff is not None and policies.can_view_availability(user, staff) else None


def staff_availability_for(
    user, staff: StaffProfile, start: dt.date, end: dt.date
) -> StaffAvailability | None:
    """`staff`'s free hours from `start` to `end` per week, with the absences and active assignments overlapping
    it; None when the user may not see them. Four queries."""
    if not policies.can_view_availability(user, staff):
        return None
    if end < start or (end - start).days >= MAX_DAYS:
        raise ValueError("period")
    calendars = Calendars.read([staff.pk], start, end)
    capacity = staff.capacity_hours_per_week
    overlapping = (Q(starts_on__isnull=True) | Q(starts_on__lte=end)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )
    return StaffAvailability(
        staff=staff,
        total=calendars.of(staff.pk, capacity, start, end),
        weeks=[calendars.of(staff.pk, capacity, s, e) for s, e in weeks(start, end)],
        absences=list(Absence.objects.filter(staff=staff, starts_on__lte=end, ends_on__gte=start)),
        assignments=list(
            Assignment.objects.active()
            .filter(overlapping, staff=staff)
            .select_related("request")
            .order_by("starts_on", "pk")
        ),
    )


def board_weeks(profiles, *, count: int = WEEKS_AHEAD) -> dict[int, list[Availability]]:
    """The workload board's weeks ahead for the people shown: {staff_id: [allocated vs capacity per week]}. Two
    queries."""
    return weeks_ahead([(p.pk, p.capacity_hours_per_week) for p in profiles], count=count)
