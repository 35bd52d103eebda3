"""GraphQL mutations of support requests, on core.api.mutations.BaseMutation: parse, call the service, answer."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.api.errors import FieldError, NotFound
from core.api.mutations import BaseMutation, error_code_enum
from core.api.relay import enum_value
from support import lifecycle, policies, selectors, services
from support.schema.types import CommentNode, PhaseEnum, PriorityEnum, StatusEnum, SupportRequestNode

# --- mutations ---------------------------------------------------------------------------------------------------

SupportErrorCode = error_code_enum(
    "SupportErrorCode",
    (
        # support.services, support.lifecycle and support.models, for the mutations below
        "inactive_category",
        "not_editable",
        "not_open",
        "due_before_start",
        "duplicate_skill",
        "retired_skill",
        "invalid_required_skill",
        "not_submitted",
        "reason_required",
        "unknown_status",
        "same_status",
        "terminal_status",
        "invalid_transition",
        "transition_not_permitted",
        "work_started",
        "request_finished",
        "already_rated",
        "not_resolved",
        "not_rated",
        "note_required",
        # support.services.saved_views
        "unknown_list",
        "too_many_views",
        "engagement_not_linkable",
        # support.services.engagements and this app's engagement mutations (support.schema.engagements)
        "required",
        "dates_required",
        "past_date",
        "ends_before_start",
        "not_schedulable",
        "not_requested",
        "not_scheduled",
        "unknown_organization",
        "unknown_staff",
        "file_type",
        "file_empty",
        "file_too_large",
        "file_content",
        # core.validators on model fields
        "control_characters",
        # this module's argument parsing
        "unknown_category",
        "unknown_skill",
    ),
    "support request",
)


ENGAGEMENT_ARGUMENT = graphene.ID(
    description="The engagement the request came out of (an `Engagement` id): one of the organisation's "
    "engagements (else errors code engagement_not_linkable); on update an empty string removes the link."
)


def _engagement(global_id):
    """The engagement named by its global id (None for an empty one); the service decides whether it may be linked."""
    from graphql_relay import from_global_id

    from support.engagement_models import Engagement

    if not global_id:
        return None
    try:
        kind, pk = from_global_id(global_id)
    except Exception:  # not base64 / not "Type:id"
        kind, pk = "", ""
    found = Engagement.objects.filter(pk=pk).first() if kind == "Engagement" and pk.isdigit() else None
    if found is None:
        raise ValidationError(
            {
                "engagement": ValidationError(
                    _("Choose one of your organisation's engagements."), code="engagement_not_linkable"
                )
            }
        )
    return found


def _category(code):
    if code is None:
        return None
    category = selectors.category_list(active_only=False).filter(code=code).first()
    if category is None:
        raise ValidationError(
            {"category": ValidationError(_("Unknown category code."), code="unknown_category")}
        )
    return category


class SupportRequestPayload(graphene.ObjectType):
    support_request = graphene.Field(SupportRequestNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class CommentPayload(graphene.ObjectType):
    comment = graphene.Field(CommentNode)
    support_request = graphene.Field(SupportRequestNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class SupportRequestMutation(BaseMutation):
    """A mutation on one support request, named by `reference` and looked up in the user's scope."""

    class Meta:
        abstract = True

    Output = SupportRequestPayload

    @classmethod
    def get_target(cls, info, user, reference=None, **_data):
        found = selectors.request_get_for(user, reference=reference)
        if found is None:
            raise NotFound(_("No such support request."))
        return found

    @classmethod
    def request_payload(cls, user, request):
        """The payload with the request as the user now sees it."""
        return SupportRequestPayload(
            support_request=selectors.request_get_for(user, pk=request.pk), errors=[]
        )


class SubmitSupportRequest(SupportRequestMutation):
    class Arguments:
        title = graphene.String(required=True)
        description = graphene.String(required=True)
        category = graphene.String(required=True, description="Category code")
        phase = PhaseEnum(required=True)
        desired_start = graphene.Date()
        due_date = graphene.Date()
        contact = graphene.String()
        engagement = ENGAGEMENT_ARGUMENT

    class Meta:
        description = "File a support request for your organisation (requesters); it gets its reference now."
        permission = policies.can_submit
        error_codes = SupportErrorCode

    @classmethod
    def get_target(cls, info, user, **_data):
        return None

    @classmethod
    def perform_mutation(cls, info, user, target, category, phase, contact=None, engagement=None, **data):
        created = services.request_submit(
            actor=user,
            category=_category(category),
            phase=enum_value(phase),
            contact=contact or "",
            engagement=_engagement(engagement),
            **data,
        )
        return cls.request_payload(user, created)


class UpdateSupportRequest(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        title = graphene.String()
        description = graphene.String()
        category = graphene.String()
        phase = PhaseEnum()
        desired_start = graphene.Date()
        due_date = graphene.Date()
        contact = graphene.String()
        priority = PriorityEnum()
        estimated_hours = graphene.Decimal()
        engagement = ENGAGEMENT_ARGUMENT

    class Meta:
        description = (
            "Edit a request: the requesting side while it is submitted, ICT managers (also priority and "
            "estimated hours) while it is open. Only the arguments given change."
        )
        object_permission = policies.can_edit
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, reference, **changes):
        values = {k: enum_value(v) for k, v in changes.items()}
        if "category" in values:
            values["category"] = _category(values["category"])
        if "engagement" in values:
            values["engagement"] = _engagement(values["engagement"])
        services.request_update(actor=user, request=target, **values)
        return cls.request_payload(user, target)


