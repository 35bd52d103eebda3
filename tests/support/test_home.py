"""Home = what needs me now: per role, counts that open a list of exactly those requests, in a bounded number of
queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.home import home_for
from skills.services.certifications import certification_add
from support import services
from support.filters import RequestFilter
from support.models import Assignment, Priority, ServiceLevel, Status, StatusChange
from tests.support.test_service_levels import filed_on

REFERENCE = re.compile(r"DX-\d{4}-\d{4}")


def _levels():
    services.service_level_save(
        actor=None,
        level=ServiceLevel(
            priority=Priority.NORMAL, first_response_days=2, triage_days=3, resolution_days=20
        ),
    )


def needs(user) -> dict:
    return {item.key: item for card in home_for(user) for item in card.items}


def listed(client, url: str) -> set[str]:
    """The references in the request table the link opens (not the "my assignments" box above it)."""
    content = client.get(url).content.decode()
    return set(REFERENCE.findall(content[content.index("<table") :])) if "<table" in content else set()


def check_link(client, item, expected) -> None:
    assert item.count == len(expected), item.key
    assert listed(client, item.url) == {r.reference for r in expected}, item.key


@pytest.fixture
def world(submit, requester, ict_staff, ict_manager, staff_profile):
    """A requester's organisation with a request in each state that matters on the home page."""
    _levels()
    fresh = submit(title="受付直後", due_date=None)
    late = filed_on(submit(title="遅延", due_date=None), dt.date(2025, 4, 1))
    accepted = services.request_triage(actor=ict_manager, request=submit(title="受理済"), accept=True)
    mine = services.request_triage(actor=ict_manager, request=submit(title="担当中"), accept=True)
    Assignment.objects.create(request=mine, staff=staff_profile, role="lead", allocated_hours_per_week=30)
    mine = services.request_change_status(actor=ict_staff, request=mine, to_status=Status.IN_PROGRESS)
    mine = services.request_change_status(
        actor=ict_staff, request=mine, to_status=Status.WAITING_ON_REQUESTER
    )
    StatusChange.objects.filter(request=mine, to_status=Status.WAITING_ON_REQUESTER).update(
        created=timezone.now() - dt.timedelta(days=30)
    )
    rated = services.request_triage(actor=ict_manager, request=submit(title="解決済"), accept=True)
    Assignment.objects.create(request=rated, staff=staff_profile, role="lead", allocated_hours_per_week=1)
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        rated = services.request_change_status(actor=ict_staff, request=rated, to_status=status)
    return {"fresh": fresh, "late": late, "accepted": accepted, "mine": mine, "rated": rated}


def test_requester_sees_what_waits_on_them(world, requester, client_for, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        found = needs(requester)
    assert set(found) == {"waiting_on_me", "open", "to_rate"}
    client = client_for(requester)
    check_link(client, found["waiting_on_me"], [world["mine"]])
    check_link(client, found["to_rate"], [world["rated"]])
    check_link(client, found["open"], [world[k] for k in ("fresh", "late", "accepted", "mine")])
    page = client.get(reverse("home")).content.decode()
    assert 'data-need="waiting_on_me" data-count="1"' in page
    assert reverse("support:request_create") in page, "the existing cards stay"


def test_manager_sees_triage_unassigned_overdue_and_capacity(
    world, ict_manager, client_for, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        found = needs(ict_manager)
    client = client_for(ict_manager)
    assert found["to_triage"].count == 2 and found["to_triage"].url == reverse("support:triage")
    assert listed(client, found["to_triage"].url) == {world["fresh"].reference, world["late"].reference}
    check_link(client, found["overdue"], [world["late"]])
    assert found["over_capacity"].count == 1  # 31 h of 20
    assert found["follow_up"].count == 0
    if "unassigned" in RequestFilter.base_filters:  # the filter comes with the helpdesk lists (h-lists)
        check_link(client, found["unassigned"], [world["accepted"]])
    assert found["unassigned"].count == 1


def test_low_satisfaction_is_counted_until_followed_up(world, requester, ict_manager, client_for):
    services.satisfaction_submit(actor=requester, request=world["rated"], score=1, comment="遅い")
    found = needs(ict_manager)
    check_link(client_for(ict_manager), found["follow_up"], [world["rated"]])
    services.satisfaction_follow_up_record(actor=ict_manager, request=world["rated"], note="電話で確認")
    assert needs(ict_manager)["follow_up"].count == 0


def test_staff_sees_their_own_work(world, ict_staff, client_for, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = needs(ict_staff)
    assert set(found) == {"my_open", "my_overdue", "my_waiting_long"}
    assert found["my_open"].count == 1 and found["my_overdue"].count == 0
    assert found["my_waiting_long"].count == 1
    if "mine" in RequestFilter.base_filters:  # the filter comes with the helpdesk lists (h-lists)
        client = client_for(ict_staff)
        check_link(client, found["my_open"], [world["mine"]])
        check_link(client, found["my_waiting_long"], [world["mine"]])
    waiting = client_for(ict_staff).get(reverse("support:request_list"), {"waiting_days": 5}).content.decode()
    assert set(REFERENCE.findall(waiting[waiting.index("<table") :])) == {world["mine"].reference}


def test_hr_sees_certifications_single_points_and_validations(
    world, hr_user, ict_staff, staff_profile, client_for, django_assert_max_num_queries
):
    certification_add(
        actor=ict_staff,
        staff=staff_profile,
        name="情報処理安全確保支援士",
        obtained_on=dt.date(2024, 1, 1),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    needs(hr_user)  # computes and stores the coverage figures once
    with django_assert_max_num_queries(6):
        found = needs(hr_user)
    assert set(found) == {"expiring_certifications", "single_points_of_failure", "pending_validations"}
    assert found["expiring_certifications"].count == 1
    assert found["pending_validations"].url == "", "HR reads the count; managers validate"
    page = client_for(hr_user).get(reverse("home")).content.decode()
    assert 'data-need="expiring_certifications" data-count="1"' in page
    assert reverse("support:request_list") not in page, "HR sees no request contents"


def test_query_count_does_not_grow_with_requests(world, submit, ict_manager, django_assert_max_num_queries):
    for _ in range(5):
        submit(title="追加")
    with django_assert_max_num_queries(6):
        needs(ict_manager)
