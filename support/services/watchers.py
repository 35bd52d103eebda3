"""Watchers: colleagues of the requesting organisation whom a requester adds to a request."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record
from support import notifications, policies
from support.models import RequestWatcher, SupportRequest


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError({"user": ValidationError(message, code=code, params=params or None)})


@transaction.atomic
def watcher_add(*, actor, request: SupportRequest, user) -> RequestWatcher:
    """Add `user` (an active colleague of the requesting organisation) as a watcher; they are told so."""
    policies.can_manage_watchers.check(actor, request)
    if user is None or not user.is_active or user.organization_id != request.organization_id:
        raise _refuse(
            _("Only active colleagues of %(organization)s can watch this request."),
            "not_colleague",
            organization=request.organization.name,
        )
    if user.pk == request.requester_id:
        raise _refuse(_("The requester is told about the request already."), "is_requester")
    if RequestWatcher.objects.filter(request=request, user=user).exists():
        raise _refuse(_("%(name)s already watches this request."), "already_watching", name=user.label)
    watcher = RequestWatcher.objects.create(request=request, user=user, added_by=actor)
    record(actor=actor, verb="request.watcher_add", target=request, data={"user_id": user.pk})
    notifications.notify("watcher_added", request, [user], {"actor": actor, "added_by": actor})
    return watcher


@transaction.atomic
def watcher_remove(*, actor, request: SupportRequest, user) -> None:
    """Remove a watcher (the requesting side), or stop watching (the watcher themselves)."""
    policies.can_remove_watcher.check(actor, request, user)
    deleted, _rows = RequestWatcher.objects.filter(request=request, user=user).delete()
    if not deleted:
        raise _refuse(_("This person does not watch the request."), "not_watching")
    record(actor=actor, verb="request.watcher_remove", target=request, data={"user_id": user.pk})
