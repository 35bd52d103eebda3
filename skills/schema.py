"""GraphQL of the digital skill map: the same selectors, services and policies as the pages."""

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from graphene_django import DjangoObjectType
from graphql_relay import from_global_id

from core.api.errors import ExpectedError, FieldError, Forbidden, NotFound, errors_from, require_user
from core.api.relay import CountableConnection, ScopedConnectionField
from core.fiscal import today
from skills import policies, selectors, services
from skills.models import Certification, JobType, Skill, SkillAssessment, SkillCategory, StaffProfile


def _require_map(info):
    user = require_user(info)
    if not policies.can_view_skill_map(user):
        raise Forbidden()
    return user


def _pk_of(global_id: str, expected: str) -> str | None:
    try:
        type_name, pk = from_global_id(global_id)
    except Exception:  # not base64, not "Type:id"
        return None
    return pk if type_name == expected else None


class SkillCategoryNode(DjangoObjectType):
    class Meta:
        model = SkillCategory
        name = "SkillCategory"
        fields = ("id", "code", "name", "name_en", "order")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        _require_map(info)
        return selectors.skill_category_list().filter(pk=id).first()


class SkillNode(DjangoObjectType):
    class Meta:
        model = Skill
        name = "Skill"
        fields = ("id", "code", "name", "name_en", "description", "category", "active", "order")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        _require_map(info)
        return selectors.skill_list(active=None).filter(pk=id).first()


class TargetSkillType(graphene.ObjectType):
    skill = graphene.Field(SkillNode, required=True)
    target_level = graphene.Int(required=True)
    importance = graphene.Int(required=True, description="1 useful · 2 important · 3 essential")


