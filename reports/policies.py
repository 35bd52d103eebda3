"""Who may see which report (見える化). The one place for these rules (DESIGN.md §6).

* The management dashboard (request figures, satisfaction, the lowest-rated requests to follow up, staff
  utilisation): ICT managers and administrators.
* Skill coverage, demand versus supply and reskilling candidates: HR, ICT managers and administrators. These are
  built from the skill map and from *aggregates* of requests (skill-hours); HR never sees a request's title or
  description.
* Everyone else (requesters, ICT staff) sees neither: pages answer 404 and GraphQL answers FORBIDDEN.
"""

from accounts.roles import Role, has_role, is_manager


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_dashboard(user) -> bool:
    """The management dashboard: ICT managers and admins."""
    return _signed_in(user) and is_manager(user)


def can_view_skill_coverage(user) -> bool:
    """Skill coverage, demand vs supply, reskilling candidates: HR, ICT managers and admins."""
    return _signed_in(user) and has_role(user, Role.HR, Role.ICT_MANAGER, Role.ADMIN)


def sees_request_contents(user) -> bool:
    """Titles and references of individual requests (e.g. lowest-rated ones): the ICT side's managers only."""
    return can_view_dashboard(user)
