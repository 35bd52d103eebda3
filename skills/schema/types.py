"""GraphQL types of the digital skill map."""

import graphene
from django.db.models import prefetch_related_objects
from graphene_django import DjangoObjectType

from core.api.errors import Forbidden, require_user
from core.api.names import LocalizedNameField
from core.api.relay import CountableConnection, pk_from_global_id
from core.fiscal import today
from skills import policies, selectors
from skills.models import Certification, JobType, Skill, SkillAssessment, SkillCategory, StaffProfile


def require_skill_map(info):
    user = require_user(info)
    if not policies.can_view_skill_map(user):
        raise Forbidden()
    return user


class SkillCategoryNode(DjangoObjectType):
    localized_name = LocalizedNameField()

    class Meta:
        model = SkillCategory
        name = "SkillCategory"
        fields = ("id", "code", "name", "name_en", "order")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        require_skill_map(info)
        return selectors.skill_category_list().filter(pk=id).first()


class SkillNode(DjangoObjectType):
    localized_name = LocalizedNameField()

    class Meta:
        model = Skill
        name = "Skill"
        fields = ("id", "code", "name", "name_en", "description", "category", "active", "order")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        require_skill_map(info)
        return selectors.skill_list(active=None).filter(pk=id).first()


class TargetSkillType(graphene.ObjectType):
    skill = graphene.Field(SkillNode, required=True)
    target_level = graphene.Int(required=True)
    importance = graphene.Int(required=True, description="1 useful · 2 important · 3 essential")


class JobTypeNode(DjangoObjectType):
    localized_name = LocalizedNameField()

    targets = graphene.List(
        graphene.NonNull(TargetSkillType), required=True, description="The target profile."
    )

    class Meta:
        model = JobType
        name = "JobType"
        fields = ("id", "code", "name", "name_en", "description", "order", "active")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_targets(root, info):
        return list(root.targets.all())

    @classmethod
    def get_node(cls, info, id):
        require_skill_map(info)
        return selectors.job_type_list(active=None).filter(pk=id).first()


class CertificationNode(DjangoObjectType):
    valid = graphene.Boolean(
        required=True, description="Obtained and not expired today (counts as evidence)."
    )

    class Meta:
        model = Certification
        name = "Certification"
        fields = ("id", "name", "issuer", "obtained_on", "expires_on", "skill", "credential_id")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_valid(root, info):
        return root.is_valid_on(today())

    @classmethod
    def get_node(cls, info, id):
        user = require_skill_map(info)
        certification = Certification.objects.filter(pk=id).only("staff_id").first()
        if certification is None or selectors.staff_profile_get_for(user, certification.staff_id) is None:
            return None
        return selectors.certification_list(certification.staff).filter(pk=id).first()


class SkillAssessmentNode(DjangoObjectType):
    source = graphene.String(required=True, description="self, manager, certification or evidence")
    status = graphene.String(required=True, description="pending, validated or adjusted")
    assessed_by = graphene.String(description="Display name of who rated.")
    validated_by = graphene.String(description="Display name of who validated.")

    class Meta:
        model = SkillAssessment
        name = "SkillAssessment"
        fields = (
            "id",
            "staff",
            "skill",
            "level",
            "assessed_on",
            "validated_on",
            "note",
            "evidence_certification",
            "evidence_reference",
            "responds_to",
        )
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_source(root, info):
        return root.source

    def resolve_status(root, info):
        return root.status

    def resolve_assessed_by(root, info):
        return root.assessed_by.label if root.assessed_by_id else None

    def resolve_validated_by(root, info):
        return root.validated_by.label if root.validated_by_id else None

    @classmethod
    def get_node(cls, info, id):
        user = require_skill_map(info)
        staff_id = SkillAssessment.objects.filter(pk=id).values_list("staff_id", flat=True).first()
        staff = selectors.staff_profile_get_for(user, staff_id) if staff_id else None
        if staff is None:
            return None
        return selectors.assessment_history(staff).filter(pk=id).first()


