"""GraphQL types of support requests: requests, comments, attachments, assignments as the page shows them."""

import contextlib
import datetime as dt

import graphene
from django.urls import reverse
from graphene_django import DjangoObjectType

from accounts.schema import OrganizationNode  # noqa: F401 — registers the Organization type for `organization`
from core.api.errors import require_user
from core.api.names import LocalizedNameField
from core.api.relay import CountableConnection
from core.fiscal import fiscal_year_label, today
from skills.schema.types import SkillNode
from support import lifecycle, policies, selectors, selectors_watchers, sla
from support.models import (
    Comment,
    Phase,
    Priority,
    RequestCategory,
    SatisfactionResponse,
    Status,
    SupportRequest,
)

StatusEnum = graphene.Enum.from_enum(Status, name="SupportRequestStatus")
PhaseEnum = graphene.Enum.from_enum(Phase, name="ProjectPhase")
PriorityEnum = graphene.Enum.from_enum(Priority, name="SupportRequestPriority")


def sees_internal(info) -> bool:
    """policies.sees_internal for the request's user, decided once per GraphQL request (cached on the context):
    a list of 100 requests asks it for every row."""
    context = info.context
    cached = getattr(context, "_dx_sees_internal", None)
    if cached is None:
        cached = policies.sees_internal(context.user)
        with contextlib.suppress(AttributeError):  # a context that takes no attributes: decided each time
            context._dx_sees_internal = cached
    return cached


class RequestCategoryType(DjangoObjectType):
    localized_name = LocalizedNameField()

    class Meta:
        model = RequestCategory
        name = "RequestCategory"
        fields = ("code", "name", "name_en", "order", "active")


SuggestionSourceEnum = graphene.Enum(
    "SkillSuggestionSource",
    [("PROFILE", selectors.SuggestionSource.PROFILE), ("HISTORY", selectors.SuggestionSource.HISTORY)],
    description="PROFILE: the category's skill profile; HISTORY: often required by well-rated past requests.",
)


class CategorySkillSuggestionType(graphene.ObjectType):
    """A required skill suggested when triaging a request of the category."""

    class Meta:
        name = "CategorySkillSuggestion"

    skill = graphene.Field(SkillNode, required=True)
    min_level = graphene.Int(required=True)
    weight = graphene.Int(required=True)
    mandatory = graphene.Boolean(required=True)
    source = graphene.Field(SuggestionSourceEnum, required=True)
    share = graphene.Float(
        description="Share of the category's resolved requests rated 4 or more that required it (null: none yet)."
    )


class CategorySkillProfileType(graphene.ObjectType):
    class Meta:
        name = "CategorySkillProfile"

    category = graphene.Field(RequestCategoryType, required=True)
    skills = graphene.List(graphene.NonNull(CategorySkillSuggestionType), required=True)


class RequiredSkillType(graphene.ObjectType):
    class Meta:
        name = "RequiredSkill"

    skill_code = graphene.String(required=True)
    skill_name = graphene.String(required=True)
    min_level = graphene.Int(required=True)
    weight = graphene.Int(required=True)
    mandatory = graphene.Boolean(required=True)

    # A RequiredSkill, or one of the list's JSON rows (selectors.required_skill_rows) with these fields as keys.

    def resolve_skill_code(root, info):
        return root["skill_code"] if isinstance(root, dict) else root.skill.code

    def resolve_skill_name(root, info):
        return root["skill_name"] if isinstance(root, dict) else root.skill.name


class RequestAssignmentType(graphene.ObjectType):
    """An active assignment as the request page shows it; allocated hours only to the ICT side."""

    class Meta:
        name = "RequestAssignment"

    staff_name = graphene.String(required=True)
    role = graphene.String(required=True)
    allocated_hours_per_week = graphene.Float()
    assigned_at = graphene.DateTime()

    # An Assignment, or one of the list's JSON rows (selectors.active_assignment_rows).

    def resolve_staff_name(root, info):
        if isinstance(root, dict):
            return root["display_name"] or root["email"]  # as User.label
        return root.staff.user.label

    def resolve_allocated_hours_per_week(root, info):
        if not sees_internal(info):
            return None
        value = root["allocated_hours_per_week"] if isinstance(root, dict) else root.allocated_hours_per_week
        return float(value)

    def resolve_assigned_at(root, info):
        if isinstance(root, dict):
            return dt.datetime.fromisoformat(root["assigned_at"])
        return root.assigned_at


