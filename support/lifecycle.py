"""The request lifecycle of DESIGN.md §4 — the one place that decides what may follow what, and who may do it.

    submitted → triaged → in_progress ⇄ waiting_on_requester → resolved → closed
    submitted/triaged → rejected (manager, with a reason)     submitted/triaged → withdrawn (requesting side)
    resolved → in_progress (reopen)                             waiting_on_requester → resolved

Actors:
* ``manager``   — an ICT manager (or administrator);
* ``worker``    — ICT staff assigned to the request, or a manager;
* ``requester`` — a requester of the requesting organisation;
* ``system``    — scheduled jobs (closing a resolved request 14 days after resolution without a rating).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from support import policies
from support.models import Status, SupportRequest

MANAGER, WORKER, REQUESTER, SYSTEM = "manager", "worker", "requester", "system"

# from status → {to status: actors allowed}
ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    Status.SUBMITTED: {
        Status.TRIAGED: frozenset({MANAGER}),
        Status.REJECTED: frozenset({MANAGER}),
        Status.WITHDRAWN: frozenset({REQUESTER}),
    },
    Status.TRIAGED: {
        Status.IN_PROGRESS: frozenset({WORKER}),
        Status.REJECTED: frozenset({MANAGER}),
        Status.WITHDRAWN: frozenset({REQUESTER}),
    },
    Status.IN_PROGRESS: {
        Status.WAITING_ON_REQUESTER: frozenset({WORKER}),
        Status.RESOLVED: frozenset({WORKER}),
    },
    Status.WAITING_ON_REQUESTER: {
        Status.IN_PROGRESS: frozenset({WORKER, REQUESTER}),
        Status.RESOLVED: frozenset({WORKER}),
    },
    Status.RESOLVED: {
        Status.IN_PROGRESS: frozenset({WORKER, REQUESTER}),
        Status.CLOSED: frozenset({WORKER, REQUESTER, SYSTEM}),
    },
    Status.CLOSED: {},
    Status.REJECTED: {},
    Status.WITHDRAWN: {},
}

TERMINAL = frozenset(status for status, targets in ALLOWED.items() if not targets)
#: Transitions that need a note saying why.
NOTE_REQUIRED = frozenset({Status.REJECTED})
#: Days after resolution without a rating before a request closes itself.
AUTO_CLOSE_DAYS = 14


def actors_of(user, request: SupportRequest) -> frozenset[str]:
    """The lifecycle roles a user plays on one request (None = the system)."""
    if user is None:
        return frozenset({SYSTEM})
    roles = set()
    if policies.can_triage(user):
        roles.add(MANAGER)
    if policies.can_work_on(user, request):
        roles.add(WORKER)
    if policies.is_requesting_side(user, request):
        roles.add(REQUESTER)
    return frozenset(roles)


def allowed_targets(user, request: SupportRequest) -> list[str]:
    """The statuses this user may move the request to now, in lifecycle order."""
    mine = actors_of(user, request)
    return [target for target, actors in ALLOWED.get(request.status, {}).items() if actors & mine]


def check_transition(user, request: SupportRequest, to_status: str, *, note: str = "") -> None:
    """Raise a ValidationError with a specific, translatable message when the move is not allowed."""
    if to_status not in Status.values:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("“%(status)s” is not a status."), code="unknown_status", params={"status": to_status}
                )
            }
        )
    current = request.status
    labels = {"from": Status(current).label, "to": Status(to_status).label}
    if to_status == current:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("The request is already “%(to)s”."), code="same_status", params=labels
                )
            }
        )
    targets = ALLOWED.get(current, {})
    if current in TERMINAL:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("A request that is “%(from)s” cannot change any more."),
                    code="terminal_status",
                    params=labels,
                )
            }
        )
    if to_status not in targets:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("A request cannot go from “%(from)s” to “%(to)s”."),
                    code="invalid_transition",
                    params=labels,
                )
            }
        )
    if not targets[to_status] & actors_of(user, request):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("You may not move this request from “%(from)s” to “%(to)s”."),
                    code="transition_not_permitted",
                    params=labels,
                )
            }
        )
    if to_status in NOTE_REQUIRED and not note.strip():
        raise ValidationError(
            {"note": ValidationError(_("Give the requester a reason."), code="reason_required")}
        )
