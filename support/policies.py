"""Who may see or do what with support requests — one rule, one place (DESIGN.md §6).

Each rule answers the whole question: the actor's role, their organisation and the request's state now. Rules that
depend on the state are `core.policies.Rule`s: `can_rate(user, r)` answers yes/no for buttons and resolvers, and
`can_rate.check(actor, r)` raises the refusal in the services (PermissionDenied: not yours to do — 403/FORBIDDEN;
ValidationError with a code: not now — a message). Who may *see* what is written once as a filter (`request_scope`,
`entry_scope`) that the selectors apply to querysets, and the matching yes/no questions
(`can_view_request`, `can_view_entry`) are derived from the same decision; tests/test_policy_scope_agreement.py proves they agree
for every demo role and object. Status moves are support.lifecycle's table, asked through `can_move`.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, is_admin, is_ict, is_manager
from core.policies import denied, rule, state_error
from support.models import Attachment, Comment, SatisfactionResponse, Status, SupportRequest

#: Statuses in which the requester may still withdraw (before work starts).
WITHDRAWABLE = (Status.SUBMITTED, Status.TRIAGED)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _finished(request: SupportRequest) -> bool:
    from support.lifecycle import TERMINAL  # the lifecycle asks these policies who plays which part

    return request.status in TERMINAL


# --- seeing ------------------------------------------------------------------------------------------------------

ALL = "all"


def organizations_seen(user) -> frozenset[int]:
    """The organisations whose requests a requester sees (DESIGN §6, the organisation hierarchy):

    their own organisation; and, when their account carries `sees_suborganizations` (a bureau's or municipality's
    DX lead who oversees it), every organisation below it — its departments or sections, and theirs. Never a
    sibling (another department of the same bureau) and never a parent: a 福祉局 企画部 requester does not see
    福祉局's requests. Seeing is all it widens: editing, withdrawing, commenting and rating stay with the filing
    organisation (`is_requesting_side`). Decided once per request (cached on the user: one query, only for the
    accounts that carry the right)."""
    cached = getattr(user, "_dx_organizations_seen", None)
    if cached is None:
        if user.sees_suborganizations:
            from accounts.selectors import descendant_ids

            cached = descendant_ids(user.organization_id)
        else:
            cached = frozenset({user.organization_id})
        user._dx_organizations_seen = cached
    return cached


def _requests_seen(user):
    """The one decision behind every "may see this request": ALL, a set of organisation ids, or None (nothing)."""
    if not _signed_in(user):
        return None
    if is_ict(user):
        return ALL
    if has_role(user, Role.REQUESTER) and user.organization_id is not None:
        return organizations_seen(user)
    return None


def request_scope(user, prefix: str = "") -> Q:
    """The requests the user may see, as a filter (`prefix` "request__" for rows that belong to a request)."""
    seen = _requests_seen(user)
    if seen == ALL:
        return Q()
    if seen is None:
        return Q(**{f"{prefix}pk__in": []})
    if len(seen) == 1:
        return Q(**{f"{prefix}organization_id": next(iter(seen))})
    return Q(**{f"{prefix}organization_id__in": sorted(seen)})


def can_view_request(user, request: SupportRequest) -> bool:
    seen = _requests_seen(user)
    return seen == ALL or (seen is not None and request.organization_id in seen)


def sees_internal(user) -> bool:
    """Internal notes, internal attachments, effort and allocated hours: the ICT side only."""
    return _requests_seen(user) == ALL


def sees_all_requests(user) -> bool:
    return _requests_seen(user) == ALL


def entry_scope(user) -> Q:
    """Comments and attachments the user may read: on a request they see; internal ones only for the ICT side."""
    scope = request_scope(user, prefix="request__")
    return scope if sees_internal(user) else scope & Q(internal=False)


def can_view_entry(user, entry: Comment | Attachment) -> bool:
    """The same rule as `entry_scope`, for one comment or attachment (the download asks it)."""
    return can_view_request(user, entry.request) and (not entry.internal or sees_internal(user))


# --- parts people play -------------------------------------------------------------------------------------------


def can_submit(user) -> bool:
    """Requesters (and administrators) file requests for their own organisation."""
    return (
        _signed_in(user) and user.organization_id is not None and has_role(user, Role.REQUESTER, Role.ADMIN)
    )


def can_list_requests(user) -> bool:
    """The request list: the ICT side (every request), requesters (their organisation's) and whoever may file."""
    return _requests_seen(user) is not None or can_submit(user) or has_role(user, Role.REQUESTER)


def can_triage(user) -> bool:
    """The triage queue and the manager's tools on a request (required skills, priority)."""
    return is_manager(user)


def can_import(user) -> bool:
    return is_manager(user)


def can_save_view(user, list_name: str) -> bool:
    """Saved views of a list: whoever may open that list (the request list, or the managers' triage queue)."""
    from support.models import SavedViewList

    if list_name == SavedViewList.TRIAGE:
        return can_triage(user)
    return list_name == SavedViewList.REQUESTS and can_list_requests(user)


def can_bulk_update(user) -> bool:
    """Bulk actions on the request lists (assign, change priority, close several requests at once): ICT managers.
    Each row still goes through its own service, which asks that request's rule (staffing, edit, lifecycle)."""
    return _signed_in(user) and is_manager(user)


@rule
def can_edit_categories(user):
    """The request categories (支援区分) are reference data: administrators maintain them."""
    if not is_admin(user):
        return denied(_("Only administrators maintain the request categories."))
    return None


@rule
def can_edit_service_levels(user):
    """The service levels (サービスレベル) are reference data: administrators maintain them."""
    if not is_admin(user):
        return denied(_("Only administrators maintain the service levels."))
    return None


def can_export(user) -> bool:
    return sees_all_requests(user)


def is_requesting_side(user, request: SupportRequest) -> bool:
    """A requester of the requesting organisation."""
    return (
        has_role(user, Role.REQUESTER)
        and user.organization_id is not None
        and user.organization_id == request.organization_id
    )


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


def can_write_internal(user, request: SupportRequest) -> bool:
    return can_work_on(user, request)


def takes_part(user, request: SupportRequest) -> bool:
    """In the conversation: the requesting side, and the ICT side working on the request."""
    return is_requesting_side(user, request) or can_work_on(user, request)


# --- acting on one request now -----------------------------------------------------------------------------------


def _not_now(request: SupportRequest, field: str, message, code: str):
    """Refused because of the request's status now; the message names the status."""
    return state_error(field, message, code, status=request.get_status_display())


@rule
def can_triage_request(user, request: SupportRequest):
    """Accept or reject: managers, while the request is submitted."""
    if not can_triage(user):
        return denied(_("Only ICT managers triage requests."))
    if request.status != Status.SUBMITTED:
        return _not_now(
            request,
            "status",
            _("Only a submitted request can be triaged; this one is “%(status)s”."),
            "not_submitted",
        )
    return None


@rule
def can_edit(user, request: SupportRequest):
    """The requesting side edits what they filed while it is submitted; managers edit while it is open."""
    if is_manager(user):
        if not request.is_open:
            return state_error(
                None, _("A closed, rejected or withdrawn request cannot be edited."), "not_open"
            )
        return None
    if is_requesting_side(user, request) and request.status == Status.SUBMITTED:
        return None
    return denied(_("You may not edit this request now."))


@rule
def can_withdraw(user, request: SupportRequest):
    """The requesting side, before work starts."""
    if not is_requesting_side(user, request):
        return denied(_("Only the requesting organisation withdraws a request."))
    if request.status not in WITHDRAWABLE:
        return _not_now(
            request,
            "status",
            _("A request can be withdrawn only before work starts; this one is “%(status)s”."),
            "work_started",
        )
    return None


def _is_rated(request: SupportRequest) -> bool:
    try:
        return request.satisfaction is not None
    except SatisfactionResponse.DoesNotExist:
        return False


@rule
def can_rate(user, request: SupportRequest):
    """The requesting side rates a resolved request, once."""
    if not is_requesting_side(user, request):
        return denied(_("Only the requesting organisation rates a request."))
    if _is_rated(request):
        return state_error("score", _("This request has already been rated."), "already_rated")
    if request.status != Status.RESOLVED:
        return _not_now(
            request,
            "score",
            _("Only a resolved request can be rated; this one is “%(status)s”."),
            "not_resolved",
        )
    return None


def can_follow_up_ratings(user) -> bool:
    """Satisfaction follow-ups are the ICT managers' work."""
    return is_manager(user)


@rule
def can_follow_up(user, request: SupportRequest):
    """Record what was done about a rating (usually a low one): ICT managers, once the request has been rated.
    Follow-ups are the ICT side's notes: only the ICT side reads them."""
    if not can_follow_up_ratings(user):
        return denied(_("Only ICT managers record satisfaction follow-ups."))
    if not _is_rated(request):
        return state_error("note", _("This request has not been rated yet."), "not_rated")
    return None


@rule
def can_comment(user, request: SupportRequest, internal: bool = False):
    """Public comments: the requesting side and the ICT side working on it, until the request is finished.
    Internal notes: the ICT side working on it, at any time."""
    if internal and not can_write_internal(user, request):
        return denied(_("Only the ICT side working on the request writes internal notes."))
    if not takes_part(user, request):
        return denied(_("You may not comment on this request."))
    if not internal and _finished(request):
        return _not_now(
            request,
            "body",
            _("The request is “%(status)s”; it no longer takes comments."),
            "request_finished",
        )
    return None


@rule
def can_attach(user, request: SupportRequest, internal: bool = False):
    """Files: whoever may comment, while the request is not finished; internal files as internal notes."""
    if internal and not can_write_internal(user, request):
        return denied(_("Only the ICT side working on the request adds internal attachments."))
    if not takes_part(user, request) or _finished(request):
        return denied(_("You may not add files to this request."))
    return None


@rule
def can_log_effort(user, request: SupportRequest):
    if not can_work_on(user, request):
        return denied(_("Only ICT staff working on the request log effort."))
    return None


@rule
def can_move(user, request: SupportRequest, to_status: str, note: str = ""):
    """A status change (reopen, resolve, close …): support.lifecycle's table says who may make which move."""
    from support import lifecycle

    if not lifecycle.actors_of(user, request):
        return denied(_("You have no part in this request."))
    try:
        lifecycle.check_transition(user, request, to_status, note=note)
    except ValidationError as refusal:
        return refusal
    return None
