"""Writes on the digital skill map. Every function is keyword-only, atomic, validated and audited.

`actor=None` is the system (seeds, scheduled jobs) and skips the permission checks; every other actor is checked
against skills.policies, and a refusal raises PermissionDenied (views answer 404/403, GraphQL FORBIDDEN).
Bad input raises ValidationError with a field, a stable code and a translatable message, and changes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.fiscal import today as local_today
from skills import policies
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    Importance,
    JobType,
    ProficiencyLevel,
    Skill,
    SkillAssessment,
    SkillCategory,
    SkillInterest,
    SkillLevelDescription,
    StaffProfile,
    TargetSkill,
)

MESSAGES = {
    "level_out_of_range": _("The level must be a whole number from 1 to 5."),
    "future_date": _("The date cannot be in the future."),
    "skill_retired": _("This skill has been retired and can no longer be assessed."),
    "reason_required": _("Give the reason for your assessment."),
    "not_pending": policies.NOT_PENDING,
    "own_assessment": policies.OWN_ASSESSMENT,
    "evidence_other_person": _("The certification belongs to someone else."),
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


# --- assessments --------------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_record_self(
    *,
    actor,
    staff: StaffProfile,
    skill: Skill,
    level: int,
    assessed_on: dt.date | None = None,
    note: str = "",
    evidence_certification: Certification | None = None,
    evidence_reference: str = "",
) -> SkillAssessment:
    """自己評価: the person rates one of their skills. It stays pending (the current level does not change)."""
    _allow(actor, policies.can_self_assess(actor, staff))
    level = _check_level(level)
    assessed_on = _check_date(assessed_on, "assessed_on")
    _check_skill(skill)
    _check_evidence(staff, evidence_certification)
    assessment = SkillAssessment(
        staff=staff,
        skill=skill,
        level=level,
        source=AssessmentSource.SELF,
        status=AssessmentStatus.PENDING,
        assessed_on=assessed_on,
        assessed_by=actor if actor is not None else staff.user,
        note=note.strip(),
        evidence_certification=evidence_certification,
        evidence_reference=evidence_reference.strip(),
    )
    assessment.full_clean()
    assessment.save()
    record(
        actor=actor,
        verb="skill_assessment.self",
        target=assessment,
        data={"staff": staff.pk, "skill": skill.code, "level": level},
    )
    return assessment


@transaction.atomic
def assessment_record_manager(
    *,
    actor,
    staff: StaffProfile,
    skill: Skill,
    level: int,
    reason: str,
    assessed_on: dt.date | None = None,
    responds_to: SkillAssessment | None = None,
    evidence_certification: Certification | None = None,
    evidence_reference: str = "",
) -> SkillAssessment:
    """上長評価: a manager records their own level with a reason — a new, validated assessment, never an edit.

    When it answers a pending self-assessment, that one is marked "adjusted" (its level stays as the person gave it,
    so self and manager ratings remain side by side).
    """
    _allow(actor, policies.can_assess_as_manager(actor, staff))
    level = _check_level(level)
    assessed_on = _check_date(assessed_on, "assessed_on")
    _check_skill(skill)
    _check_evidence(staff, evidence_certification)
    if not (reason or "").strip():
        raise _error("reason", "reason_required")
    if responds_to is not None:
        responds_to = SkillAssessment.objects.select_for_update().get(pk=responds_to.pk)
        if responds_to.status != AssessmentStatus.PENDING or responds_to.staff_id != staff.pk:
            raise _error("responds_to", "not_pending")
        if responds_to.skill_id != skill.pk:
            raise _error("responds_to", "not_pending")
    assessment = SkillAssessment(
        staff=staff,
        skill=skill,
        level=level,
        source=AssessmentSource.MANAGER,
        status=AssessmentStatus.VALIDATED,
        assessed_on=assessed_on,
        assessed_by=actor,
        validated_by=actor,
        validated_on=assessed_on,
        note=reason.strip(),
        evidence_certification=evidence_certification,
        evidence_reference=evidence_reference.strip(),
        responds_to=responds_to,
    )
    assessment.full_clean()
    assessment.save()
    if responds_to is not None:
        responds_to.status = AssessmentStatus.ADJUSTED
        responds_to.save(update_fields=["status"])
    record(
        actor=actor,
        verb="skill_assessment.manager",
        target=assessment,
        data={
            "staff": staff.pk,
            "skill": skill.code,
            "level": level,
            "responds_to": responds_to.pk if responds_to else None,
        },
    )
    return assessment


@transaction.atomic
def assessment_validate(
    *, actor, assessment: SkillAssessment, validated_on: dt.date | None = None
) -> SkillAssessment:
    """承認: a manager accepts a pending self-assessment as it is; the current level changes."""
    assessment = SkillAssessment.objects.select_for_update().select_related("staff").get(pk=assessment.pk)
    if actor is not None:
        policies.can_validate_assessment.check(actor, assessment)
    elif not policies.awaits_validation(assessment):
        raise _error("assessment", "not_pending")
    validated_on = _check_date(validated_on, "validated_on")
    assessment.status = AssessmentStatus.VALIDATED
    assessment.validated_by = actor
    assessment.validated_on = max(validated_on, assessment.assessed_on)
    assessment.full_clean()
    assessment.save(update_fields=["status", "validated_by", "validated_on"])
    record(
        actor=actor,
        verb="skill_assessment.validate",
        target=assessment,
        data={"staff": assessment.staff_id, "skill": assessment.skill_id, "level": assessment.level},
    )
    return assessment


IMPORT_TRUSTED_FIELDS = ("staff", "skill", "assessed_by", "validated_by")


def assessment_import(
    *,
    actor,
    staff: StaffProfile,
    skill: Skill,
    level: int,
    source: str,
    assessed_on: dt.date,
    validated: bool = True,
    validated_by=None,
    note: str = "",
    assessed_by=None,
) -> SkillAssessment:
    """A historical assessment brought in by an import (admins): any source, validated or pending."""
    _allow(actor, policies.can_import(actor))
    level = _check_level(level)
    assessed_on = _check_date(assessed_on, "assessed_on")
    if source not in AssessmentSource.values:
        raise ValidationError({"source": ValidationError(_("Unknown source."), code="invalid_choice")})
    status = AssessmentStatus.VALIDATED if validated else AssessmentStatus.PENDING
    if source != AssessmentSource.SELF and not validated:
        raise ValidationError(
            {"status": ValidationError(_("Only a self-assessment may be pending."), code="invalid_status")}
        )
    assessment = SkillAssessment(
        staff=staff,
        skill=skill,
        level=level,
        source=source,
        status=status,
        assessed_on=assessed_on,
        assessed_by=assessed_by or (staff.user if source == AssessmentSource.SELF else actor),
        validated_by=(validated_by or actor) if validated else None,
        validated_on=assessed_on if validated else None,
        note=note.strip(),
    )
    # The related objects are saved instances the caller looked up, and the level was checked above: validating
    # them again would cost five queries a row, which an import of 10,000 rows pays 50,000 times.
    assessment.full_clean(exclude=IMPORT_TRUSTED_FIELDS, validate_constraints=False)
    # Everything that can refuse the row has run; the two writes belong together. Inside an import (which holds
    # its own transaction) they need no savepoint of their own: that saves two round trips a row.
    with transaction.atomic(savepoint=False):
        assessment.save()
        record(
            actor=actor,
            verb="skill_assessment.import",
            target=assessment,
            data={"staff": staff.pk, "skill": skill.code, "level": level, "source": source},
        )
    return assessment


# --- certifications, interests ------------------------------------------------------------------------------------


@transaction.atomic
def certification_add(
    *,
    actor,
    staff: StaffProfile,
    name: str,
    obtained_on: dt.date,
    issuer: str = "",
    expires_on: dt.date | None = None,
    skill: Skill | None = None,
    credential_id: str = "",
) -> Certification:
    """資格: add a certification (optionally evidencing a skill) with its expiry."""
    _allow(actor, policies.can_add_certification(actor, staff))
    obtained_on = _check_date(obtained_on, "obtained_on")
    if expires_on is not None and expires_on < obtained_on:
        raise _error("expires_on", "expires_before_obtained")
    certification = Certification(
        staff=staff,
        name=(name or "").strip(),
        issuer=(issuer or "").strip(),
        obtained_on=obtained_on,
        expires_on=expires_on,
        skill=skill,
        credential_id=(credential_id or "").strip(),
    )
    certification.full_clean()
    certification.save()
    record(
        actor=actor,
        verb="certification.add",
        target=certification,
        data={"staff": staff.pk, "name": certification.name, "skill": skill.code if skill else None},
    )
    return certification


@transaction.atomic
def interest_set(
    *, actor, staff: StaffProfile, skill: Skill, wants_to_learn: bool, can_mentor: bool
) -> SkillInterest:
    """習得希望 / 指導可能: the person's own flags for one skill."""
    _allow(actor, policies.can_set_interest(actor, staff))
    interest, created = SkillInterest.objects.get_or_create(staff=staff, skill=skill)
    interest.wants_to_learn = bool(wants_to_learn)
    interest.can_mentor = bool(can_mentor)
    interest.full_clean()
    interest.save()
    record(
        actor=actor,
        verb="skill_interest.set",
        target=interest,
        data={
            "skill": skill.code,
            "wants_to_learn": interest.wants_to_learn,
            "can_mentor": interest.can_mentor,
        },
    )
    return interest


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