class CurrentSkill(graphene.ObjectType):
    """One skill of a person: the current (validated) level, the pending self-assessment, the target and the gap."""

    skill = graphene.Field(SkillNode, required=True)
    level = graphene.Int(description="Current level: the latest validated assessment (null if none).")
    assessed_on = graphene.Date()
    pending_level = graphene.Int(description="Latest pending self-assessment (does not count yet).")
    target_level = graphene.Int(description="From the person's job type.")
    gap = graphene.Int(description="Levels below the target (0 when met).")
    certified = graphene.Boolean(required=True, description="Backed by an unexpired certification today.")


class StaffProfileNode(DjangoObjectType):
    email = graphene.String(required=True)
    display_name = graphene.String(required=True)
    kind = graphene.String(required=True)
    available_hours = graphene.Float(description="Capacity minus hours of active assignments (hours/week).")
    current_skills = graphene.List(graphene.NonNull(CurrentSkill), required=True)
    assessments = graphene.List(
        graphene.NonNull(SkillAssessmentNode), required=True, description="The whole history, newest first."
    )
    certifications = graphene.List(graphene.NonNull(CertificationNode), required=True)

    class Meta:
        model = StaffProfile
        name = "StaffProfile"
        fields = ("id", "job_type", "grade", "capacity_hours_per_week", "active", "joined_on")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_email(root, info):
        return root.user.email

    def resolve_display_name(root, info):
        return root.user.label

    def resolve_kind(root, info):
        return root.kind

    def resolve_available_hours(root, info):
        value = getattr(root, "available_hours", None)
        return float(value) if value is not None else None

    def resolve_current_skills(root, info):
        targets = {t.skill_id: t for t in root.job_type.targets.all()} if root.job_type_id else {}
        current = {a.skill_id: a for a in prefetched(root, "current_assessment_list")}
        pending = {a.skill_id: a for a in prefetched(root, "pending_assessment_list")}
        day = today()
        certified = {
            c.skill_id for c in prefetched(root, "certification_list") if c.skill_id and c.is_valid_on(day)
        }
        skills = {}
        for source in (targets, current, pending):
            for skill_id, obj in source.items():
                skills.setdefault(skill_id, obj.skill)
        result = []
        for skill_id, skill in sorted(skills.items(), key=lambda item: item[1].code):
            assessment = current.get(skill_id)
            target = targets.get(skill_id)
            level = assessment.level if assessment else None
            result.append(
                CurrentSkill(
                    skill=skill,
                    level=level,
                    assessed_on=assessment.assessed_on if assessment else None,
                    pending_level=pending[skill_id].level if skill_id in pending else None,
                    target_level=target.target_level if target else None,
                    gap=max(0, target.target_level - (level or 0)) if target else None,
                    certified=skill_id in certified,
                )
            )
        return result

    def resolve_assessments(root, info):
        return prefetched(root, "history_list")

    def resolve_certifications(root, info):
        return prefetched(root, "certification_list")

    @classmethod
    def get_node(cls, info, id):
        user = require_skill_map(info)
        profile = selectors.staff_profile_get_for(user, id)
        return with_details(profile)


def staff_profile_for(user, staff_profile: str | None = None, email: str | None = None):
    """The staff profile named by global id or e-mail address (default: the user's own) in the user's scope, or
    None."""
    if staff_profile:
        pk = pk_from_global_id(staff_profile, "StaffProfile")
        return selectors.staff_profile_get_for(user, pk) if pk else None
    if email:
        return selectors.staff_profile_by_email_for(user, email)
    return selectors.own_staff_profile(user)


def with_details(profile):
    if profile is not None:
        prefetch_related_objects([profile], *selectors.skill_detail_prefetches())
    return profile


def prefetched(root, attr: str):
    """The prefetched list (lists always prefetch it; a lone node is loaded with it too)."""
    if not hasattr(root, attr):
        prefetch_related_objects([root], *selectors.skill_detail_prefetches())
    return getattr(root, attr)
