"""Certificate-expiry reminders (a scheduled job): the staff member and HR, once per certificate and threshold."""

import datetime as dt

import pytest
from django.core import mail

from core.fiscal import today
from skills import services
from skills.tasks import certificate_expiry_reminders


@pytest.fixture
def expiring(staff_profile):
    def make(days: int, name: str = "情報処理安全確保支援士"):
        return services.certification_add(
            actor=None,
            staff=staff_profile,
            name=name,
            obtained_on=today() - dt.timedelta(days=700),
            expires_on=today() + dt.timedelta(days=days),
        )

    return make


def sent(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return certificate_expiry_reminders.delay(**kwargs).get()


def test_owner_and_hr_are_reminded_once_within_30_days(
    expiring, ict_staff, hr_user, django_capture_on_commit_callbacks
):
    expiring(20)
    expiring(45, name="遠すぎる資格")
    assert sent(django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ict_staff.email, hr_user.email])
    assert all("情報処理安全確保支援士" in m.subject and "30" in m.subject for m in mail.outbox)
    assert sent(django_capture_on_commit_callbacks) == 0  # the next run sends nothing again
    assert len(mail.outbox) == 2


def test_the_7_day_threshold_reminds_again(expiring, ict_staff, hr_user, django_capture_on_commit_callbacks):
    certification = expiring(20)
    sent(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    from skills.services.reminders import certificate_expiry_remind

    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_expiry_remind(on=certification.expires_on - dt.timedelta(days=5)) == 2
    assert all("7" in m.subject for m in mail.outbox) and len(mail.outbox) == 2


def test_an_expired_certificate_is_not_reminded(expiring, hr_user, django_capture_on_commit_callbacks):
    expiring(-1)
    assert sent(django_capture_on_commit_callbacks) == 0 and mail.outbox == []