class AttachmentType(graphene.ObjectType):
    class Meta:
        name = "Attachment"

    name = graphene.String(required=True)
    content_type = graphene.String(required=True)
    size = graphene.Int(required=True)
    internal = graphene.Boolean(required=True)
    created = graphene.DateTime(required=True)
    download_url = graphene.String(
        required=True, description="Permission-checked; needs a signed-in session."
    )

    def resolve_name(root, info):
        return root.original_name

    def resolve_download_url(root, info):
        return reverse("support:attachment_download", args=[root.request.reference, root.pk])


class SatisfactionType(graphene.ObjectType):
    class Meta:
        name = "Satisfaction"

    score = graphene.Int(required=True)
    comment = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    frequency = graphene.Int(description="The frequency of support (1–5); null on older answers.")
    quality = graphene.Int(description="The quality of support (1–5); null on older answers.")
    is_low = graphene.Boolean(
        required=True, description="≤ 2 overall or in a dimension: the managers were alerted to follow it up."
    )
    follow_ups = graphene.List(
        graphene.NonNull(lambda: SatisfactionFollowUpType),
        required=True,
        description="What the ICT managers did about the rating (the ICT side only; empty for others).",
    )

    def resolve_follow_ups(root, info):
        if not sees_internal(info):
            return []
        return selectors.satisfaction_follow_up_list(root.request)


class SatisfactionFollowUpType(graphene.ObjectType):
    class Meta:
        name = "SatisfactionFollowUp"

    note = graphene.String(required=True)
    author_name = graphene.String(required=True)
    created = graphene.DateTime(required=True)

    def resolve_author_name(root, info):
        return root.author.label


class RequestWatcherType(graphene.ObjectType):
    """A colleague of the requesting organisation who watches the request (sees it, is told of its public comments
    and status changes)."""

    class Meta:
        name = "RequestWatcher"

    user_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    email = graphene.String(required=True)
    added = graphene.DateTime(required=True)

    def resolve_name(root, info):
        return root.user.label

    def resolve_email(root, info):
        return root.user.email

    def resolve_added(root, info):
        return root.created


class CommentNode(DjangoObjectType):
    author_name = graphene.String(required=True)

    class Meta:
        model = Comment
        name = "Comment"
        fields = ("id", "body", "internal", "created", "request")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_author_name(root, info):
        return root.author.label

    @classmethod
    def get_node(cls, info, id):
        user = require_user(info)
        return selectors.comment_get_for(user, pk=id)


