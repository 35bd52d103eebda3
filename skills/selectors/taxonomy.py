"""The skill taxonomy: categories, skills, proficiency levels and job types."""

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)

from skills.models import (
    JobType,
    ProficiencyLevel,
    Skill,
    SkillCategory,
    TargetSkill,
)

# --- taxonomy -----------------------------------------------------------------------------------------------------


def skill_category_list(*, with_skills: bool = False, active_only: bool = True) -> QuerySet:
    queryset = SkillCategory.objects.all()
    if with_skills:
        skills = Skill.objects.order_by("order", "code")
        if active_only:
            skills = skills.filter(active=True)
        queryset = queryset.prefetch_related(Prefetch("skills", queryset=skills))
    return queryset


def skill_list(
    *, active: bool | None = True, category: str | None = None, search: str | None = None
) -> QuerySet:
    """Skills of the taxonomy (names are not personal data: anyone signed in may read them)."""
    queryset = Skill.objects.select_related("category")
    if active is not None:
        queryset = queryset.filter(active=active)
    if category:
        queryset = queryset.filter(category__code=category)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(name_en__icontains=search)
        )
    return queryset


def skill_by_code(code: str, *, active: bool | None = None) -> Skill | None:
    return skill_list(active=active).filter(code=code).first()


def skill_retire_impact(skill: Skill) -> dict[str, int]:
    """What retiring a skill touches (its confirmation page says it): people assessed in it, job types targeting
    it, categories suggesting it and open requests requiring it. Four counts."""
    from support.models import OPEN_STATUSES

    return {
        "people": skill.assessments.values("staff").distinct().count(),
        "job_types": skill.targets.count(),
        "categories": skill.category_profiles.count(),
        "open_requests": skill.required_by.filter(request__status__in=OPEN_STATUSES).count(),
    }


def proficiency_levels() -> dict[int, ProficiencyLevel]:
    return {level.level: level for level in ProficiencyLevel.objects.all()}


def job_type_list(*, active: bool | None = True) -> QuerySet:
    """Job types with their target profiles (skills loaded)."""
    queryset = JobType.objects.prefetch_related(
        Prefetch("targets", queryset=TargetSkill.objects.select_related("skill", "skill__category"))
    )
    if active is not None:
        queryset = queryset.filter(active=active)
    return queryset