class RequiredSkillInput(graphene.InputObjectType):
    skill_code = graphene.String(required=True)
    min_level = graphene.Int(required=True)
    weight = graphene.Int()
    mandatory = graphene.Boolean()


def _required_skills(items):
    """The input rows with their skills looked up by code (unknown codes are a `required_skills` error)."""
    if items is None:
        return None
    known = selectors.skills_by_code(item.skill_code for item in items)
    unknown = [item.skill_code for item in items if item.skill_code not in known]
    if unknown:
        raise ValidationError(
            {
                "required_skills": ValidationError(
                    _("Unknown skill code: %(codes)s"),
                    code="unknown_skill",
                    params={"codes": ", ".join(unknown)},
                )
            }
        )
    return [
        {
            "skill": known[item.skill_code],
            "min_level": item.min_level,
            "weight": item.weight or 1,
            "mandatory": bool(item.mandatory),
        }
        for item in items
    ]


class TriageSupportRequest(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        accept = graphene.Boolean(required=True)
        priority = PriorityEnum()
        estimated_hours = graphene.Decimal()
        required_skills = graphene.List(graphene.NonNull(RequiredSkillInput))
        reason = graphene.String(description="Required when rejecting; the requester sees it.")
        category = graphene.String(
            description="Category code: corrects the requester's choice when accepting (omit to keep it)."
        )

    class Meta:
        description = (
            "Accept a submitted request (with priority, estimated hours, required skills and, if need be, the "
            "corrected category) or reject it with a reason (ICT managers)."
        )
        permission = policies.can_triage
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(
        cls,
        info,
        user,
        target,
        accept,
        priority=None,
        estimated_hours=None,
        required_skills=None,
        reason="",
        category=None,
        **_,
    ):
        services.request_triage(
            actor=user,
            request=target,
            accept=accept,
            priority=enum_value(priority),
            estimated_hours=estimated_hours,
            required_skills=_required_skills(required_skills),
            reason=reason or "",
            category=_category(category) if category else None,
        )
        return cls.request_payload(user, target)


class ChangeSupportRequestStatus(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        status = StatusEnum(required=True)
        note = graphene.String()

    class Meta:
        description = "Move a request along its lifecycle (`allowedTransitions` lists the moves open to you)."
        object_permission = lifecycle.actors_of  # some part in the request; the lifecycle decides the move
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, status, note="", **_):
        services.request_change_status(
            actor=user, request=target, to_status=enum_value(status), note=note or ""
        )
        return cls.request_payload(user, target)


class WithdrawSupportRequest(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        note = graphene.String()

    class Meta:
        description = "The requesting side withdraws a request before work on it starts."
        object_permission = policies.can_withdraw
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, note="", **_):
        services.request_withdraw(actor=user, request=target, note=note or "")
        return cls.request_payload(user, target)


class SubmitSatisfaction(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        score = graphene.Int(required=True)
        comment = graphene.String()
        frequency = graphene.Int(description="The frequency of support (1–5), optional.")
        quality = graphene.Int(
            description="The quality of support (1–5), optional. A rating ≤ 2 (overall or in either "
            "dimension) alerts the ICT managers."
        )

    class Meta:
        description = "The requesting side rates a resolved request once (1–5); rating closes it."
        object_permission = policies.can_rate
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, score, comment="", frequency=None, quality=None, **_):
        services.satisfaction_submit(
            actor=user,
            request=target,
            score=score,
            comment=comment or "",
            frequency=frequency,
            quality=quality,
        )
        return cls.request_payload(user, target)


class RecordSatisfactionFollowUp(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        note = graphene.String(required=True, description="What was done about the rating.")

    class Meta:
        description = "An ICT manager records what was done about a request's (low) satisfaction rating."
        permission = policies.can_follow_up_ratings
        object_permission = policies.can_follow_up
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, note, **_):
        services.satisfaction_follow_up_record(actor=user, request=target, note=note)
        return cls.request_payload(user, target)


class AddComment(SupportRequestMutation):
    class Arguments:
        reference = graphene.String(required=True)
        body = graphene.String(required=True)
        internal = graphene.Boolean(default_value=False, description="An internal note (ICT side only).")

    Output = CommentPayload

    class Meta:
        description = "A public comment on a request, or an internal note (the ICT side working on it)."
        object_permission = policies.takes_part  # the service asks can_comment with `internal`
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, body, internal=False, **_):
        comment = services.comment_add(actor=user, request=target, body=body, internal=internal)
        refreshed = selectors.request_get_for(user, pk=target.pk)
        return CommentPayload(comment=comment, support_request=refreshed, errors=[])


class Mutation(graphene.ObjectType):
    submit_support_request = SubmitSupportRequest.Field()
    update_support_request = UpdateSupportRequest.Field()
    triage_support_request = TriageSupportRequest.Field()
    change_support_request_status = ChangeSupportRequestStatus.Field()
    add_comment = AddComment.Field()
    withdraw_support_request = WithdrawSupportRequest.Field()
    submit_satisfaction = SubmitSatisfaction.Field()
    record_satisfaction_follow_up = RecordSatisfactionFollowUp.Field()
