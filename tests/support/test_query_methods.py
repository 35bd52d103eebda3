"""The one definition of each shared rule (overdue, active assignment, allocated hours, valid certificate): the
queryset form and the instance form agree, and every channel that shows the rule reads the same answer."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from skills.models import Certification, StaffProfile
from skills.selectors import available_hours_expression
from support.models import Assignment, Status, SupportRequest


def test_overdue_is_open_and_past_due(submit):
    late = submit(due_date=dt.date(2027, 1, 10))
    on_time = submit(due_date=dt.date(2027, 2, 10))
    no_date = submit(due_date=None)
    closed = submit(due_date=dt.date(2027, 1, 10))
    SupportRequest.objects.filter(pk=closed.pk).update(status=Status.WITHDRAWN)
    closed.refresh_from_db()

    day = dt.date(2027, 1, 20)
    overdue = set(SupportRequest.objects.overdue(day).values_list("pk", flat=True))

    assert overdue == {late.pk}
    for request in (late, on_time, no_date, closed):
        assert request.is_overdue(day) == (request.pk in overdue)
    assert not late.is_overdue(dt.date(2027, 1, 10)), "due today is not overdue yet"


def test_active_assignments_and_allocated_hours(assigned, staff_profile, ict_manager, submit):
    other = submit()
    released = Assignment.objects.create(
        request=other, staff=staff_profile, role="member", allocated_hours_per_week=6, assigned_by=ict_manager
    )
    Assignment.objects.filter(pk=released.pk).update(released_at=timezone.now())

    mine = Assignment.objects.filter(staff=staff_profile)
    assert mine.count() == 2
    assert list(mine.active().values_list("request_id", flat=True)) == [assigned.pk]
    assert mine.active().allocated_hours() == Decimal("4")
    assert Assignment.objects.none().allocated_hours() == 0


def test_available_hours_in_the_skill_map_come_from_the_assignments(assigned, staff_profile):
    # skills never imports support: support registers its query method when it loads (support/apps.py)
    row = StaffProfile.objects.annotate(available=available_hours_expression()).get(pk=staff_profile.pk)
    assert row.available == Decimal("16")


def test_certificate_validity_agrees_between_queryset_and_instance(staff_profile):
    day = dt.date(2026, 6, 1)
    certificates = [
        Certification.objects.create(staff=staff_profile, name=name, obtained_on=obtained, expires_on=expires)
        for name, obtained, expires in [
            ("no expiry", dt.date(2020, 4, 1), None),
            ("expires that day", dt.date(2020, 4, 1), day),
            ("expired", dt.date(2020, 4, 1), dt.date(2026, 5, 31)),
            ("not yet obtained", dt.date(2026, 6, 2), None),
        ]
    ]
    valid = set(Certification.objects.valid_on(day).values_list("name", flat=True))
    assert valid == {"no expiry", "expires that day"}
    for certificate in certificates:
        assert certificate.is_valid_on(day) == (certificate.name in valid)
    expiring = set(Certification.objects.expiring(day, 30).values_list("name", flat=True))
    assert expiring == {"expires that day"}
