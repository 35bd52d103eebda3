"""Who may see or do what with support requests — one rule, one place (DESIGN.md §6).

Everything here is a pure decision over the user and the object; the selectors apply the same rules to querysets.
"""

from accounts.roles import Role, has_role, is_ict, is_manager, is_requester
from support.models import Attachment, Status, SupportRequest


def sees_internal(user) -> bool:
    """Internal notes, internal attachments, effort and allocated hours: the ICT side only."""
    return is_ict(user)


def sees_all_requests(user) -> bool:
    return is_ict(user)


def can_submit(user) -> bool:
    """Requesters (and administrators) file requests for their own organisation."""
    return (
        getattr(user, "is_authenticated", False)
        and user.organization_id is not None
        and has_role(user, Role.REQUESTER, Role.ADMIN)
    )


def can_triage(user) -> bool:
    return is_manager(user)


def is_requesting_side(user, request: SupportRequest) -> bool:
    """A requester of the requesting organisation."""
    return (
        has_role(user, Role.REQUESTER)
        and user.organization_id is not None
        and user.organization_id == request.organization_id
    )


def can_view_request(user, request: SupportRequest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return sees_all_requests(user) or is_requesting_side(user, request)


def _active_assignments(request: SupportRequest):
    prefetched = getattr(request, "active_assignments", None)
    if prefetched is not None:
        return prefetched
    return list(request.assignments.active().select_related("staff__user"))


def is_assigned(user, request: SupportRequest) -> bool:
    return any(a.staff.user_id == user.pk for a in _active_assignments(request))


def can_work_on(user, request: SupportRequest) -> bool:
    """Change status, write internal notes, log effort: a manager, or ICT staff assigned to the request."""
    if not is_ict(user):
        return False
    return is_manager(user) or is_assigned(user, request)


def can_comment(user, request: SupportRequest) -> bool:
    """Public comments: the requesting side, and the ICT side working on the request."""
    return is_requesting_side(user, request) or can_work_on(user, request)


def can_write_internal(user, request: SupportRequest) -> bool:
    return can_work_on(user, request)


def can_attach(user, request: SupportRequest) -> bool:
    return can_comment(user, request) and request.status not in (
        Status.CLOSED,
        Status.REJECTED,
        Status.WITHDRAWN,
    )


def can_edit(user, request: SupportRequest) -> bool:
    """The requester side may edit the request's description until it is triaged; managers while it is open."""
    if is_manager(user):
        return True
    return is_requesting_side(user, request) and request.status == Status.SUBMITTED


def can_withdraw(user, request: SupportRequest) -> bool:
    return is_requesting_side(user, request)


def can_rate(user, request: SupportRequest) -> bool:
    return is_requesting_side(user, request)


def can_view_attachment(user, attachment: Attachment) -> bool:
    return can_view_request(user, attachment.request) and (not attachment.internal or sees_internal(user))


def can_import(user) -> bool:
    return is_manager(user)


__all__ = ["is_requester"]
