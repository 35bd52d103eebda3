"""The scheduled auto-close job closes stale resolved requests, once."""

import datetime as dt

from django.utils import timezone

from support.models import Status, SupportRequest
from support.tasks import close_resolved_requests


def test_scheduled_close_closes_a_stale_resolved_request_once(resolved):
    SupportRequest.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - dt.timedelta(days=20))
    assert close_resolved_requests.delay().get() == [resolved.reference]
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED
    assert close_resolved_requests.delay().get() == []


def test_a_recent_resolution_stays_open(resolved):
    assert close_resolved_requests.delay().get() == []
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
