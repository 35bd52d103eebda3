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
