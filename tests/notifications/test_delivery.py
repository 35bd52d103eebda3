"""notifications.services.deliver — the one way the product tells someone something: an inbox notice and a mail,
both in the caller's transaction, as the recipient's preference for the kind says."""

import pytest
from django.core import mail
from django.db import transaction

from core.models import OutboxMessage
from notifications import services
from notifications.models import Notification, NotificationPreference
from skills.services.reminders import certificate_expiry_remind
from support import notifications as support_notifications
from support import services as support_services
from support.models import Status


def test_deliver_writes_the_notice_and_the_mail(requester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.deliver(requester, "status_changed", "件名", "本文", url="/requests/")
    notice = Notification.objects.get(recipient=requester)
    assert (notice.subject, notice.body, notice.url, notice.unread) == ("件名", "本文", "/requests/", True)
    assert delivery.mailed and [m.to for m in mail.outbox] == [[requester.email]]


def test_rolled_back_delivery_leaves_neither_notice_nor_mail(requester):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.deliver(requester, "status_changed", "件名", "本文")
        raise RuntimeError("the caller's change fails")
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_unknown_kind_is_refused(requester):
    with pytest.raises(ValueError):
        services.deliver(requester, "no_such_kind", "件名", "本文")
    assert not Notification.objects.exists()


def test_preferences_are_per_kind_and_per_channel(requester, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=requester, kind="status_changed", email=False, in_app=True)
    NotificationPreference.objects.create(user=requester, kind="public_comment", email=True, in_app=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(requester, "status_changed", "状態", "本文")
        services.deliver(requester, "public_comment", "コメント", "本文")
        services.deliver(requester, "watcher_added", "ウォッチ", "本文")  # no row: both on
    assert sorted(Notification.objects.values_list("subject", flat=True)) == ["ウォッチ", "状態"]
    assert sorted(m.subject for m in mail.outbox) == ["ウォッチ", "コメント"]


def test_essential_kinds_ignore_an_opt_out(ict_staff, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=ict_staff, kind="assigned", email=False, in_app=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(ict_staff, "assigned", "割当", "本文")
    assert Notification.objects.filter(recipient=ict_staff, kind="assigned").count() == 1
    assert len(mail.outbox) == 1


def test_idempotency_key_delivers_once(requester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.deliver(requester, "status_changed", "件名", "本文", idempotency_key="k-1")
        second = services.deliver(requester, "status_changed", "件名", "本文", idempotency_key="k-1")
    assert bool(first) and not bool(second)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_inactive_users_get_nothing_and_users_without_address_only_the_notice(make_user, ward):
    gone = make_user("gone@example.com", "requester", organization=ward)
    gone.is_active = False
    gone.save()
    assert not services.deliver(gone, "status_changed", "件名", "本文")
    silent = make_user("silent@example.com", "requester", organization=ward)
    silent.email = ""
    delivery = services.deliver(silent, "status_changed", "件名", "本文")
    assert delivery.notification is not None and not delivery.mailed
    assert not OutboxMessage.objects.exists()


def test_a_link_that_is_not_ours_is_dropped(requester):
    notice = services.deliver(
        requester, "status_changed", "件名", "本文", url="javascript:alert(1)"
    ).notification
    assert notice.url == ""


def test_every_support_mail_also_lands_in_the_inbox(
    submitted, requester, ict_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        support_services.request_triage(actor=ict_manager, request=submitted, accept=True, priority=2)
    notice = Notification.objects.get(recipient=requester, kind="triage_decision")
    assert submitted.reference in notice.subject
    assert notice.url == f"/requests/{submitted.reference}/"
    assert notice.target_id == str(submitted.pk)
    assert [m.subject for m in mail.outbox] == [notice.subject]


def test_satisfaction_request_reaches_a_requester_who_opted_out_of_everything(
    in_progress, requester, ict_staff, client_for, django_capture_on_commit_callbacks
):
    """Opting out of every optional mail and notice (the preferences page) never suppresses the satisfaction request."""
    client_for(requester).post("/notifications/preferences/", {})  # every box unticked
    assert NotificationPreference.objects.filter(user=requester, email=True).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        support_services.request_change_status(
            actor=ict_staff, request=in_progress, to_status=Status.RESOLVED
        )
    assert Notification.objects.filter(recipient=requester, kind="satisfaction_request").count() == 1
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert support_notifications.KINDS["satisfaction_request"].essential


def test_certificate_reminders_go_through_the_inbox_once(ict_staff, django_capture_on_commit_callbacks):
    import datetime as dt

    from skills.models import Certification, StaffProfile

    profile = StaffProfile.objects.create(user=ict_staff, capacity_hours_per_week=20)
    Certification.objects.create(
        staff=profile, name="応用情報技術者", obtained_on=dt.date(2020, 1, 1), expires_on=dt.date(2027, 1, 20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_expiry_remind(on=dt.date(2027, 1, 1)) == 1
        assert certificate_expiry_remind(on=dt.date(2027, 1, 1)) == 0
    notice = Notification.objects.get(recipient=ict_staff)
    assert notice.kind == "certificate_expiry" and "応用情報技術者" in notice.subject
    assert len(mail.outbox) == 1
