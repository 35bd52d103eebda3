"""GraphQL queries of the digital skill map: taxonomy, expert search, staff profiles, the validation queue."""

import graphene

from core.api.errors import ExpectedError, NotFound
from core.api.relay import ScopedConnectionField
from skills import selectors
from skills.schema.types import (
    JobTypeNode,
    SkillCategoryNode,
    SkillNode,
    StaffProfileNode,
    require_skill_map,
    staff_profile_for,
    with_details,
)


class SkillLevelInput(graphene.InputObjectType):
    skill = graphene.String(required=True, description="Skill code, e.g. SEC-RISK")
    min_level = graphene.Int(required=True)


class Query(graphene.ObjectType):
    skills = ScopedConnectionField(
        SkillNode,
        category=graphene.String(),
        search=graphene.String(),
        active=graphene.Boolean(default_value=True),
    )
    skill_categories = ScopedConnectionField(SkillCategoryNode)
    job_types = ScopedConnectionField(JobTypeNode)
    staff_profiles = ScopedConnectionField(
        StaffProfileNode,
        skills=graphene.List(graphene.NonNull(SkillLevelInput)),
        job_type=graphene.String(description="Job type code"),
        available_hours=graphene.Float(description="Minimum free hours per week"),
        search=graphene.String(),
        description="The talent pool (expert finder): people with every listed skill at ≥ its minimum current level.",
    )
    staff_profile = graphene.Field(StaffProfileNode, id=graphene.ID(), email=graphene.String())

    def resolve_skills(root, info, category=None, search=None, active=True, **_page):
        require_skill_map(info)
        return selectors.skill_list(active=active, category=category, search=search)

    def resolve_skill_categories(root, info, **_page):
        require_skill_map(info)
        return selectors.skill_category_list()

    def resolve_job_types(root, info, **_page):
        require_skill_map(info)
        return selectors.job_type_list()

    def resolve_staff_profiles(
        root, info, skills=None, job_type=None, available_hours=None, search=None, **_page
    ):
        user = require_skill_map(info)
        requirements = []
        for item in skills or []:
            skill = selectors.skill_by_code(item.skill)
            if skill is None:
                raise NotFound(f"Unknown skill code: {item.skill}")
            if not 1 <= item.min_level <= 5:
                raise ExpectedError("minLevel must be from 1 to 5.", code="LEVEL_OUT_OF_RANGE")
            requirements.append(selectors.SkillRequirement(skill.pk, item.min_level))
        job_type_id = None
        if job_type:
            found = (
                selectors.job_type_list(active=None)
                .filter(code=job_type)
                .values_list("pk", flat=True)
                .first()
            )
            if found is None:
                raise NotFound(f"Unknown job type: {job_type}")
            job_type_id = found
        queryset = selectors.expert_search_for(
            user,
            requirements=requirements,
            job_type_id=job_type_id,
            available_hours=available_hours,
            search=search,
        )
        return selectors.with_skill_details(queryset)

    def resolve_staff_profile(root, info, id=None, email=None):
        return with_details(staff_profile_for(require_skill_map(info), id, email))
