"""Who may see or do what on the digital skill map. The one place for these rules (DESIGN.md §6).

* ICT staff, ICT managers, HR and admins see the skill map (every active staff profile); requesters see none of it.
* Staff self-assess only their own profile; only managers (and admins) validate or record a manager assessment,
  and never on their own self-assessment.
* HR reads and exports but never writes.
* Admins maintain the taxonomy and run imports.

Who may see which profile is written once (`_profiles_seen`) and asked two ways: as a filter the selectors apply
(`profile_scope`) and as a yes/no question (`can_view_profile`; a person's assessments follow their profile);
tests/test_policy_scope_agreement.py proves they agree for every demo role and object. State-dependent rules are
`core.policies.Rule`s (`can_validate_assessment(user, a)` / `.check(actor, a)`).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, is_admin, is_hr, is_ict, is_manager
from core.policies import denied, rule, state_error
from skills.models import AssessmentSource, AssessmentStatus

NOT_PENDING = _("Only a pending self-assessment can be validated.")
OWN_ASSESSMENT = _("You cannot validate your own self-assessment.")
INACTIVE_PROFILE = _("This staff profile is not active.")
NOT_PERMITTED = _("You do not have permission to perform this action.")


def can_view_skill_map(user) -> bool:
    """ICT staff, managers, HR and admins; never a requester only."""
    return bool(getattr(user, "is_authenticated", False)) and (is_ict(user) or is_hr(user))


def can_keep_own_skills(user) -> bool:
    """The "My skills" menu item: members of the ICT side, who have a profile of their own to assess."""
    return can_view_skill_map(user) and is_ict(user)


def can_search_experts(user) -> bool:
    """The expert finder and staff lists: everyone who sees the skill map."""
    return can_view_skill_map(user)


def can_view_all_profiles(user) -> bool:
    """Managers, HR and admins also see inactive (retired) profiles."""
    return is_manager(user) or is_hr(user)


def _profiles_seen(user) -> str | None:
    """The one decision behind "may see this profile": "all", "active" or None (nothing)."""
    if not can_view_skill_map(user):
        return None
    return "all" if can_view_all_profiles(user) else "active"


def profile_scope(user) -> Q:
    """The staff profiles the user may open, as a filter."""
    seen = _profiles_seen(user)
    if seen is None:
        return Q(pk__in=[])
    return Q() if seen == "all" else Q(active=True)


def can_view_profile(user, staff) -> bool:
    seen = _profiles_seen(user)
    return seen == "all" or (seen == "active" and staff.active)


def can_self_assess(user, staff) -> bool:
    """Only the person themselves, on their own active profile, as a member of the ICT side."""
    return (
        staff is not None
        and getattr(user, "is_authenticated", False)
        and staff.user_id == user.pk
        and staff.active
        and has_role(user, Role.ICT_STAFF, Role.ICT_MANAGER, Role.ADMIN)
    )


def can_set_interest(user, staff) -> bool:
    """Wants to learn / can mentor: the person's own flags."""
    return can_self_assess(user, staff)


def can_validate(user) -> bool:
    """Validate self-assessments and record manager assessments: ICT managers and admins."""
    return bool(getattr(user, "is_authenticated", False)) and is_manager(user)


def awaits_validation(assessment) -> bool:
    """A self-assessment nobody has answered yet."""
    return assessment.status == AssessmentStatus.PENDING and assessment.source == AssessmentSource.SELF


@rule
def can_validate_assessment(user, assessment):
    """承認 or 調整: a manager answers someone else's pending self-assessment, while that person is active."""
    if not can_validate(user):
        return denied(NOT_PERMITTED)
    if assessment.staff.user_id == user.pk:
        return denied(OWN_ASSESSMENT)
    if not awaits_validation(assessment):
        return state_error("assessment", NOT_PENDING, "not_pending")
    if not assessment.staff.active:
        return state_error("assessment", INACTIVE_PROFILE, "inactive_profile")
    return None


def can_assess_as_manager(user, staff) -> bool:
    """A manager records their own level for someone else (never for themselves)."""
    return can_validate(user) and staff is not None and staff.user_id != user.pk


def can_add_certification(user, staff) -> bool:
    """The person themselves, or a manager for anyone in the pool."""
    return can_self_assess(user, staff) or can_validate(user)


def can_manage_profiles(user) -> bool:
    """Create or change staff profiles (job type, capacity, grade): managers and admins."""
    return bool(getattr(user, "is_authenticated", False)) and is_manager(user)


def can_edit_taxonomy(user) -> bool:
    """Categories, skills, level wording, job types and target profiles: admins only."""
    return bool(getattr(user, "is_authenticated", False)) and is_admin(user)


def can_export(user) -> bool:
    """Exports of the skill map: managers, HR and admins."""
    return bool(getattr(user, "is_authenticated", False)) and (is_manager(user) or is_hr(user))


def can_import(user) -> bool:
    """Imports: admins only."""
    return can_edit_taxonomy(user)


def can_record_assessment(user, staff) -> bool:
    """A self-assessment on one's own profile, or a manager's assessment of someone else's."""
    return can_self_assess(user, staff) or can_assess_as_manager(user, staff)