class JobTypeNode(DjangoObjectType):
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
        _require_map(info)
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
        user = _require_map(info)
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
        user = _require_map(info)
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
        current = {a.skill_id: a for a in _prefetched(root, "current_assessment_list")}
        pending = {a.skill_id: a for a in _prefetched(root, "pending_assessment_list")}
        day = today()
        certified = {
            c.skill_id for c in _prefetched(root, "certification_list") if c.skill_id and c.is_valid_on(day)
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
        return _prefetched(root, "history_list")

    def resolve_certifications(root, info):
        return _prefetched(root, "certification_list")

    @classmethod
    def get_node(cls, info, id):
        user = _require_map(info)
        profile = selectors.staff_profile_get_for(user, id)
        return _with_details(profile)


def _with_details(profile):
    if profile is not None:
        prefetch_related_objects([profile], *selectors.skill_detail_prefetches())
    return profile


def _prefetched(root, attr: str):
    """The prefetched list (lists always prefetch it; a lone node is loaded with it too)."""
    if not hasattr(root, attr):
        prefetch_related_objects([root], *selectors.skill_detail_prefetches())
    return getattr(root, attr)


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
        _require_map(info)
        return selectors.skill_list(active=active, category=category, search=search)

    def resolve_skill_categories(root, info, **_page):
        _require_map(info)
        return selectors.skill_category_list()

    def resolve_job_types(root, info, **_page):
        _require_map(info)
        return selectors.job_type_list()

    def resolve_staff_profiles(
        root, info, skills=None, job_type=None, available_hours=None, search=None, **_page
    ):
        user = _require_map(info)
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
        user = _require_map(info)
        if id:
            pk = _pk_of(id, "StaffProfile")
            profile = selectors.staff_profile_get_for(user, pk) if pk else None
        elif email:
            profile = selectors.staff_profile_by_email_for(user, email)
        else:
            profile = selectors.own_staff_profile(user)
        return _with_details(profile)


# --- mutations ----------------------------------------------------------------------------------------------------


def _staff_for_write(user, staff_profile, email):
    if staff_profile:
        pk = _pk_of(staff_profile, "StaffProfile")
        profile = selectors.staff_profile_get_for(user, pk) if pk else None
    elif email:
        profile = selectors.staff_profile_by_email_for(user, email)
    else:
        profile = selectors.own_staff_profile(user)
    if profile is None:
        raise NotFound()
    return profile


def _skill(code, field="skill"):
    skill = selectors.skill_by_code(code) if code else None
    if skill is None:
        raise ValidationError({field: ValidationError(f"Unknown skill code: {code}", code="unknown_skill")})
    return skill


class RecordSkillAssessment(graphene.Mutation):
    """Self-assessment on one's own profile (stays pending); on someone else's, a manager assessment with a reason."""

    class Arguments:
        skill = graphene.String(required=True, description="Skill code")
        level = graphene.Int(required=True)
        staff_profile = graphene.ID(description="Whose profile (default: your own)")
        email = graphene.String(description="Alternative to staffProfile")
        assessed_on = graphene.Date()
        note = graphene.String(description="Self-assessment note, or the manager's reason")
        evidence_certification = graphene.ID()
        evidence_reference = graphene.String()
        responds_to = graphene.ID(description="The pending self-assessment a manager answers")

    assessment = graphene.Field(SkillAssessmentNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    def mutate(root, info, skill, level, staff_profile=None, email=None, note="", **kwargs):
        user = _require_map(info)
        staff = _staff_for_write(user, staff_profile, email)
        own = staff.user_id == user.pk
        if not (
            policies.can_self_assess(user, staff) if own else policies.can_assess_as_manager(user, staff)
        ):
            raise Forbidden()
        try:
            evidence = None
            if kwargs.get("evidence_certification"):
                pk = _pk_of(kwargs["evidence_certification"], "Certification")
                evidence = selectors.certification_list(staff).filter(pk=pk).first() if pk else None
                if evidence is None:
                    raise ValidationError(
                        {
                            "evidence_certification": ValidationError(
                                "Unknown certification.", code="not_found"
                            )
                        }
                    )
            common = {
                "actor": user,
                "staff": staff,
                "skill": _skill(skill),
                "level": level,
                "assessed_on": kwargs.get("assessed_on"),
                "evidence_certification": evidence,
                "evidence_reference": kwargs.get("evidence_reference") or "",
            }
            if own:
                assessment = services.assessment_record_self(note=note or "", **common)
            else:
                responds_to = None
                if kwargs.get("responds_to"):
                    pk = _pk_of(kwargs["responds_to"], "SkillAssessment")
                    responds_to = selectors.assessment_get_for_validation(user, pk) if pk else None
                    if responds_to is None:
                        raise NotFound()
                assessment = services.assessment_record_manager(
                    reason=note or "", responds_to=responds_to, **common
                )
        except ValidationError as error:
            return RecordSkillAssessment(assessment=None, errors=errors_from(error))
        except PermissionDenied as error:
            raise Forbidden() from error
        return RecordSkillAssessment(assessment=assessment, errors=[])


class ValidateSkillAssessment(graphene.Mutation):
    """A manager accepts a pending self-assessment as it is (never their own)."""

    class Arguments:
        id = graphene.ID(description="The pending self-assessment")
        email = graphene.String(
            description="With `skill`: that person's latest pending self-assessment of the skill"
        )
        skill = graphene.String(description="Skill code (with `email`)")

    assessment = graphene.Field(SkillAssessmentNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    def mutate(root, info, id=None, email=None, skill=None):
        user = _require_map(info)
        if not policies.can_validate(user):
            raise Forbidden()
        assessment = None
        if id:
            pk = _pk_of(id, "SkillAssessment")
            assessment = selectors.assessment_get_for_validation(user, pk) if pk else None
        elif email and skill:
            assessment = (
                selectors.validation_queue_for(user)
                .filter(staff__user__email__iexact=email.strip(), skill__code=skill)
                .order_by("-assessed_on", "-id")
                .first()
            )
        if assessment is None:
            raise NotFound()
        try:
            assessment = services.assessment_validate(actor=user, assessment=assessment)
        except ValidationError as error:
            return ValidateSkillAssessment(assessment=None, errors=errors_from(error))
        except PermissionDenied as error:
            raise Forbidden() from error
        return ValidateSkillAssessment(assessment=assessment, errors=[])


class AddCertification(graphene.Mutation):
    class Arguments:
        name = graphene.String(required=True)
        obtained_on = graphene.Date(required=True)
        issuer = graphene.String()
        expires_on = graphene.Date()
        skill = graphene.String(description="Skill code it evidences")
        credential_id = graphene.String()
        staff_profile = graphene.ID(description="Whose profile (default: your own)")
        email = graphene.String()

    certification = graphene.Field(CertificationNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    def mutate(root, info, name, obtained_on, staff_profile=None, email=None, skill=None, **kwargs):
        user = _require_map(info)
        staff = _staff_for_write(user, staff_profile, email)
        if not policies.can_add_certification(user, staff):
            raise Forbidden()
        try:
            certification = services.certification_add(
                actor=user,
                staff=staff,
                name=name,
                obtained_on=obtained_on,
                issuer=kwargs.get("issuer") or "",
                expires_on=kwargs.get("expires_on"),
                skill=_skill(skill) if skill else None,
                credential_id=kwargs.get("credential_id") or "",
            )
        except ValidationError as error:
            return AddCertification(certification=None, errors=errors_from(error))
        except PermissionDenied as error:
            raise Forbidden() from error
        return AddCertification(certification=certification, errors=[])


class Mutation(graphene.ObjectType):
    record_skill_assessment = RecordSkillAssessment.Field()
    validate_skill_assessment = ValidateSkillAssessment.Field()
    add_certification = AddCertification.Field()
