"""The validation queue, assessment lists, exports and expiring certifications."""

import datetime as dt

from django.db.models import (
    QuerySet,
)

from accounts.roles import is_hr
from core.fiscal import today as local_today
from skills import policies
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    SkillAssessment,
    StaffProfile,
)
from skills.selectors.profiles import staff_profile_list_for
from skills.selectors.skill_map import assessment_history

# --- the validation queue ---------------------------------------------------------------------------------------


def pending_validations() -> QuerySet:
    """Self-assessments of active staff that nobody has validated or adjusted yet (承認待ち)."""
    return SkillAssessment.objects.filter(
        status=AssessmentStatus.PENDING, source=AssessmentSource.SELF, staff__active=True
    )


def validation_queue_for(user) -> QuerySet:
    """Pending self-assessments of the (one) talent pool that this manager may validate: never their own."""
    if not policies.can_validate(user):
        return SkillAssessment.objects.none()
    return (
        pending_validations()
        .exclude(staff__user_id=user.pk)
        .select_related(
            "staff", "staff__user", "staff__job_type", "skill", "skill__category", "evidence_certification"
        )
        .order_by("assessed_on", "id")
    )


def assessment_get_for_validation(user, pk) -> SkillAssessment | None:
    try:
        return validation_queue_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def assessment_list_for(user, staff: StaffProfile) -> QuerySet:
    """A person's assessments if the user may see that person (else none)."""
    if not policies.can_view_profile(user, staff):
        return SkillAssessment.objects.none()
    return assessment_history(staff)


# --- exports ------------------------------------------------------------------------------------------------------


def assessment_export_for(user) -> QuerySet:
    """Every assessment of the profiles the user may see (exports: managers, HR, admins)."""
    if not policies.can_export(user):
        return SkillAssessment.objects.none()
    return (
        SkillAssessment.objects.filter(staff__in=staff_profile_list_for(user).values("pk"))
        .select_related("staff__user", "skill", "assessed_by", "validated_by")
        .order_by("staff__user__email", "skill__code", "assessed_on", "id")
    )


def certification_export_for(user) -> QuerySet:
    if not policies.can_export(user):
        return Certification.objects.none()
    return (
        Certification.objects.filter(staff__in=staff_profile_list_for(user).values("pk"))
        .select_related("staff__user", "skill")
        .order_by("staff__user__email", "obtained_on", "id")
    )


def certifications_expiring(*, within_days: int = 90, on: dt.date | None = None) -> QuerySet:
    """Certifications still valid that expire within the next `within_days` days."""
    on = on or local_today()
    return (
        Certification.objects.expiring(on, within_days)
        .select_related("staff__user", "skill")
        .order_by("expires_on")
    )


def home_counts_for(user, *, expiring_within_days: int = 90) -> dict[str, int]:
    """The skill map's part of the home page: self-assessments awaiting validation (the ones this manager may
    validate; for HR, all of them) and, for HR, certifications expiring within `expiring_within_days` days. At most
    two queries."""
    counts = {}
    if policies.can_validate(user):
        counts["pending_validations"] = validation_queue_for(user).count()
    elif is_hr(user):
        counts["pending_validations"] = pending_validations().count()
    if is_hr(user):
        counts["expiring_certifications"] = certifications_expiring(within_days=expiring_within_days).count()
    return counts
