"""Checks and error messages shared by the skills services."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.fiscal import today as local_today
from skills import policies
from skills.models import (
    Certification,
    Skill,
    StaffProfile,
)

MESSAGES = {
    "level_out_of_range": _("The level must be a whole number from 1 to 5."),
    "future_date": _("The date cannot be in the future."),
    "skill_retired": _("This skill has been retired and can no longer be assessed."),
    "reason_required": _("Give the reason for your assessment."),
    "not_pending": policies.NOT_PENDING,
    "own_assessment": policies.OWN_ASSESSMENT,
    "evidence_other_person": _("The certification belongs to someone else."),
    "evidence_training_other": _("Cite a training this person completed."),
    "expires_before_obtained": _("The expiry date must not be before the date obtained."),
    "inactive_profile": policies.INACTIVE_PROFILE,
}


def _error(field: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(MESSAGES[code], code=code)})


def _allow(actor, allowed: bool) -> None:
    """System actions (actor None) are trusted; a person must pass the policy."""
    if actor is not None and not allowed:
        raise PermissionDenied(policies.NOT_PERMITTED)


def _check_level(level, field: str = "level") -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        raise _error(field, "level_out_of_range") from None
    if value != level and str(value) != str(level).strip() or not 1 <= value <= 5:
        raise _error(field, "level_out_of_range")
    return value


def _check_date(value: dt.date | None, field: str) -> dt.date:
    value = value or local_today()
    if value > local_today():
        raise _error(field, "future_date")
    return value


def _check_skill(skill: Skill) -> None:
    if not skill.active:
        raise _error("skill", "skill_retired")


def _check_evidence(staff: StaffProfile, certification: Certification | None) -> None:
    if certification is not None and certification.staff_id != staff.pk:
        raise _error("evidence_certification", "evidence_other_person")
