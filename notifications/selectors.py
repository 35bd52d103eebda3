"""Reads: a user's inbox, their unread count, and their preference for each kind."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from notifications import kinds
from notifications.models import Notification, NotificationPreference


def inbox_for(user, *, unread_only: bool = False):
    """The user's own notices: unread first, then newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.unread()
    unread_first = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return rows.order_by(unread_first.desc(), "-created_at", "-id")


def unread_count(user) -> int:
    """One cheap COUNT on the (recipient, read_at) index; remembered on the user for the rest of the request."""
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(user, "_dx_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._dx_unread_notifications = cached
    return cached


def preference_map(user) -> dict[str, tuple[bool, bool]]:
    """kind → (email, in_app) for the kinds the user changed (missing kinds: both on)."""
    return {
        p.kind: (p.email, p.in_app) for p in NotificationPreference.objects.filter(user=user).order_by("kind")
    }


def wants(user, info: kinds.KindInfo) -> tuple[bool, bool]:
    """(by mail, in the inbox) for one kind: essential kinds always both; otherwise the user's choice (default on)."""
    if info.essential:
        return True, True
    row = NotificationPreference.objects.filter(user=user, kind=info.name).first()
    return (True, True) if row is None else (row.email, row.in_app)


def preference_rows(user) -> list[dict]:
    """The preferences table: every registered kind with the user's current choice."""
    chosen = preference_map(user)
    rows = []
    for info in kinds.all_kinds():
        email, in_app = (True, True) if info.essential else chosen.get(info.name, (True, True))
        rows.append({"kind": info, "email": email, "in_app": in_app})
    return rows
