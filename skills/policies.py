"""Who may see or do what on the digital skill map. The one place for these rules (DESIGN.md §6).

* ICT staff, ICT managers, HR and admins see the skill map (every active staff profile); requesters see none of it.
* Staff self-assess only their own profile; only managers (and admins) validate or record a manager assessment,
  and never on their own self-assessment.
* HR reads and exports but never writes.
* Admins maintain the taxonomy and run imports.
"""

from accounts.roles import Role, has_role, is_admin, is_hr, is_ict, is_manager


def can_view_skill_map(user) -> bool:
    """ICT staff, managers, HR and admins; never a requester only."""
    return bool(getattr(user, "is_authenticated", False)) and (is_ict(user) or is_hr(user))


def can_search_experts(user) -> bool:
    """The expert finder and staff lists: everyone who sees the skill map."""
    return can_view_skill_map(user)


def can_view_all_profiles(user) -> bool:
    """Managers, HR and admins also see inactive (retired) profiles."""
    return is_manager(user) or is_hr(user)


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


def can_validate_assessment(user, assessment) -> bool:
    """A manager may not validate their own self-assessment."""
    return can_validate(user) and assessment.staff.user_id != user.pk


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
