"""Watchers: the requester adds colleagues of their organisation to a request; they see it and are told what the
requester is told (public comments, status changes, resolution) — never an internal note."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from notifications.models import Notification
from support import policies, selectors, services
from support.models import RequestWatcher, Status


@pytest.fixture
def colleague(make_user, ward):
    """A colleague of the requester's 千代田区 with no role of their own: they see only what they watch."""
    return make_user("colleague@example.com", organization=ward, display_name="千代田 次郎")


@pytest.fixture
def watched(in_progress, requester, colleague):
    services.watcher_add(actor=requester, request=in_progress, user=colleague)
    return in_progress


def test_requester_adds_a_colleague_on_the_page(in_progress, requester, colleague, client_for):
    """…and the colleague is told so, in their inbox."""
    client = client_for(requester)
    page = client.get(reverse("support:request_detail", args=[in_progress.reference])).content.decode()
    assert f'<option value="{colleague.pk}">千代田 次郎</option>' in page
    response = client.post(
        reverse("support:watcher_add", args=[in_progress.reference]), {"user": colleague.pk}, follow=True
    )
    assert "千代田 次郎 さんをウォッチャーに追加しました。" in response.content.decode()
    assert RequestWatcher.objects.filter(request=in_progress, user=colleague).exists()
    assert Notification.objects.get(recipient=colleague).kind == "watcher_added"


def test_watcher_sees_the_request_but_not_internal_notes(watched, colleague, ict_staff, client_for):
    services.comment_add(actor=ict_staff, request=watched, body="公開の返信", internal=False)
    services.comment_add(actor=ict_staff, request=watched, body="内部のメモ", internal=True)
    assert policies.can_view_request(colleague, watched)
    assert list(selectors.request_list_for(colleague)) == [watched]
    page = client_for(colleague).get(reverse("support:request_detail", args=[watched.reference]))
    assert page.status_code == 200
    assert "公開の返信" in page.content.decode() and "内部のメモ" not in page.content.decode()


def test_watcher_is_told_of_public_comments_not_internal_notes(
    watched, colleague, ict_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=ict_staff, request=watched, body="内部のメモ", internal=True)
        services.comment_add(actor=ict_staff, request=watched, body="公開の返信", internal=False)
    told = Notification.objects.filter(recipient=colleague).exclude(kind="watcher_added")
    assert list(told.values_list("kind", flat=True)) == ["public_comment"]
    assert "公開の返信" in told.get().body and "内部のメモ" not in told.get().body
    assert [m for m in mail.outbox if m.to == [colleague.email] and "内部のメモ" in m.body] == []
    assert len([m for m in mail.outbox if m.to == [colleague.email]]) == 1


def test_watcher_is_told_of_status_changes_and_resolution_but_the_survey_is_the_requesters(
    watched, requester, colleague, ict_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_change_status(
            actor=ict_staff, request=watched, to_status=Status.WAITING_ON_REQUESTER
        )
        services.request_change_status(actor=ict_staff, request=watched, to_status=Status.IN_PROGRESS)
        services.request_change_status(actor=ict_staff, request=watched, to_status=Status.RESOLVED)
    told = Notification.objects.filter(recipient=colleague).exclude(kind="watcher_added")
    assert list(told.values_list("kind", flat=True)) == ["status_changed"] * 3
    assert Notification.objects.filter(recipient=requester, kind="satisfaction_request").count() == 1


def test_non_colleague_is_refused_and_nothing_changes(in_progress, requester, other_requester, client_for):
    response = client_for(requester).post(
        reverse("support:watcher_add", args=[in_progress.reference]),
        {"user": other_requester.pk},
        follow=True,
    )
    assert "この依頼のウォッチャーにできるのは 千代田区 の有効な職員だけです。" in response.content.decode()
    assert not RequestWatcher.objects.exists()
    assert not policies.can_view_request(other_requester, in_progress)


@pytest.mark.parametrize(
    ("who", "code"),
    [("requester", "is_requester"), ("nobody", "not_colleague"), ("inactive", "not_colleague")],
)
def test_add_refusals_have_codes(in_progress, requester, make_user, ward, who, code):
    gone = make_user("gone@example.com", organization=ward)
    gone.is_active = False
    gone.save()
    user = {"requester": requester, "nobody": None, "inactive": gone}[who]
    with pytest.raises(ValidationError) as refused:
        services.watcher_add(actor=requester, request=in_progress, user=user)
    assert refused.value.error_dict["user"][0].code == code
    assert not RequestWatcher.objects.exists()


def test_adding_twice_is_refused(watched, requester, colleague):
    with pytest.raises(ValidationError) as refused:
        services.watcher_add(actor=requester, request=watched, user=colleague)
    assert refused.value.error_dict["user"][0].code == "already_watching"
    assert RequestWatcher.objects.count() == 1


def test_only_the_requesting_side_manages_watchers(in_progress, colleague, ict_manager, other_requester):
    for actor in (ict_manager, other_requester, colleague):
        with pytest.raises(PermissionDenied):
            services.watcher_add(actor=actor, request=in_progress, user=colleague)
    assert not RequestWatcher.objects.exists()


def test_requester_removes_and_watcher_stops_watching(
    watched, requester, colleague, make_user, ward, client_for
):
    client_for(colleague).post(
        reverse("support:watcher_remove", args=[watched.reference]), {"user": colleague.pk}
    )
    assert not RequestWatcher.objects.exists()
    assert not policies.can_view_request(colleague, watched)
    services.watcher_add(actor=requester, request=watched, user=colleague)
    other = make_user("third@example.com", Role.REQUESTER, organization=ward)
    services.watcher_add(actor=requester, request=watched, user=other)
    # a watcher may not remove someone else
    response = client_for(colleague).post(
        reverse("support:watcher_remove", args=[watched.reference]), {"user": other.pk}
    )
    assert response.status_code == 403 and RequestWatcher.objects.count() == 2
    client_for(requester).post(
        reverse("support:watcher_remove", args=[watched.reference]), {"user": other.pk}
    )
    assert list(RequestWatcher.objects.values_list("user", flat=True)) == [colleague.pk]


def test_a_watcher_who_leaves_the_organisation_no_longer_sees_it(watched, colleague, other_ward):
    colleague.organization = other_ward
    colleague.save()
    assert not policies.can_view_request(colleague, watched)
    assert not selectors.request_list_for(colleague).exists()


def test_watchers_of_a_finished_request_cannot_change(resolved, requester, colleague):
    closed = services.request_change_status(actor=requester, request=resolved, to_status=Status.CLOSED)
    assert closed.status == Status.CLOSED
    with pytest.raises(ValidationError) as refused:
        services.watcher_add(actor=requester, request=closed, user=colleague)
    assert refused.value.error_dict["user"][0].code == "request_finished"