# --- taxonomy (admins) --------------------------------------------------------------------------------------------


def _value(obj, field: str):
    try:
        return getattr(obj, field)
    except ObjectDoesNotExist:  # an unsaved row's empty foreign key
        return None


def _upsert(model, *, actor, lookup: dict, defaults: dict, verb: str):
    obj = model.objects.select_for_update().filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = {}
    for field, value in defaults.items():
        if _value(obj, field) != value:
            setattr(obj, field, value)
            changed[field] = str(value.pk if hasattr(value, "pk") else value)
    if created or changed:
        obj.full_clean()
        obj.save()
        record(
            actor=actor,
            verb=f"{verb}.create" if created else f"{verb}.update",
            target=obj,
            data={**{k: str(v) for k, v in lookup.items()}, "changed": changed},
        )
    return obj, created


@transaction.atomic
def skill_category_upsert(*, actor, code: str, defaults: dict) -> tuple[SkillCategory, bool]:
    _allow(actor, policies.can_edit_taxonomy(actor))
    return _upsert(
        SkillCategory, actor=actor, lookup={"code": code}, defaults=defaults, verb="skill_category"
    )


@transaction.atomic
def skill_upsert(*, actor, code: str, defaults: dict) -> tuple[Skill, bool]:
    """Add or rename a skill (code is the natural key)."""
    _allow(actor, policies.can_edit_taxonomy(actor))
    return _upsert(Skill, actor=actor, lookup={"code": code}, defaults=defaults, verb="skill")


