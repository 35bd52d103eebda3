"""Rows for tests/test_access_matrix.py: the inbox, marking notices read, the preferences; every signed-in user has
their own (the demo world writes no notices: `mark_read` first gives the caller one to read)."""

from accounts.models import User
from notifications.models import Notification, NotificationPreference

EVERYONE = {"requester", "ict_staff", "ict_manager", "hr", "admin"}


def _caller(client):
    pk = client.session.get("_auth_user_id")
    return User.objects.filter(pk=pk).first() if pk else None


def one_unread_notice(client, world) -> dict:
    """An unread notice of the caller's (none for an anonymous caller), and the POST marking it read."""
    user = _caller(client)
    if user is None:
        return {"all": "1"}
    notice = Notification.objects.create(recipient=user, kind="status_changed", subject="matrix")
    return {"ids": str(notice.pk)}


def read_count(world):
    return Notification.objects.filter(read_at__isnull=False).count()


def preference_rows(world):
    return sorted(NotificationPreference.objects.values_list("user_id", "kind", "email", "in_app"))


NOTIFICATIONS_URLS = {
    "notifications:inbox": {"allowed": EVERYONE},
    "notifications:mark_read": {
        "method": "post",
        "prepare": one_unread_notice,
        "effect": read_count,
        "allowed": EVERYONE,
    },
    "notifications:preferences": {
        "method": "post",
        "data": {"in_app:status_changed": "on"},  # status changes: inbox only, no mail
        "effect": preference_rows,
        "allowed": EVERYONE,
    },
}


def unread_notices_for_everyone(world) -> dict:
    """An unread notice for every demo user; the mutation then marks the caller's own."""
    for user in world["users"].values():
        Notification.objects.create(recipient=user, kind="status_changed", subject="matrix")
    return {"all": True}


NOTIFICATIONS_GRAPHQL = {
    "notifications": {"query": "query { notifications(first: 5) { totalCount } }", "allowed": EVERYONE},
    "unreadNotificationCount": {"query": "query { unreadNotificationCount }", "allowed": EVERYONE},
    "notificationPreferences": {"query": "query { notificationPreferences { kind } }", "allowed": EVERYONE},
    "markNotificationsRead": {
        "query": "mutation ($all: Boolean) { markNotificationsRead(all: $all) { count errors { code } } }",
        "variables": unread_notices_for_everyone,
        "effect": read_count,
        "allowed": EVERYONE,
    },
    "updateNotificationPreferences": {
        "query": 'mutation { updateNotificationPreferences(preferences: [{kind: "status_changed", email: false, '
        "inApp: true}]) { errors { code } } }",
        "effect": preference_rows,
        "allowed": EVERYONE,
    },
}
