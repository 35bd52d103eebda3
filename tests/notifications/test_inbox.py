"""The inbox page, the unread badge in the navigation and the preferences table on the profile page."""

import re

from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationPreference


def notice(user, subject="お知らせ", read=False, kind="status_changed"):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        subject=subject,
        body="本文",
        url="/requests/",
        read_at=timezone.now() if read else None,
    )


def test_inbox_lists_own_notices_unread_first(requester, other_requester, client_for):
    notice(requester, "件名-古い")
    notice(requester, "件名-読んだ", read=True)
    notice(requester, "件名-新しい")
    notice(other_requester, "他人宛て")
    page = client_for(requester).get(reverse("notifications:inbox")).content.decode()
    assert page.index("件名-新しい") < page.index("件名-古い") < page.index("件名-読んだ")
    assert "他人宛て" not in page


def test_unread_count_in_the_navigation_with_accessible_text(requester, client_for):
    for _ in range(3):
        notice(requester)
    page = client_for(requester).get(reverse("home")).content.decode()
    nav = re.search(r'<a [^>]*id="nav-notifications".*?</a>', page, re.S).group(0)
    assert '<span class="visually-hidden">（未読 3 件）</span>' in nav
    assert '<span class="badge rounded-pill bg-white text-dark" aria-hidden="true">3</span>' in nav


def test_no_badge_without_unread_notices(requester, client_for):
    notice(requester, read=True)
    page = client_for(requester).get(reverse("home")).content.decode()
    nav = re.search(r'<a [^>]*id="nav-notifications".*?</a>', page, re.S).group(0)
    assert "未読" not in nav and "badge" not in nav


def test_mark_one_as_read(requester, client_for):
    first, second = notice(requester), notice(requester)
    response = client_for(requester).post(reverse("notifications:mark_read"), {"ids": str(first.pk)})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_all_as_read(requester, client_for):
    for _ in range(2):
        notice(requester)
    client_for(requester).post(reverse("notifications:mark_read"), {"all": "1"})
    assert not Notification.objects.filter(recipient=requester, read_at__isnull=True).exists()


def test_someone_elses_notice_is_not_marked(requester, other_requester, client_for):
    theirs = notice(other_requester)
    client_for(requester).post(reverse("notifications:mark_read"), {"ids": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_without_a_choice_says_so(requester, client_for):
    mine = notice(requester)
    response = client_for(requester).post(reverse("notifications:mark_read"), {}, follow=True)
    assert "既読にするお知らせを選んでください。" in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_read_refuses_get(requester, client_for):
    assert client_for(requester).get(reverse("notifications:mark_read")).status_code == 405


def test_inbox_pages_25_at_a_time(requester, client_for):
    for number in range(30):
        notice(requester, f"お知らせ{number:02d}")
    client = client_for(requester)
    first = client.get(reverse("notifications:inbox")).content.decode()
    second = client.get(reverse("notifications:inbox") + "?page=2").content.decode()
    assert first.count('class="list-group-item') == 25 and second.count('class="list-group-item') == 5
    assert "30 件のお知らせ" in first


def test_inbox_query_count_is_flat(requester, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(requester)
    notice(requester)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:inbox"))
    for number in range(40):
        notice(requester, f"追加{number}", read=number % 2 == 0)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200


def test_nav_counts_unread_in_one_query(requester, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notice(requester)
    with CaptureQueriesContext(connection) as queries:
        client_for(requester).get(reverse("notifications:inbox"))
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "notifications_notification" in q["sql"] and "COUNT" in q["sql"]
    ]
    # one for the badge (remembered for the page's "mark all" button), one for the page's total
    assert len(counts) == 2


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- preferences on the profile page ------------------------------------------------------------------------------


def test_profile_shows_preferences_with_essential_kinds_disabled(requester, client_for):
    page = client_for(requester).get(reverse("accounts:profile")).content.decode()
    table = re.search(r'<form [^>]*id="notification-preferences".*?</form>', page, re.S).group(0)
    essential = re.search(r'<input[^>]*name="email:satisfaction_request"[^>]*>', table).group(0)
    assert "disabled" in essential and "checked" in essential
    assert "常に送信されます" in table
    optional = re.search(r'<input[^>]*name="email:status_changed"[^>]*>', table).group(0)
    assert "disabled" not in optional and "checked" in optional


def test_saving_preferences_per_kind(requester, client_for):
    client = client_for(requester)
    response = client.post(
        reverse("notifications:preferences"),
        {"in_app:status_changed": "on", "email:public_comment": "on", "in_app:public_comment": "on"},
    )
    assert response.status_code == 302
    mine = {p.kind: (p.email, p.in_app) for p in NotificationPreference.objects.filter(user=requester)}
    assert mine["status_changed"] == (False, True)
    assert mine["public_comment"] == (True, True)
    assert "satisfaction_request" not in mine  # essential: never stored as off
    page = client.get(reverse("accounts:profile")).content.decode()
    assert re.search(r'<input[^>]*name="email:status_changed"(?![^>]*checked)[^>]*>', page)


def test_essential_kind_cannot_be_switched_off_by_the_service(requester):
    import pytest
    from django.core.exceptions import ValidationError

    from notifications.services import notification_preferences_update

    with pytest.raises(ValidationError) as refused:
        notification_preferences_update(actor=requester, preferences={"satisfaction_request": (False, True)})
    assert refused.value.error_dict["preferences"][0].code == "essential_kind"
    assert not NotificationPreference.objects.exists()
