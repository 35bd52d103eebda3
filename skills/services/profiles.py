"""Staff profiles."""

from decimal import Decimal

from django.db import transaction

from core.audit import record
from skills import policies
from skills.models import (
    StaffProfile,
)
from skills.services._common import _allow, _check_date
from skills.services.taxonomy import _value

# --- staff profiles ---------------------------------------------------------------------------------------------


PROFILE_FIELDS = ("kind", "job_type", "grade", "capacity_hours_per_week", "active", "joined_on")


@transaction.atomic
def staff_profile_upsert(*, actor, user, defaults: dict | None = None) -> tuple[StaffProfile, bool]:
    """Create or update the talent-pool profile of a user (managers and admins)."""
    _allow(actor, policies.can_manage_profiles(actor))
    defaults = dict(defaults or {})
    unknown = set(defaults) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown profile fields: {sorted(unknown)}")
    if "joined_on" in defaults and defaults["joined_on"] is not None:
        _check_date(defaults["joined_on"], "joined_on")
    if "capacity_hours_per_week" in defaults and defaults["capacity_hours_per_week"] is not None:
        defaults["capacity_hours_per_week"] = Decimal(str(defaults["capacity_hours_per_week"]))
    profile = StaffProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = StaffProfile(user=user)
    changed = {}
    for field, value in defaults.items():
        if _value(profile, field) != value:
            setattr(profile, field, value)
            changed[field] = str(value.pk if hasattr(value, "pk") else value)
    if created or changed:
        profile.full_clean()
        profile.save()
        record(
            actor=actor,
            verb="staff_profile.create" if created else "staff_profile.update",
            target=profile,
            data={"email": user.email, "changed": changed},
        )
    return profile, created
