"""Skill assessments: self and manager ratings, validation and import."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record, record_many
from skills import policies
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    Skill,
    SkillAssessment,
    StaffProfile,
)
from skills.services._common import _allow, _check_date, _check_evidence, _check_level, _check_skill, _error

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
#: Rows per INSERT in a bulk import (bounded memory, few round trips).
IMPORT_CHUNK = 2000


def assessment_import_check(
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
    """The rules of an imported (historical) assessment, any source, validated or pending: checks everything that
    can refuse it and returns it unsaved. Both the one-row and the bulk import write what this returns."""
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
    return assessment


def _import_audit_data(assessment: SkillAssessment) -> dict:
    return {
        "staff": assessment.staff_id,
        "skill": assessment.skill.code,
        "level": assessment.level,
        "source": assessment.source,
    }


def assessment_import(*, actor, **fields) -> SkillAssessment:
    """A historical assessment brought in by an import (admins): any source, validated or pending.

    Takes the fields of ``assessment_import_check`` (which applies the rules), then saves it with its audit event.
    """
    assessment = assessment_import_check(actor=actor, **fields)
    # Everything that can refuse the row has run; the two writes belong together. Inside an import (which holds
    # its own transaction) they need no savepoint of their own: that saves two round trips a row.
    with transaction.atomic(savepoint=False):
        assessment.save()
        record(
            actor=actor,
            verb="skill_assessment.import",
            target=assessment,
            data=_import_audit_data(assessment),
        )
    return assessment


@transaction.atomic
def assessment_import_bulk(
    *, actor, assessments: Sequence[SkillAssessment], chunk: int = IMPORT_CHUNK
) -> int:
    """Write many imported assessments, each already passed through ``assessment_import_check``, with their audit
    events, in one transaction and a few multi-row INSERTs (``chunk`` rows each). Returns how many were written."""
    _allow(actor, policies.can_import(actor))
    for start in range(0, len(assessments), chunk):
        part = SkillAssessment.objects.bulk_create(assessments[start : start + chunk])
        record_many(
            actor=actor,
            verb="skill_assessment.import",
            items=((assessment, _import_audit_data(assessment)) for assessment in part),
            batch_size=chunk,
        )
    return len(assessments)
