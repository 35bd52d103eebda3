"""Staff profiles, scoped to the user."""

from django.db.models import (
    QuerySet,
)

from skills import policies
from skills.models import (
    StaffProfile,
)

# --- staff profiles, scoped to the user ----------------------------------------------------------------------------


def _profiles() -> QuerySet:
    return StaffProfile.objects.select_related("user", "job_type")


def staff_profile_list_for(user) -> QuerySet:
    """Active staff profiles the user may see: ICT staff, managers, HR and admins see the pool; requesters nothing."""
    if not policies.can_view_skill_map(user):
        return StaffProfile.objects.none()
    return _profiles().filter(active=True)


def staff_profile_get_for(user, pk) -> StaffProfile | None:
    """One profile the user may see, or None (not found and forbidden look the same)."""
    queryset = _profiles().filter(policies.profile_scope(user))
    try:
        return queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def staff_profile_by_email_for(user, email: str) -> StaffProfile | None:
    if not email:
        return None
    queryset = _profiles().filter(policies.profile_scope(user))
    return queryset.filter(user__email__iexact=email.strip()).first()


def own_staff_profile(user) -> StaffProfile | None:
    """The signed-in user's own profile (active or not), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _profiles().filter(user_id=user.pk).first()
