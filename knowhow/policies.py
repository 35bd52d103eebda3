"""Who may see and do what with know-how: similar requests, the case library, related-request links.

* The case library is for every signed-in user (published cases only; the ICT side also sees withdrawn ones).
* Similar requests: the ICT side sees every past request; anyone else only published cases — and a requester also
  their own organisation's past requests. An unpublished request of another organisation is never shown to them.
* Writing and publishing a case: an ICT manager (or admin), or ICT staff who worked on the request; only once the
  request is resolved or closed. Withdrawing: the same people. Linking requests as related: the ICT side.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, is_ict, is_manager
from core.policies import denied, rule, state_error
from support.models import Status, SupportRequest
from support.policies import sees_all_requests

#: A request is "past" (indexed, may become a case) once it is resolved or closed.
PAST_STATUSES = (Status.RESOLVED, Status.CLOSED)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_cases(user) -> bool:
    return _signed_in(user)


def sees_every_request(user) -> bool:
    """Similar requests of every organisation, with who worked on them, effort and satisfaction."""
    return sees_all_requests(user)


def sees_withdrawn_cases(user) -> bool:
    return is_ict(user)


def similarity_scope(user) -> Q | None:
    """A filter over index postings (`public`, `organization_id`): None = everything (the ICT side)."""
    if sees_every_request(user):
        return None
    scope = Q(public=True)
    if has_role(user, Role.REQUESTER) and user.organization_id is not None:
        scope |= Q(organization_id=user.organization_id)
    return scope


def worked_on(user, request: SupportRequest) -> bool:
    """A manager (or admin), or ICT staff with any assignment to the request, past or present."""
    if not is_ict(user):
        return False
    return is_manager(user) or request.assignments.filter(staff__user=user).exists()


@rule
def can_publish_case(user, request: SupportRequest):
    if not _signed_in(user) or not worked_on(user, request):
        return denied(_("Only the ICT side that worked on the request may publish its case."))
    if request.status not in PAST_STATUSES:
        return state_error("request", _("Publish a case once the request is resolved."), "not_resolved")
    return None


@rule
def can_withdraw_case(user, case):
    if not _signed_in(user) or not worked_on(user, case.request):
        return denied(_("Only the ICT side that worked on the request may withdraw its case."))
    if not case.is_published:
        return state_error(None, _("This case is not published."), "not_published")
    return None


def can_link(user) -> bool:
    return _signed_in(user) and is_ict(user)


@rule
def can_link_requests(user, request: SupportRequest, other: SupportRequest):
    if not can_link(user):
        return denied(_("Only the ICT side links requests."))
    if request.pk == other.pk:
        return state_error("other", _("A request cannot be related to itself."), "same_request")
    return None