class SupportRequestNode(DjangoObjectType):
    status = StatusEnum(required=True)
    phase = PhaseEnum(required=True)
    priority = PriorityEnum(required=True)
    category = graphene.Field(RequestCategoryType, required=True)
    fiscal_year_label = graphene.String(required=True)
    requester_name = graphene.String(required=True)
    estimated_hours = graphene.Float(description="ICT side only; null for requesters.")
    overdue = graphene.Boolean(
        required=True,
        description="Open and past a deadline it is still waiting on: its due date, or a service-level deadline "
        "(first response, triage, resolution) not met yet.",
    )
    first_response_due = graphene.Date(
        description="Service level: first response due (business days); null without one."
    )
    triage_due = graphene.Date(description="Service level: triage due; null without a service level.")
    resolution_due = graphene.Date(description="Service level: resolution due; null without a service level.")
    age_business_days = graphene.Int(
        required=True,
        description="Business days from submission to resolution (or close), or to today while open.",
    )
    is_overdue = graphene.Boolean(required=True, description="The same answer as `overdue`.")
    required_skills = graphene.List(
        graphene.NonNull(RequiredSkillType), required=True, description="ICT side only; empty for requesters."
    )
    assignments = graphene.List(graphene.NonNull(RequestAssignmentType), required=True)
    comments = graphene.List(
        graphene.NonNull(CommentNode), required=True, description="Internal notes only for the ICT side."
    )
    attachments = graphene.List(graphene.NonNull(AttachmentType), required=True)
    satisfaction = graphene.Field(SatisfactionType)
    allowed_transitions = graphene.List(graphene.NonNull(StatusEnum), required=True)
    engagement = graphene.Field(
        "support.schema.engagements.EngagementNode",
        description="The engagement the request came out of (a study session, a round table, an outreach "
        "consultation …); null when none, or when you may not see it.",
    )
    watchers = graphene.List(
        graphene.NonNull(RequestWatcherType),
        required=True,
        description="Colleagues of the requesting organisation the requester added to the request.",
    )

    class Meta:
        model = SupportRequest
        name = "SupportRequest"
        fields = (
            "id",
            "reference",
            "fiscal_year",
            "title",
            "description",
            "organization",
            "desired_start",
            "due_date",
            "contact",
            "rejection_reason",
            "submitted_at",
            "triaged_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
        )
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        user = require_user(info)
        return selectors.request_get_for(user, pk=id)

    @classmethod
    def is_type_of(cls, root, info):
        # DjangoObjectType's answer for support requests (their concrete model is ours), without its per-row
        # model validation: a list asks it for every row.
        return isinstance(root, cls) or (
            isinstance(root, SupportRequest) and root._meta.concrete_model is SupportRequest
        )

    # status, phase and priority: graphene's default resolver (the model's value; the enum serialises it), which
    # core.api.execution resolves without the per-field machinery.

    def resolve_fiscal_year_label(root, info):
        return fiscal_year_label(root.fiscal_year)

    def resolve_requester_name(root, info):
        return root.requester.label

    def resolve_estimated_hours(root, info):
        if root.estimated_hours is None or not sees_internal(info):
            return None
        return float(root.estimated_hours)

    def resolve_overdue(root, info):
        return root.is_overdue(today())

    def resolve_is_overdue(root, info):
        return root.is_overdue(today())

    def resolve_first_response_due(root, info):
        return root.first_response_due

    def resolve_triage_due(root, info):
        return root.triage_due

    def resolve_resolution_due(root, info):
        return root.resolution_due

    def resolve_age_business_days(root, info):
        return sla.age_business_days(root)

    def resolve_required_skills(root, info):
        if not sees_internal(info):
            return []
        for read_by_the_list in ("required_skill_rows", "required_skill_list"):  # see request_list_for_api
            rows = getattr(root, read_by_the_list, None)
            if rows is not None:
                return rows
        return list(root.required_skills.all())

    def resolve_assignments(root, info):
        rows = getattr(root, "assignment_rows", None)  # the list's JSON rows (PostgreSQL)
        if rows is not None:
            return rows
        prefetched = getattr(root, "active_assignments", None)
        if prefetched is not None:
            return prefetched
        return list(root.assignments.active().select_related("staff__user"))

    def resolve_comments(root, info):
        if hasattr(root, "visible_comments"):
            return root.visible_comments
        return list(selectors.comment_list_for(info.context.user, root))

    def resolve_attachments(root, info):
        if hasattr(root, "visible_attachments"):
            items = root.visible_attachments
        else:
            items = list(selectors.attachment_list_for(info.context.user, root))
        for item in items:
            item.request = root  # download URLs need the reference; no extra query
        return items

    def resolve_satisfaction(root, info):
        try:
            return root.satisfaction
        except SatisfactionResponse.DoesNotExist:
            return None

    def resolve_engagement(root, info):
        from support.selectors_engagements import engagement_of_request_for

        return engagement_of_request_for(info.context.user, root)

    def resolve_watchers(root, info):
        return selectors_watchers.watcher_list_for(info.context.user, root)

    def resolve_allowed_transitions(root, info):
        return lifecycle.allowed_targets(info.context.user, root)


class ServiceLevelType(graphene.ObjectType):
    """A service level: business days (開庁日) per priority and optionally category; the most specific wins."""

    priority = PriorityEnum(required=True)
    category = graphene.Field(
        RequestCategoryType, description="Null: every category without a level of its own."
    )
    first_response_days = graphene.Int(required=True)
    triage_days = graphene.Int(required=True)
    resolution_days = graphene.Int(required=True)

    def resolve_priority(root, info):
        return root.priority
