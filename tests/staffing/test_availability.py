"""Capacity over time: free hours within a period, counted in business days (開庁日) with Japanese holidays and the
year-end closure, less leave and training days and the hours of assignments running in the period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from staffing import absences, availability, calendar, services
from staffing.models import Absence, AbsenceKind
from support.models import AssignmentRole, SupportRequest
from tests.conftest import codes

D = dt.date


def test_a_period_over_golden_week_has_fewer_free_hours_than_a_normal_fortnight():
    golden = availability.availability(D(2026, 4, 27), D(2026, 5, 8), capacity_per_week=40)
    normal = availability.availability(D(2026, 5, 11), D(2026, 5, 22), capacity_per_week=40)
    # 29 April (昭和の日), 4–6 May (みどりの日, こどもの日, 振替休日) are holidays: 6 business days, not 10.
    assert (golden.business_days, golden.free) == (6, 48.0)
    assert (normal.business_days, normal.free) == (10, 80.0)


def test_the_year_end_closure_is_not_working_time():
    # 28 Dec 2026 (Mon) … 8 Jan 2027 (Fri): 29 Dec – 3 Jan closed, so 28 Dec and 4–8 Jan only.
    period = availability.availability(D(2026, 12, 28), D(2027, 1, 8), capacity_per_week=20)
    assert period.business_days == 6
    assert period.free == pytest.approx(24.0)


def test_leave_and_half_day_training_reduce_availability():
    leave = (None, D(2026, 6, 1), D(2026, 6, 2))  # two whole days
    training = (4, D(2026, 6, 4), D(2026, 6, 4))  # half a day of TDA training
    weekend_leave = (None, D(2026, 6, 6), D(2026, 6, 7))  # Saturday and Sunday cost nothing
    week = availability.availability(
        D(2026, 6, 1), D(2026, 6, 5), capacity_per_week=40, absences=[leave, training, weekend_leave]
    )
    assert (week.capacity, week.absent, week.free) == (40.0, 20.0, 20.0)
    assert week.free_per_week == 20.0


def test_assignments_count_only_within_their_own_period():
    before = (10, D(2026, 5, 1), D(2026, 5, 29))  # ended before the period
    open_ended = (8, None, None)
    starting_midweek = (10, D(2026, 6, 3), None)  # Wed–Fri: 3 of the 5 days
    week = availability.availability(
        D(2026, 6, 1), D(2026, 6, 5), capacity_per_week=40, assignments=[before, open_ended, starting_midweek]
    )
    assert week.allocated == pytest.approx(8 + 6)
    assert week.free == pytest.approx(40 - 14)


def test_a_request_period_runs_from_its_desired_start_to_its_due_date():
    class R:
        desired_start, due_date = D(2026, 6, 1), D(2026, 6, 30)

    assert availability.request_period(R, today=D(2026, 5, 1)) == (D(2026, 6, 1), D(2026, 6, 30))
    # Started already: from today; no due date: four weeks.
    R.desired_start, R.due_date = D(2026, 4, 1), None
    assert availability.request_period(R, today=D(2026, 5, 1)) == (D(2026, 5, 1), D(2026, 5, 28))


@pytest.mark.django_db
def test_an_assignment_runs_over_the_requests_period_by_default(
    make_request, make_staff, ict_manager, skills
):
    request = make_request(required=[("security", 2, False)])
    SupportRequest.objects.filter(pk=request.pk).update(desired_start=D(2026, 6, 1), due_date=D(2026, 7, 31))
    request.refresh_from_db()
    person = make_staff("a@example.com", capacity=20, levels={"security": 3})
    assignment = services.assignment_create(
        actor=ict_manager, request=request, staff=person, role=AssignmentRole.LEAD, hours=5
    )
    assert (assignment.starts_on, assignment.ends_on) == (D(2026, 6, 1), D(2026, 7, 31))
    # In August the person is free again; in June they are not.
    june = availability.availability_for([(person.pk, 20)], D(2026, 6, 1), D(2026, 6, 5))[person.pk]
    august = availability.availability_for([(person.pk, 20)], D(2026, 8, 3), D(2026, 8, 7))[person.pk]
    assert (june.allocated, august.allocated) == (5.0, 0.0)


@pytest.mark.django_db
def test_released_assignments_and_other_peoples_leave_do_not_count(
    make_request, make_staff, ict_manager, django_assert_num_queries
):
    request = make_request(required=[("security", 2, False)])
    a = make_staff("a@example.com", capacity=20, levels={"security": 3})
    b = make_staff("b@example.com", capacity=20)
    assignment = services.assignment_create(actor=ict_manager, request=request, staff=a, hours=5)
    services.assignment_release(actor=ict_manager, assignment=assignment)
    absences.absence_save(
        actor=ict_manager, absence=Absence(staff=b, starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 5))
    )
    with django_assert_num_queries(2):
        result = availability.availability_for([(a.pk, 20), (b.pk, 20)], D(2026, 6, 1), D(2026, 6, 5))
    assert result[a.pk].free == 20.0
    assert result[b.pk].free == 0.0


@pytest.mark.django_db
def test_recording_leave_is_for_managers_and_audited(make_staff, ict_staff, ict_manager):
    person = make_staff("a@example.com")
    with pytest.raises(PermissionDenied):
        absences.absence_save(
            actor=ict_staff, absence=Absence(staff=person, starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 1))
        )
    assert not Absence.objects.exists()
    absences.absence_save(
        actor=ict_manager, absence=Absence(staff=person, starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 1))
    )
    assert AuditEvent.objects.filter(verb="absence.save", target_id=str(person.pk)).exists()


CSV_OK = (
    "email,starts_on,ends_on,kind,hours_per_day,note\n"
    "a@example.com,2026-06-01,2026-06-03,training,4,TDA\n"
    "a@example.com,2026-08-10,2026-08-14,leave,,夏季休暇\n"
)


@pytest.mark.django_db
def test_a_leave_calendar_is_imported_once_and_a_bad_row_changes_nothing(make_staff, ict_manager):
    make_staff("a@example.com")
    bad = (
        CSV_OK
        + "a@example.com,2026-09-10,2026-09-01,leave,,\nnobody@example.com,2026-09-01,2026-09-01,leave,,\n"
    )
    report = absences.run_import(actor=ict_manager, content=bad.encode(), filename="a.csv", dry_run=False)
    assert not Absence.objects.exists()
    assert {line.row for line in report.lines if line.action == "rejected"} == {4, 5}
    absences.run_import(actor=ict_manager, content=CSV_OK.encode(), filename="a.csv", dry_run=False)
    training = Absence.objects.get(kind=AbsenceKind.TRAINING)
    assert (training.starts_on, training.hours_per_day) == (D(2026, 6, 1), Decimal("4.0"))
    absences.run_import(actor=ict_manager, content=CSV_OK.encode(), filename="a.csv", dry_run=False)
    assert Absence.objects.count() == 2


AVAILABILITY = """query($staff: ID!, $from: Date, $to: Date) {
  staffAvailability(staff: $staff, from: $from, to: $to) {
    total { businessDays capacity absent allocated free }
    weeks { startsOn businessDays free }
    absences { kind startsOn }
  }
}"""


@pytest.mark.django_db
def test_staff_availability_by_role(gql, own_staff, make_staff, ict_manager, ict_staff, hr_user, requester):
    other = make_staff("other@example.com", capacity=40)
    absences.absence_save(
        actor=ict_manager, absence=Absence(staff=other, starts_on=D(2026, 4, 30), ends_on=D(2026, 5, 1))
    )
    golden = {"staff": "other@example.com", "from": "2026-04-27", "to": "2026-05-10"}
    result = gql(ict_manager).execute(AVAILABILITY, golden)
    data = result["data"]["staffAvailability"]
    # 6 business days × 8 h, less two days of leave.
    assert data["total"] == {
        "businessDays": 6,
        "capacity": 48.0,
        "absent": 16.0,
        "allocated": 0.0,
        "free": 32.0,
    }
    assert [w["businessDays"] for w in data["weeks"]] == [4, 2]  # 29 April; 4–6 May
    assert data["absences"] == [{"kind": "LEAVE", "startsOn": "2026-04-30"}]
    # A staff member sees their own, not a colleague's; HR and requesters see none.
    own = gql(ict_staff).execute(AVAILABILITY, {**golden, "staff": "staff@example.com"})
    assert own["data"]["staffAvailability"]["total"]["businessDays"] == 6
    assert codes(gql(ict_staff).execute(AVAILABILITY, golden)) == ["NOT_FOUND"]
    assert codes(gql(hr_user).execute(AVAILABILITY, golden)) == ["FORBIDDEN"]
    assert codes(gql(requester).execute(AVAILABILITY, golden)) == ["FORBIDDEN"]


@pytest.mark.django_db
def test_staff_availability_refuses_a_backwards_period(gql, own_staff, ict_manager):
    result = gql(ict_manager).execute(
        AVAILABILITY, {"staff": "staff@example.com", "from": "2026-05-10", "to": "2026-05-01"}
    )
    assert codes(result) == ["INVALID_PERIOD"]


@pytest.mark.django_db
def test_the_board_looks_eight_weeks_ahead_in_two_queries(make_staff, django_assert_num_queries):
    people = [make_staff(f"p{i}@example.com", capacity=40) for i in range(3)]
    with django_assert_num_queries(2):
        ahead = calendar.board_weeks(people)
    assert all(len(weeks) == 8 for weeks in ahead.values())


@pytest.mark.django_db
def test_a_person_on_leave_over_the_requests_period_is_not_offered(make_request, make_staff, ict_manager):
    from staffing import selectors

    request = make_request(required=[("security", 2, False)])
    # Golden Week 2027 and the days around it: the request runs 26 April – 7 May.
    SupportRequest.objects.filter(pk=request.pk).update(desired_start=D(2027, 4, 26), due_date=D(2027, 5, 7))
    away = make_staff("away@example.com", capacity=20, levels={"security": 5})
    make_staff("here@example.com", capacity=20, levels={"security": 3})
    absences.absence_save(
        actor=ict_manager,
        absence=Absence(staff=away, starts_on=D(2027, 4, 26), ends_on=D(2027, 5, 7), kind=AbsenceKind.LEAVE),
    )
    loaded = selectors.request_for_staffing(ict_manager, request.reference)
    assert [c.staff.user.email for c in selectors.candidates_for(ict_manager, loaded)] == ["here@example.com"]
    # Asked for everyone, the away person shows with no room (their 20 h/week are all taken by leave then).
    everyone = selectors.candidates_for(ict_manager, loaded, include_full=True)
    away_row = next(c for c in everyone if c.staff.user.email == "away@example.com")
    assert (away_row.has_room, away_row.allocated) == (False, 20.0)


@pytest.mark.django_db
def test_the_workload_board_shows_the_weeks_ahead_with_leave(client_for, make_staff, ict_manager):
    import re

    from django.urls import reverse

    from core.fiscal import today

    person = make_staff("a@example.com", capacity=20)
    monday = today() - dt.timedelta(days=today().weekday()) + dt.timedelta(weeks=2)
    absences.absence_save(
        actor=ict_manager,
        absence=Absence(staff=person, starts_on=monday, ends_on=monday + dt.timedelta(days=4)),
    )
    page = client_for(ict_manager).get(reverse("staffing:workload")).content.decode()
    assert 'id="weeks-ahead"' in page
    row = re.search(r"a</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert len(cells) == 8
    capacity = availability.business_days(monday, monday + dt.timedelta(days=4)) * 4.0
    assert cells[2] == f"{capacity:.1f} / {capacity:.1f}"  # the whole week on leave


@pytest.mark.django_db
def test_the_pool_wide_hours_taken_agree_with_each_persons_availability(
    make_request, make_staff, ict_manager, django_assert_num_queries
):
    """allocated_per_week (the ranking's and the plan's, over the whole pool at once) is capacity − free_per_week
    of `availability` for each person: assignments of their own periods, leave, half-day training, both, neither."""
    request = make_request(required=[("security", 2, False)])
    other = make_request(required=[("security", 2, False)])
    busy = make_staff("busy@example.com", capacity=30)
    away = make_staff("away@example.com", capacity=20)
    both = make_staff("both@example.com", capacity=7)
    idle = make_staff("idle@example.com", capacity=40)
    services.assignment_create(actor=ict_manager, request=request, staff=busy, hours=5)
    services.assignment_create(actor=ict_manager, request=other, staff=busy, hours=3)
    services.assignment_create(actor=ict_manager, request=other, staff=both, hours=4)
    absences.absence_save(
        actor=ict_manager, absence=Absence(staff=away, starts_on=D(2026, 6, 3), ends_on=D(2026, 6, 9))
    )
    absences.absence_save(
        actor=ict_manager,
        absence=Absence(
            staff=both,
            starts_on=D(2026, 6, 1),
            ends_on=D(2026, 6, 2),
            kind=AbsenceKind.TRAINING,
            hours_per_day=Decimal(4),
        ),
    )
    staff = [(p.pk, p.capacity_hours_per_week) for p in (busy, away, both, idle)]
    start, end = D(2026, 6, 1), D(2026, 6, 19)
    with django_assert_num_queries(2):
        taken = availability.allocated_per_week(staff, start, end)
    each = availability.availability_for(staff, start, end)
    assert taken == {pk: float(capacity) - each[pk].free_per_week for pk, capacity in staff}
    assert taken[idle.pk] == 0.0 and taken[away.pk] == pytest.approx(20 * 5 / 15)
    # Any order of the people, and people left out (their assignments count for no one else); no one at all.
    assert availability.allocated_per_week(staff[::-1], start, end) == taken
    assert availability.allocated_per_week(staff[1:], start, end) == {pk: taken[pk] for pk, _c in staff[1:]}
    assert availability.allocated_per_week([], start, end) == {}
    assert availability.allocated_per_week(
        staff, D(2026, 6, 6), D(2026, 6, 7)
    ) == {  # a weekend: no working day
        pk: float(capacity) for pk, capacity in staff
    }
