"""Who may see and record trainings (研修). Staff see the catalogue and their own completions (on their profile);
HR, ICT managers and admins see everyone's trainings and the aggregates, and record completions."""

from django.utils.translation import gettext_lazy as _

from accounts.roles import is_hr, is_ict, is_manager
from core.policies import denied, rule


def can_view_trainings(user) -> bool:
    """The catalogue and its sessions: the pool and HR."""
    return bool(getattr(user, "is_authenticated", False)) and (is_ict(user) or is_hr(user))


def can_view_training_records(user) -> bool:
    """Who was trained in which skill, and the effect on levels: HR, ICT managers, admins."""
    return is_hr(user) or is_manager(user)


@rule
def can_record_training_completion(user):
    if not can_view_training_records(user):
        return denied(_("Only HR and ICT managers record training completions."))
    return None