@transaction.atomic
def skill_retire(*, actor, skill: Skill) -> Skill:
    """Retire a skill: it leaves the lists and cannot be newly assessed; its history stays."""
    _allow(actor, policies.can_edit_taxonomy(actor))
    skill, _created = _upsert(
        Skill, actor=actor, lookup={"code": skill.code}, defaults={"active": False}, verb="skill"
    )
    return skill


@transaction.atomic
def skill_reactivate(*, actor, skill: Skill) -> Skill:
    _allow(actor, policies.can_edit_taxonomy(actor))
    skill, _created = _upsert(
        Skill, actor=actor, lookup={"code": skill.code}, defaults={"active": True}, verb="skill"
    )
    return skill


@transaction.atomic
def proficiency_level_upsert(*, actor, level: int, defaults: dict) -> tuple[ProficiencyLevel, bool]:
    _allow(actor, policies.can_edit_taxonomy(actor))
    level = _check_level(level)
    return _upsert(
        ProficiencyLevel, actor=actor, lookup={"level": level}, defaults=defaults, verb="proficiency_level"
    )


@transaction.atomic
def skill_level_description_set(
    *, actor, skill: Skill, level: int, description: str, description_en: str = ""
) -> SkillLevelDescription:
    """A skill's own wording for one level."""
    _allow(actor, policies.can_edit_taxonomy(actor))
    level = _check_level(level)
    obj, _created = _upsert(
        SkillLevelDescription,
        actor=actor,
        lookup={"skill": skill, "level": level},
        defaults={"description": description, "description_en": description_en},
        verb="skill_level_description",
    )
    return obj


@transaction.atomic
def job_type_upsert(*, actor, code: str, defaults: dict) -> tuple[JobType, bool]:
    _allow(actor, policies.can_edit_taxonomy(actor))
    return _upsert(JobType, actor=actor, lookup={"code": code}, defaults=defaults, verb="job_type")


@transaction.atomic
def target_skill_set(
    *, actor, job_type: JobType, skill: Skill, target_level: int, importance: int = Importance.IMPORTANT
) -> TargetSkill:
    """One line of a job type's target profile (created or changed)."""
    _allow(actor, policies.can_edit_taxonomy(actor))
    target_level = _check_level(target_level, "target_level")
    obj, _created = _upsert(
        TargetSkill,
        actor=actor,
        lookup={"job_type": job_type, "skill": skill},
        defaults={"target_level": target_level, "importance": int(importance)},
        verb="target_skill",
    )
    return obj


@transaction.atomic
def target_skill_remove(*, actor, target: TargetSkill) -> None:
    _allow(actor, policies.can_edit_taxonomy(actor))
    record(
        actor=actor,
        verb="target_skill.remove",
        target=target.job_type,
        data={"skill": target.skill.code, "target_level": target.target_level},
    )
    target.delete()
