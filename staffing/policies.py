"""Who may see or do what in staffing (assignment by skill). The one place for these rules (DESIGN.md §6).

* ICT managers (and admins) see candidates, team proposals, the backlog plan and the workload board, and assign or
  release staff.
* ICT staff see their own assignments and their own load ("my assignments").
* HR and requesters see none of it: staff workload is never shown to requesters, in any channel.
"""

from accounts.roles import is_ict, is_manager
from support.models import Status

#: A request can be staffed only while it is being worked on.
STAFFABLE_STATUSES = (Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_staff(user) -> bool:
    """Candidates, team proposals, assigning and releasing: ICT managers and admins."""
    return _signed_in(user) and is_manager(user)


def can_plan_backlog(user) -> bool:
    """The backlog plan and applying it: ICT managers and admins."""
    return can_staff(user)


def can_view_workload(user) -> bool:
    """The workload board (everyone's load): ICT managers and admins."""
    return can_staff(user)


def can_view_own_assignments(user) -> bool:
    """ "My assignments": members of the ICT side (their own, through their staff profile)."""
    return _signed_in(user) and is_ict(user)


def can_be_staffed(request) -> bool:
    """Triaged, in-progress and waiting requests take assignments; others (submitted, resolved …) do not."""
    return request.status in STAFFABLE_STATUSES


def can_view_availability(user, staff=None) -> bool:
    """A person's availability over time (free hours per week, absences, assignments): ICT managers and admins for
    anyone; an ICT staff member for themselves only. HR and requesters never (staff workload stays on the ICT side).
    Without `staff`: whether the user may look at anyone's at all."""
    if can_staff(user):
        return True
    if not can_view_own_assignments(user):
        return False
    return staff is None or getattr(staff, "user_id", None) == user.pk


def can_edit_team_rules(user) -> bool:
    """Team rules (チーム編成ルール) are data the ICT managers and admins keep."""
    return can_staff(user)
