"""Service-level alerts (once per request, deadline and threshold) and the daily digest per person."""

import datetime as dt

from core.models import OutboxMessage
from notifications.models import Notification
from support import services, tasks
from support.models import Assignment, Priority, ServiceLevel
from support.services.sla_alerts import sla_alerts_send, sla_digest_send
from tests.support.test_service_levels import filed_on

MONDAY = dt.date(2027, 2, 8)


def _levels():
    services.service_level_save(
        actor=None,
        level=ServiceLevel(
            priority=Priority.NORMAL, first_response_days=2, triage_days=3, resolution_days=20
        ),
    )


def test_alert_goes_once_per_threshold_to_assignees_and_managers(
    submit, staff_profile, ict_manager, ict_staff
):
    _levels()
    request = filed_on(submit(due_date=None), dt.date(2027, 2, 3))  # first response due Fri 5, triage Mon 8
    Assignment.objects.create(request=request, staff=staff_profile, role="lead", allocated_hours_per_week=4)

    assert sla_alerts_send(on=dt.date(2027, 2, 4)) >= 1  # first response due by the next business day
    soon = Notification.objects.filter(kind="sla_due_soon")
    assert {n.recipient for n in soon} == {ict_manager, ict_staff}
    assert soon.filter(recipient=ict_manager).count() == 1, "triage (8 Feb) is not due by Fri 5 Feb"

    assert sla_alerts_send(on=dt.date(2027, 2, 4)) == 0, "the second run tells nobody again"
    assert soon.count() == 2

    sla_alerts_send(on=MONDAY)  # first response missed (overdue), triage due today (due soon)
    assert Notification.objects.filter(kind="sla_overdue", recipient=ict_manager).count() == 1
    assert soon.filter(recipient=ict_manager).count() == 2
    before = OutboxMessage.objects.count()
    assert sla_alerts_send(on=MONDAY) == 0
    assert OutboxMessage.objects.count() == before


def test_an_answered_request_is_not_alerted_about_its_first_response(submit, ict_manager):
    _levels()
    request = filed_on(submit(due_date=None), dt.date(2027, 2, 3))
    services.request_triage(actor=ict_manager, request=request, accept=True)
    assert sla_alerts_send(on=MONDAY) == 0
    assert not Notification.objects.filter(kind__startswith="sla_").exists()


def test_the_task_runs_the_alerts(submit, ict_manager, monkeypatch):
    _levels()
    filed_on(submit(due_date=None), dt.date(2025, 4, 1))
    # Old deadlines are in the digest, not alerted: the look-back window keeps a backlog from flooding anyone.
    assert tasks.sla_alerts() == 0


def test_digest_lists_each_persons_overdue_and_due_today(submit, staff_profile, ict_manager, ict_staff):
    _levels()
    mine = filed_on(submit(title="担当分", due_date=None), dt.date(2027, 2, 1))  # first response due 3 Feb
    other = filed_on(submit(title="他の依頼", due_date=None), dt.date(2027, 2, 4))  # triage due 9 Feb
    Assignment.objects.create(request=mine, staff=staff_profile, role="lead", allocated_hours_per_week=4)

    assert sla_digest_send(on=dt.date(2027, 2, 9)) == 2
    staff_digest = Notification.objects.get(kind="sla_digest", recipient=ict_staff)
    manager_digest = Notification.objects.get(kind="sla_digest", recipient=ict_manager)
    assert mine.reference in staff_digest.body and other.reference not in staff_digest.body
    assert mine.reference in manager_digest.body and other.reference in manager_digest.body
    # One line per request, with its earliest missed deadline: both requests are overdue (first response).
    assert manager_digest.subject == "2027-02-09 の期限：超過 2 件、本日期限 0 件"
    assert staff_digest.subject == "2027-02-09 の期限：超過 1 件、本日期限 0 件"
    assert "初回回答期限" in manager_digest.body

    assert sla_digest_send(on=dt.date(2027, 2, 9)) == 0, "one digest a day"
    assert sla_digest_send(on=dt.date(2027, 2, 11)) == 0, "建国記念の日: no digest on a closed day"


def test_no_digest_when_nothing_is_due(submit, ict_manager):
    _levels()
    filed_on(submit(due_date=None), dt.date(2027, 2, 1))
    assert sla_digest_send(on=dt.date(2027, 2, 2)) == 0
    assert not Notification.objects.filter(kind="sla_digest").exists()


def test_digest_in_english_for_an_english_reader(submit, ict_manager):
    _levels()
    ict_manager.preferred_language = "en"
    ict_manager.save()
    request = filed_on(submit(due_date=None), dt.date(2027, 2, 1))
    sla_digest_send(on=dt.date(2027, 2, 4))
    digest = Notification.objects.get(kind="sla_digest", recipient=ict_manager)
    assert digest.subject == "Your deadlines on 2027-02-04: 1 overdue, 0 due today"
    assert request.reference in digest.body and "First response due" in digest.body
