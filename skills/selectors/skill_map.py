"""One person's skill map, history and certifications, and the GraphQL prefetches for them."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)

from skills.models import (
    AssessmentSource,
    Certification,
    Skill,
    SkillAssessment,
    SkillInterest,
    StaffProfile,
    TargetSkill,
)
from skills.selectors.gaps import latest_ratings
from skills.selectors.levels import certified_skills, current_assessments, pending_assessments

# --- one person's map --------------------------------------------------------------------------------------------


def assessment_history(staff: StaffProfile, *, as_of: dt.date | None = None) -> QuerySet:
    """Every assessment of one person, newest first, with people and evidence loaded."""
    queryset = staff.assessments.select_related(
        "skill", "skill__category", "assessed_by", "validated_by", "evidence_certification"
    )
    if as_of is not None:
        queryset = queryset.filter(assessed_on__lte=as_of)
    return queryset.order_by("-assessed_on", "-id")


def certification_list(staff: StaffProfile) -> QuerySet:
    return staff.certifications.select_related("skill").order_by("-obtained_on", "-id")


@dataclass
class SkillMapRow:
    """One skill of a person's map: the target (from the job type), current and pending level, gap, flags."""

    skill: Skill
    target_level: int | None = None
    importance: int | None = None
    current_level: int | None = None
    current_assessment: SkillAssessment | None = None
    pending_level: int | None = None
    pending_assessment: SkillAssessment | None = None
    wants_to_learn: bool = False
    can_mentor: bool = False
    certified: bool = False
    last_self_level: int | None = None
    last_manager_level: int | None = None

    @property
    def gap(self) -> int | None:
        """How many levels below the target (0 when met; None without a target)."""
        if self.target_level is None:
            return None
        return max(0, self.target_level - (self.current_level or 0))

    @property
    def self_manager_gap(self) -> int | None:
        if self.last_self_level is None or self.last_manager_level is None:
            return None
        return self.last_self_level - self.last_manager_level


def skill_map(staff: StaffProfile, *, as_of: dt.date | None = None) -> list[SkillMapRow]:
    """Every skill of the person's target profile plus every other skill they have been assessed on or flagged.

    A constant number of queries (about seven), whatever the number of skills.
    """
    rows: dict[int, SkillMapRow] = {}
    if staff.job_type_id:
        for target in TargetSkill.objects.filter(job_type_id=staff.job_type_id).select_related(
            "skill", "skill__category"
        ):
            rows[target.skill_id] = SkillMapRow(
                skill=target.skill, target_level=target.target_level, importance=target.importance
            )
    current = {
        a.skill_id: a
        for a in current_assessments(staff_ids=[staff.pk], as_of=as_of).select_related(
            "skill", "skill__category", "validated_by", "assessed_by"
        )
    }
    pending = {}
    if as_of is None:
        pending = {
            a.skill_id: a
            for a in pending_assessments(staff_ids=[staff.pk]).select_related("skill", "skill__category")
        }
    flags = {
        i.skill_id: i
        for i in SkillInterest.objects.filter(staff=staff)
        .filter(Q(wants_to_learn=True) | Q(can_mentor=True))
        .select_related("skill", "skill__category")
    }
    for source in (current, pending, flags):
        for skill_id, obj in source.items():
            if skill_id not in rows:
                rows[skill_id] = SkillMapRow(skill=obj.skill)
    for skill_id, assessment in current.items():
        rows[skill_id].current_level = assessment.level
        rows[skill_id].current_assessment = assessment
    for skill_id, assessment in pending.items():
        rows[skill_id].pending_level = assessment.level
        rows[skill_id].pending_assessment = assessment
    for skill_id, interest in flags.items():
        rows[skill_id].wants_to_learn = interest.wants_to_learn
        rows[skill_id].can_mentor = interest.can_mentor
    for skill_id in certified_skills(staff_ids=[staff.pk], on=as_of).get(staff.pk, set()):
        if skill_id in rows:
            rows[skill_id].certified = True
    if as_of is None:
        for (_staff, skill_id), level in latest_ratings(
            staff_ids=[staff.pk], source=AssessmentSource.SELF
        ).items():
            if skill_id in rows:
                rows[skill_id].last_self_level = level
        for (_staff, skill_id), level in latest_ratings(
            staff_ids=[staff.pk], source=AssessmentSource.MANAGER
        ).items():
            if skill_id in rows:
                rows[skill_id].last_manager_level = level
    return sorted(
        rows.values(),
        key=lambda row: (
            row.target_level is None,
            row.skill.category.order,
            row.skill.category.code,
            row.skill.order,
            row.skill.code,
        ),
    )


# --- GraphQL: profiles with their skills, prefetched (a constant number of queries per page) ------------------------


def with_skill_details(queryset: QuerySet) -> QuerySet:
    """Prefetch what a profile's current skills, pending levels, history and certifications need.

    `current_assessment_list` comes from `current_assessments` itself (the one definition), pending ones from
    `pending_assessments`; both are filtered by person before the window, which partitions by person anyway.
    """
    return queryset.prefetch_related(*skill_detail_prefetches())


def skill_detail_prefetches() -> list:
    return [
        Prefetch(
            "assessments",
            queryset=current_assessments().select_related("skill", "skill__category").order_by("skill__code"),
            to_attr="current_assessment_list",
        ),
        Prefetch(
            "assessments",
            queryset=pending_assessments().select_related("skill", "skill__category"),
            to_attr="pending_assessment_list",
        ),
        Prefetch(
            "assessments",
            queryset=SkillAssessment.objects.select_related(
                "skill", "skill__category", "assessed_by", "validated_by"
            ).order_by("-assessed_on", "-id"),
            to_attr="history_list",
        ),
        Prefetch(
            "certifications",
            queryset=Certification.objects.select_related("skill", "skill__category").order_by(
                "-obtained_on", "-id"
            ),
            to_attr="certification_list",
        ),
        Prefetch("job_type__targets", queryset=TargetSkill.objects.select_related("skill")),
    ]
