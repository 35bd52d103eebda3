"""Service levels (サービスレベル): due dates in business days (開庁日), the most specific level, overdue, the list's
filter and sort, and the request page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.fiscal import TOKYO
from seeds.reference_support import load_service_levels
from support import services, sla
from support.models import Priority, ServiceLevel, Status, SupportRequest


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def level(priority=Priority.NORMAL, category=None, days=(2, 3, 20)):
    first, triage, resolution = days
    return services.service_level_save(
        actor=None,
        level=ServiceLevel(
            priority=priority,
            category=category,
            first_response_days=first,
            triage_days=triage,
            resolution_days=resolution,
        ),
    )


def filed_on(request, day: dt.date, hour: int = 10):
    """Move a request's submission to `day` and recompute its due dates as the service would have."""
    SupportRequest.objects.filter(pk=request.pk).update(submitted_at=at(day, hour))
    sla.recompute(SupportRequest.objects.filter(pk=request.pk))
    request.refresh_from_db()
    return request


def test_filed_before_the_year_end_closure_is_due_after_it(categories):
    three = ServiceLevel(priority=Priority.NORMAL, first_response_days=1, triage_days=3, resolution_days=3)
    due = sla.due_dates(at(dt.date(2026, 12, 28)), three)
    # 29 Dec – 3 Jan closed (with the weekend of 2–3 Jan): Mon 4, Tue 5, Wed 6 January.
    assert due == {
        "first_response_due": dt.date(2027, 1, 4),
        "triage_due": dt.date(2027, 1, 6),
        "resolution_due": dt.date(2027, 1, 6),
    }


def test_golden_week_does_not_count(categories):
    three = ServiceLevel(priority=Priority.NORMAL, first_response_days=1, triage_days=3, resolution_days=3)
    # Filed Wed 28 Apr 2027: 29 Apr 昭和の日, weekend, 3–5 May holidays → Fri 30 Apr, Thu 6, Fri 7 May.
    due = sla.due_dates(at(dt.date(2027, 4, 28)), three)
    assert due["first_response_due"] == dt.date(2027, 4, 30)
    assert due["resolution_due"] == dt.date(2027, 5, 7)


def test_filed_on_a_saturday_late_at_night_counts_from_tokyo_date(categories):
    one = ServiceLevel(priority=Priority.NORMAL, first_response_days=1, triage_days=1, resolution_days=1)
    friday_night_utc = dt.datetime(2027, 1, 8, 16, 30, tzinfo=dt.UTC)  # Sat 9 Jan 01:30 in Tokyo
    # Mon 11 Jan 2027 is 成人の日: the first business day after is Tue 12 Jan.
    assert sla.due_dates(friday_night_utc, one)["first_response_due"] == dt.date(2027, 1, 12)


def test_a_submitted_request_gets_its_priority_level(submit):
    level(Priority.NORMAL, days=(2, 3, 20))
    request = filed_on(submit(), dt.date(2026, 12, 28))
    assert request.first_response_due == dt.date(2027, 1, 5)
    assert request.triage_due == dt.date(2027, 1, 6)
    assert request.resolution_due == dt.date(2027, 2, 1)  # 20 business days: from 4 Jan, 11 Jan a holiday


def test_the_categorys_own_level_beats_the_priority_default(submit, category):
    level(Priority.NORMAL, days=(2, 3, 20))
    level(Priority.NORMAL, category=category, days=(1, 1, 5))
    request = filed_on(submit(), dt.date(2027, 2, 1))
    assert request.resolution_due == dt.date(2027, 2, 8)  # 5 business days: the category's level


def test_no_level_no_due_dates(submit):
    request = submit()
    assert (request.first_response_due, request.triage_due, request.resolution_due) == (None, None, None)
    assert sla.deadlines(request) == []


def test_triage_with_another_priority_moves_the_due_dates(submit, ict_manager):
    level(Priority.NORMAL, days=(2, 3, 20))
    level(Priority.URGENT, days=(1, 1, 5))
    request = filed_on(submit(), dt.date(2027, 2, 1))
    assert request.resolution_due == dt.date(2027, 3, 3)  # 11 and 23 Feb are holidays
    triaged = services.request_triage(
        actor=ict_manager, request=request, accept=True, priority=Priority.URGENT
    )
    triaged.refresh_from_db()
    assert triaged.resolution_due == dt.date(2027, 2, 8)


def test_changing_a_level_recomputes_the_open_requests(submit, admin_user):
    normal = level(Priority.NORMAL, days=(2, 3, 20))
    request = filed_on(submit(), dt.date(2027, 2, 1))
    normal.resolution_days = 10
    services.service_level_save(actor=admin_user, level=normal, changed=["resolution_days"])
    request.refresh_from_db()
    assert request.resolution_due == dt.date(2027, 2, 16)


def test_only_administrators_edit_levels(ict_manager):
    with pytest.raises(Exception) as refused:
        services.service_level_save(
            actor=ict_manager,
            level=ServiceLevel(priority=1, first_response_days=1, triage_days=1, resolution_days=1),
        )
    assert refused.type.__name__ == "PermissionDenied"
    assert not ServiceLevel.objects.exists()


def test_resolution_cannot_be_due_before_triage(admin_user):
    with pytest.raises(ValidationError) as error:
        level(days=(1, 5, 3))
    assert error.value.error_dict["resolution_days"][0].code == "resolution_before_triage"


def test_reference_levels_load_once_and_cover_every_priority(categories):
    assert load_service_levels()["service levels created"] == 4 + 3
    assert load_service_levels()["service levels created"] == 0
    assert set(ServiceLevel.objects.filter(category=None).values_list("priority", flat=True)) == set(
        Priority.values
    )


