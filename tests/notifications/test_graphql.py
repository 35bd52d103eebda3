"""GraphQL of the inbox, the preferences and the watchers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from notifications.models import Notification, NotificationPreference
from support import services
from support.models import RequestWatcher

INBOX = """query ($unread: Boolean) { unreadNotificationCount
  notifications(first: 50, unreadOnly: $unread) { totalCount edges { node { id subject unread } } } }"""
MARK = """mutation ($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) {
  count unreadCount errors { field code } } }"""
PREFS = """mutation ($p: [NotificationPreferenceInput!]!) { updateNotificationPreferences(preferences: $p) {
  preferences { kind email inApp essential } errors { field code } } }"""
ADD = """mutation ($reference: String!, $email: String, $userId: ID) {
  addRequestWatcher(reference: $reference, email: $email, userId: $userId) {
  supportRequest { watchers { name email } } errors { field code } } }"""


def notice(user, subject="お知らせ", read=False):
    from django.utils import timezone

    return Notification.objects.create(
        recipient=user, kind="status_changed", subject=subject, read_at=timezone.now() if read else None
    )


def test_inbox_lists_only_ones_own_notices(requester, other_requester, gql):
    notice(requester, "未読")
    notice(requester, "既読", read=True)
    notice(other_requester, "他人宛て")
    data = gql(requester).execute(INBOX)["data"]
    assert data["unreadNotificationCount"] == 1
    assert [e["node"]["subject"] for e in data["notifications"]["edges"]] == ["未読", "既読"]
    only_unread = gql(requester).execute(INBOX, {"unread": True})["data"]["notifications"]
    assert only_unread["totalCount"] == 1


def test_inbox_query_count_is_constant(requester, gql):
    notice(requester)
    client = gql(requester)
    with CaptureQueriesContext(connection) as one:
        client.execute(INBOX)
    for number in range(30):
        notice(requester, f"追加{number}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.execute(INBOX)["data"]["notifications"]["edges"]) == 31
    assert len(many.captured_queries) == len(one.captured_queries)


def test_mark_read_by_id_and_all(requester, other_requester, gql):
    mine, other_mine = notice(requester), notice(requester)
    theirs = notice(other_requester)
    client = gql(requester)
    ids = [to_global_id("Notification", mine.pk), to_global_id("Notification", theirs.pk)]
    result = client.execute(MARK, {"ids": ids})["data"]["markNotificationsRead"]
    assert (result["count"], result["unreadCount"], result["errors"]) == (1, 1, [])
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.execute(MARK, {"all": True})["data"]["markNotificationsRead"]["unreadCount"] == 0
    other_mine.refresh_from_db()
    assert other_mine.read_at is not None


def test_mark_read_bad_input_has_codes(requester, gql):
    mine = notice(requester)
    client = gql(requester)
    assert client.execute(MARK, {})["data"]["markNotificationsRead"]["errors"] == [
        {"field": "ids", "code": "nothing_selected"}
    ]
    assert client.execute(MARK, {"ids": ["not-an-id"]})["data"]["markNotificationsRead"]["errors"] == [
        {"field": "ids", "code": "invalid_id"}
    ]
    mine.refresh_from_db()
    assert mine.read_at is None


def test_update_preferences(requester, gql):
    result = gql(requester).execute(PREFS, {"p": [{"kind": "status_changed", "email": False, "inApp": True}]})
    payload = result["data"]["updateNotificationPreferences"]
    assert payload["errors"] == []
    row = next(p for p in payload["preferences"] if p["kind"] == "status_changed")
    assert (row["email"], row["inApp"]) == (False, True)
    assert NotificationPreference.objects.get(user=requester).kind == "status_changed"


def test_update_preferences_refuses_essential_and_unknown_kinds_and_saves_nothing(requester, gql):
    client = gql(requester)
    essential = client.execute(
        PREFS,
        {
            "p": [
                {"kind": "status_changed", "email": False, "inApp": True},
                {"kind": "satisfaction_request", "email": False, "inApp": True},
            ]
        },
    )
    assert essential["data"]["updateNotificationPreferences"]["errors"] == [
        {"field": "preferences", "code": "essential_kind"}
    ]
    unknown = client.execute(PREFS, {"p": [{"kind": "nope", "email": False, "inApp": False}]})
    assert unknown["data"]["updateNotificationPreferences"]["errors"] == [
        {"field": "preferences", "code": "unknown_kind"}
    ]
    assert not NotificationPreference.objects.exists()


def test_add_watcher_and_see_them(in_progress, requester, make_user, ward, gql):
    colleague = make_user("colleague@example.com", organization=ward, display_name="千代田 次郎")
    result = gql(requester).execute(
        ADD, {"reference": in_progress.reference, "email": "colleague@example.com"}
    )
    payload = result["data"]["addRequestWatcher"]
    assert payload["errors"] == []
    assert payload["supportRequest"]["watchers"] == [
        {"name": "千代田 次郎", "email": "colleague@example.com"}
    ]
    seen = gql(colleague).execute(
        "query ($r: String!) { supportRequest(reference: $r) { reference } }", {"r": in_progress.reference}
    )
    assert seen["data"]["supportRequest"]["reference"] == in_progress.reference


def test_add_watcher_refusals(in_progress, requester, other_requester, ict_manager, gql):
    client = gql(requester)
    outsider = client.execute(ADD, {"reference": in_progress.reference, "userId": str(other_requester.pk)})
    assert outsider["data"]["addRequestWatcher"]["errors"] == [{"field": "user", "code": "not_colleague"}]
    unknown = client.execute(ADD, {"reference": in_progress.reference, "email": "nobody@example.com"})
    assert unknown["data"]["addRequestWatcher"]["errors"] == [{"field": "user", "code": "not_colleague"}]
    neither = client.execute(ADD, {"reference": in_progress.reference})
    assert neither["data"]["addRequestWatcher"]["errors"] == [{"field": "userId", "code": "user_required"}]
    forbidden = gql(ict_manager).execute(
        ADD, {"reference": in_progress.reference, "email": "requester@example.com"}
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not RequestWatcher.objects.exists()


def test_request_list_with_watchers_in_constant_queries(submit, requester, make_user, ward, gql):
    query = "query { supportRequests(first: 50) { edges { node { reference watchers { name } } } } }"
    first = submit()
    people = [make_user(f"c{n}@example.com", organization=ward) for n in range(3)]
    services.watcher_add(actor=requester, request=first, user=people[0])
    client = gql(requester)
    with CaptureQueriesContext(connection) as one:
        client.execute(query)
    for person in people[1:]:
        services.watcher_add(actor=requester, request=submit(), user=person)
    with CaptureQueriesContext(connection) as many:
        edges = client.execute(query)["data"]["supportRequests"]["edges"]
    assert len(edges) == 3 and sum(len(e["node"]["watchers"]) for e in edges) == 3
    assert len(many.captured_queries) == len(one.captured_queries)
