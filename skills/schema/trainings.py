"""GraphQL of trainings: the catalogue with its sessions (the pool and HR) and recording a completion (HR, ICT
managers). The same selectors, services and policies as skills/views_trainings.py."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.api.errors import FieldError, Forbidden, require_user
from core.api.mutations import BaseMutation
from skills import training_policies as policies
from skills.models import StaffProfile
from skills.schema.mutations import SkillsErrorCode
from skills.selectors import trainings as selectors
from skills.services.trainings import training_record_completion


class TrainingSkillType(graphene.ObjectType):
    skill_code = graphene.String(required=True)
    skill_name = graphene.String(required=True)
    level = graphene.Int(required=True, description="The level the course builds the skill to.")


class TrainingSessionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date()
    location = graphene.String(required=True)


class TrainingCourseType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    provider = graphene.String(required=True)
    skills = graphene.List(graphene.NonNull(TrainingSkillType), required=True)
    job_types = graphene.List(graphene.NonNull(graphene.String), required=True, description="Job type codes")
    sessions = graphene.List(graphene.NonNull(TrainingSessionType), required=True)
    completed_count = graphene.Int(required=True)

    def resolve_skills(root, info):
        return [
            TrainingSkillType(skill_code=t.skill.code, skill_name=t.skill.name, level=t.level)
            for t in root.skills_built.all()
        ]

    def resolve_job_types(root, info):
        return [j.code for j in root.job_types.all()]

    def resolve_sessions(root, info):
        return list(root.sessions.all())


class TrainingCompletionType(graphene.ObjectType):
    course_code = graphene.String(required=True)
    staff_email = graphene.String(required=True)
    completed_on = graphene.Date(required=True)


class Query(graphene.ObjectType):
    trainings = graphene.List(
        graphene.NonNull(TrainingCourseType),
        required=True,
        description="The training catalogue with its sessions (the talent pool, HR, admins).",
    )

    def resolve_trainings(root, info):
        if not policies.can_view_trainings(require_user(info)):
            raise Forbidden()
        return selectors.course_list().prefetch_related("sessions")


class TrainingCompletionPayload(graphene.ObjectType):
    completion = graphene.Field(TrainingCompletionType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class RecordTrainingCompletion(BaseMutation):
    class Arguments:
        course_code = graphene.String(required=True)
        staff_email = graphene.String(required=True)
        session_id = graphene.ID(
            description="The session; defaults to the course's latest session already started."
        )
        completed_on = graphene.Date(description="Defaults to today.")

    class Meta:
        description = "Record that a person completed a training session (HR, ICT managers, admins)."
        permission = policies.can_record_training_completion
        error_codes = SkillsErrorCode

    Output = TrainingCompletionPayload

    @classmethod
    def perform_mutation(
        cls, info, user, target, course_code, staff_email, session_id=None, completed_on=None
    ):
        session = selectors.session_for(course_code, session_id)
        staff = StaffProfile.objects.filter(user__email=staff_email).first()
        if session is None or staff is None:
            field = "session_id" if session is None else "staff_email"
            raise ValidationError({field: ValidationError(_("Not found."), code="not_found")})
        attendance = training_record_completion(
            actor=user, session=session, staff=staff, completed_on=completed_on
        )
        return cls.success(
            completion=TrainingCompletionType(
                course_code=session.course.code, staff_email=staff_email, completed_on=attendance.completed_on
            )
        )


class Mutation(graphene.ObjectType):
    record_training_completion = RecordTrainingCompletion.Field()
