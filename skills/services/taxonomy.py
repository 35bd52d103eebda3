"""The skill taxonomy (admins): categories, skills, proficiency levels, job types and their target skills."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from core.audit import record
from skills import policies
from skills.models import (
    Importance,
    JobType,
    ProficiencyLevel,
    Skill,
    SkillCategory,
    SkillLevelDescription,
    TargetSkill,
)
from skills.services._common import _allow, _check_level

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
