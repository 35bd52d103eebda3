"""GraphQL mutations of the digital skill map, on core.api.mutations.BaseMutation."""

import graphene
from django.core.exceptions import ValidationError

from core.api.errors import FieldError, NotFound
from core.api.mutations import BaseMutation, error_code_enum
from core.api.relay import pk_from_global_id
from skills import policies, selectors, services
from skills.schema.types import CertificationNode, SkillAssessmentNode, staff_profile_for

# --- mutations ----------------------------------------------------------------------------------------------------

SkillsErrorCode = error_code_enum(
    "SkillsErrorCode",
    (
        # skills.services (its MESSAGES), for the mutations below
        "level_out_of_range",
        "future_date",
        "skill_retired",
        "reason_required",
        "not_pending",
        "evidence_other_person",
        "expires_before_obtained",
        # this module's argument parsing
        "unknown_skill",
        "not_found",
        # skills.services.trainings and the training evidence of a self-assessment
        "before_session",
        "evidence_training_other",
    ),
    "skill map",
)


def _skill(code, field="skill"):
    skill = selectors.skill_by_code(code) if code else None
    if skill is None:
        raise ValidationError({field: ValidationError(f"Unknown skill code: {code}", code="unknown_skill")})
    return skill


class StaffProfileMutation(BaseMutation):
    """A write on one staff profile: `staffProfile` (global id) or `email`, by default your own."""

    class Meta:
        abstract = True

    @classmethod
    def get_target(cls, info, user, staff_profile=None, email=None, **_data):
        profile = staff_profile_for(user, staff_profile, email)
        if profile is None:
            raise NotFound()
        return profile


class RecordSkillAssessment(StaffProfileMutation):
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

    class Meta:
        permission = policies.can_view_skill_map
        object_permission = policies.can_record_assessment
        error_codes = SkillsErrorCode

    assessment = graphene.Field(SkillAssessmentNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def perform_mutation(cls, info, user, target, skill, level, note="", **kwargs):
        evidence = None
        if kwargs.get("evidence_certification"):
            pk = pk_from_global_id(kwargs["evidence_certification"], "Certification")
            evidence = selectors.certification_list(target).filter(pk=pk).first() if pk else None
            if evidence is None:
                raise ValidationError(
                    {"evidence_certification": ValidationError("Unknown certification.", code="not_found")}
                )
        common = {
            "actor": user,
            "staff": target,
            "skill": _skill(skill),
            "level": level,
            "assessed_on": kwargs.get("assessed_on"),
            "evidence_certification": evidence,
            "evidence_reference": kwargs.get("evidence_reference") or "",
        }
        if target.user_id == user.pk:
            return cls.success(assessment=services.assessment_record_self(note=note or "", **common))
        responds_to = None
        if kwargs.get("responds_to"):
            pk = pk_from_global_id(kwargs["responds_to"], "SkillAssessment")
            responds_to = selectors.assessment_get_for_validation(user, pk) if pk else None
            if responds_to is None:
                raise NotFound()
        assessment = services.assessment_record_manager(reason=note or "", responds_to=responds_to, **common)
        return cls.success(assessment=assessment)


class ValidateSkillAssessment(BaseMutation):
    """A manager accepts a pending self-assessment as it is (never their own)."""

    class Arguments:
        id = graphene.ID(description="The pending self-assessment")
        email = graphene.String(
            description="With `skill`: that person's latest pending self-assessment of the skill"
        )
        skill = graphene.String(description="Skill code (with `email`)")

    class Meta:
        permission = (policies.can_view_skill_map, policies.can_validate)
        object_permission = policies.can_validate_assessment
        error_codes = SkillsErrorCode

    assessment = graphene.Field(SkillAssessmentNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def get_target(cls, info, user, id=None, email=None, skill=None):
        assessment = None
        if id:
            pk = pk_from_global_id(id, "SkillAssessment")
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
        return assessment

    @classmethod
    def perform_mutation(cls, info, user, target, **_data):
        return cls.success(assessment=services.assessment_validate(actor=user, assessment=target))


class AddCertification(StaffProfileMutation):
    class Arguments:
        name = graphene.String(required=True)
        obtained_on = graphene.Date(required=True)
        issuer = graphene.String()
        expires_on = graphene.Date()
        skill = graphene.String(description="Skill code it evidences")
        credential_id = graphene.String()
        staff_profile = graphene.ID(description="Whose profile (default: your own)")
        email = graphene.String()

    class Meta:
        description = "Record a certification on your own profile, or (ICT managers) on anyone's in the pool."
        permission = policies.can_view_skill_map
        object_permission = policies.can_add_certification
        error_codes = SkillsErrorCode

    certification = graphene.Field(CertificationNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def perform_mutation(cls, info, user, target, name, obtained_on, skill=None, **kwargs):
        certification = services.certification_add(
            actor=user,
            staff=target,
            name=name,
            obtained_on=obtained_on,
            issuer=kwargs.get("issuer") or "",
            expires_on=kwargs.get("expires_on"),
            skill=_skill(skill) if skill else None,
            credential_id=kwargs.get("credential_id") or "",
        )
        return cls.success(certification=certification)


class Mutation(graphene.ObjectType):
    record_skill_assessment = RecordSkillAssessment.Field()
    validate_skill_assessment = ValidateSkillAssessment.Field()
    add_certification = AddCertification.Field()