def test_overdue_is_the_pending_deadline_passed(submit, ict_manager):
    level(Priority.NORMAL, days=(2, 3, 20))
    request = filed_on(submit(due_date=None), dt.date(2027, 2, 1))  # first response due 3 Feb, triage 4 Feb
    assert not request.is_overdue(dt.date(2027, 2, 3)), "due today is not overdue yet"
    assert request.missed_deadlines(dt.date(2027, 2, 4)) == ["first_response_due"]
    assert SupportRequest.objects.overdue(dt.date(2027, 2, 4)).filter(pk=request.pk).exists()
    services.request_triage(actor=ict_manager, request=request, accept=True)  # answers and triages it
    request.refresh_from_db()
    assert not request.is_overdue(dt.date(2027, 2, 10))
    assert not SupportRequest.objects.overdue(dt.date(2027, 2, 10)).filter(pk=request.pk).exists()
    assert request.missed_deadlines(dt.date(2027, 3, 3)) == []
    assert request.missed_deadlines(dt.date(2027, 3, 4)) == ["resolution_due"]
    SupportRequest.objects.filter(pk=request.pk).update(status=Status.RESOLVED)
    request.refresh_from_db()
    assert not request.is_overdue(dt.date(2027, 3, 4))


def test_age_counts_business_days(submit):
    request = filed_on(submit(), dt.date(2026, 12, 25))
    SupportRequest.objects.filter(pk=request.pk).update(
        status=Status.RESOLVED, resolved_at=at(dt.date(2027, 1, 6))
    )
    request.refresh_from_db()
    assert sla.age_business_days(request) == 4  # 28 Dec, then 4, 5 and 6 Jan (29 Dec – 3 Jan closed)


def test_list_filters_overdue_and_due_before_and_sorts_by_resolution_due(client_for, ict_manager, submit):
    level(Priority.NORMAL, days=(2, 3, 20))
    late = filed_on(submit(title="遅延", due_date=None), dt.date(2025, 4, 1))
    soon = submit(title="最近", due_date=None)
    later = filed_on(submit(title="来月", due_date=None), soon.submitted_at.date() + dt.timedelta(days=30))
    client = client_for(ict_manager)
    page = client.get(reverse("support:request_list"), {"overdue": "on"}).content.decode()
    assert late.reference in page and soon.reference not in page and later.reference not in page
    page = client.get(reverse("support:request_list"), {"due_before": soon.resolution_due.isoformat()})
    content = page.content.decode()
    assert late.reference in content and soon.reference in content and later.reference not in content
    content = client.get(reverse("support:request_list"), {"sort": "resolution_due"}).content.decode()
    assert content.index(late.reference) < content.index(soon.reference) < content.index(later.reference)
    content = client.get(reverse("support:request_list"), {"sort": "-resolution_due"}).content.decode()
    assert content.index(later.reference) < content.index(soon.reference) < content.index(late.reference)


def test_the_request_page_shows_due_dates_age_and_overdue(client_for, requester, submit):
    level(Priority.NORMAL, days=(2, 3, 20))
    request = filed_on(submit(due_date=None), dt.date(2025, 4, 1))
    page = (
        client_for(requester)
        .get(reverse("support:request_detail", args=[request.reference]))
        .content.decode()
    )
    assert 'id="overdue-badge"' in page
    assert 'data-deadline="resolution_due" data-state="overdue"' in page
    assert request.resolution_due.isoformat() in page
    fresh = submit(due_date=None)
    page = (
        client_for(requester).get(reverse("support:request_detail", args=[fresh.reference])).content.decode()
    )
    assert 'id="overdue-badge"' not in page and 'data-state="pending"' in page


def test_an_administrator_edits_a_level_in_the_admin_and_open_requests_follow(
    client_for, admin_user, submit, category
):
    from core.models import AuditEvent

    level(Priority.NORMAL, days=(2, 3, 20))
    request = filed_on(submit(due_date=None), dt.date(2027, 2, 1))
    url = reverse("admin:support_servicelevel_add")
    data = {
        "priority": Priority.NORMAL,
        "category": category.pk,
        "first_response_days": 1,
        "triage_days": 1,
        "resolution_days": 5,
    }
    assert client_for(admin_user).post(url, data).status_code == 302
    request.refresh_from_db()
    assert request.resolution_due == dt.date(2027, 2, 8), "the category's new level applies at once"
    assert AuditEvent.objects.filter(verb="service_level.create").count() == 2
    refused = client_for(admin_user).post(url, {**data, "triage_days": 9})
    assert refused.status_code == 200 and ServiceLevel.objects.count() == 2, (
        "one level per priority and category"
    )


def test_overdue_at_a_past_moment_counts_what_was_done_by_then(submit, ict_manager):
    from support.models import overdue_q

    level(Priority.NORMAL, days=(2, 3, 20))
    request = filed_on(submit(due_date=None), dt.date(2027, 2, 1))  # first response due 3 Feb, triage 4 Feb
    SupportRequest.objects.filter(pk=request.pk).update(
        status=Status.TRIAGED, first_response_at=at(dt.date(2027, 2, 10)), triaged_at=at(dt.date(2027, 2, 10))
    )

    def overdue_at(day):
        moment = at(day, 23)
        return SupportRequest.objects.filter(overdue_q(day, at=moment), pk=request.pk).exists()

    assert overdue_at(dt.date(2027, 2, 5)), "unanswered then, past its first-response deadline"
    assert not overdue_at(dt.date(2027, 2, 12)), "answered and triaged by then; resolution due 3 Mar"
    assert overdue_at(dt.date(2027, 3, 4))
