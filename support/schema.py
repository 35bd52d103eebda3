"""GraphQL for support requests: the same selectors, services and policies as the pages.

Lists are Relay connections scoped by `selectors.request_list_for` and prefetched there (plus comments and
attachments when the query asks for them), so a page costs the same number of queries whatever its size.
Attachments are uploaded through the page; here they are listed with permission-checked download URLs.
"""

import contextlib
import datetime as dt

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType
from graphql.language.ast import FieldNode, FragmentSpreadNode, InlineFragmentNode

from accounts.schema import OrganizationNode  # noqa: F401 — registers the Organization type for `organization`
from core.api.errors import FieldError, Forbidden, NotFound, errors_from, require_user
from core.api.relay import CountableConnection, ScopedConnectionField
from core.fiscal import fiscal_year_label, today
from support import lifecycle, policies, selectors, services
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


def _value(item):
    return getattr(item, "value", item)


def _sees_internal(info) -> bool:
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
    class Meta:
        model = RequestCategory
        name = "RequestCategory"
        fields = ("code", "name", "name_en", "order", "active")


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
        if not _sees_internal(info):
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
    overdue = graphene.Boolean(required=True)
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

    def resolve_status(root, info):
        return root.status

    def resolve_phase(root, info):
        return root.phase

    def resolve_priority(root, info):
        return root.priority

    def resolve_fiscal_year_label(root, info):
        return fiscal_year_label(root.fiscal_year)

    def resolve_requester_name(root, info):
        return root.requester.label

    def resolve_estimated_hours(root, info):
        if root.estimated_hours is None or not _sees_internal(info):
            return None
        return float(root.estimated_hours)

    def resolve_overdue(root, info):
        return root.is_overdue(today())

    def resolve_required_skills(root, info):
        if not _sees_internal(info):
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

    def resolve_allowed_transitions(root, info):
        return lifecycle.allowed_targets(info.context.user, root)


def _selected_node_fields(info) -> set[str]:
    """Field names asked for under edges { node { … } } (fragments included)."""
    names: set[str] = set()
    path = ("edges", "node")

    def walk(selection_set, depth):
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if depth < len(path):
                    if selection.name.value == path[depth] and selection.selection_set:
                        walk(selection.selection_set, depth + 1)
                else:
                    names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, depth)
            elif isinstance(selection, FragmentSpreadNode):
                walk(info.fragments[selection.name.value].selection_set, depth)

    for node in info.field_nodes:
        if node.selection_set:
            walk(node.selection_set, 0)
    return names


class Query(graphene.ObjectType):
    support_requests = ScopedConnectionField(
        SupportRequestNode,
        status=StatusEnum(),
        category=graphene.String(description="Category code"),
        phase=PhaseEnum(),
        organization=graphene.String(description="Organisation code"),
        fiscal_year=graphene.Int(),
        search=graphene.String(description="Reference or words of the title"),
        description="Support requests you may see (your organisation's, or all for the ICT side), newest first.",
    )
    support_request = graphene.Field(SupportRequestNode, reference=graphene.String(required=True))
    request_categories = graphene.List(graphene.NonNull(RequestCategoryType), required=True)

    def resolve_support_requests(
        root,
        info,
        status=None,
        category=None,
        phase=None,
        organization=None,
        fiscal_year=None,
        search=None,
        **_page,
    ):
        user = require_user(info)
        return selectors.request_list_for_api(
            user,
            fields=_selected_node_fields(info),
            filters={
                "status": _value(status),
                "category": category,
                "phase": _value(phase),
                "organization": organization,
                "fiscal_year": fiscal_year,
                "search": search,
            },
        )

    def resolve_support_request(root, info, reference):
        user = require_user(info)
        return selectors.request_get_for(user, reference=reference)

    def resolve_request_categories(root, info):
        require_user(info)
        return selectors.category_list()


# --- mutations ---------------------------------------------------------------------------------------------------


def _find(user, reference):
    found = selectors.request_get_for(user, reference=reference)
    if found is None:
        raise NotFound(_("No such support request."))
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


def _run(build_payload, call):
    """Call a service; expected failures come back in `errors`, refusals as FORBIDDEN."""
    try:
        return build_payload(call(), [])
    except ValidationError as error:
        return build_payload(None, errors_from(error))
    except PermissionDenied as denied:
        raise Forbidden(str(denied) or "You do not have permission to perform this action.") from denied


def _request_payload(result, errors):
    return SupportRequestPayload(support_request=result, errors=errors)


class SubmitSupportRequest(graphene.Mutation):
    class Arguments:
        title = graphene.String(required=True)
        description = graphene.String(required=True)
        category = graphene.String(required=True, description="Category code")
        phase = PhaseEnum(required=True)
        desired_start = graphene.Date()
        due_date = graphene.Date()
        contact = graphene.String()

    Output = SupportRequestPayload

    def mutate(
        root, info, title, description, category, phase, desired_start=None, due_date=None, contact=""
    ):
        user = require_user(info)

        def call():
            created = services.request_submit(
                actor=user,
                title=title,
                description=description,
                category=_category(category),
                phase=_value(phase),
                desired_start=desired_start,
                due_date=due_date,
                contact=contact or "",
            )
            return selectors.request_get_for(user, pk=created.pk)

        return _run(_request_payload, call)


class UpdateSupportRequest(graphene.Mutation):
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

    Output = SupportRequestPayload

    def mutate(root, info, reference, **changes):
        user = require_user(info)
        found = _find(user, reference)

        def call():
            values = {k: _value(v) for k, v in changes.items()}
            if "category" in values:
                values["category"] = _category(values["category"])
            services.request_update(actor=user, request=found, **values)
            return selectors.request_get_for(user, pk=found.pk)

        return _run(_request_payload, call)


class RequiredSkillInput(graphene.InputObjectType):
    skill_code = graphene.String(required=True)
    min_level = graphene.Int(required=True)
    weight = graphene.Int()
    mandatory = graphene.Boolean()


class TriageSupportRequest(graphene.Mutation):
    class Arguments:
        reference = graphene.String(required=True)
        accept = graphene.Boolean(required=True)
        priority = PriorityEnum()
        estimated_hours = graphene.Decimal()
        required_skills = graphene.List(graphene.NonNull(RequiredSkillInput))
        reason = graphene.String(description="Required when rejecting; the requester sees it.")

    Output = SupportRequestPayload

    def mutate(
        root, info, reference, accept, priority=None, estimated_hours=None, required_skills=None, reason=""
    ):
        user = require_user(info)
        found = _find(user, reference)

        def call():
            items = None
            if required_skills is not None:
                known = selectors.skills_by_code(item.skill_code for item in required_skills)
                unknown = [item.skill_code for item in required_skills if item.skill_code not in known]
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
                items = [
                    {
                        "skill": known[item.skill_code],
                        "min_level": item.min_level,
                        "weight": item.weight or 1,
                        "mandatory": bool(item.mandatory),
                    }
                    for item in required_skills
                ]
            services.request_triage(
                actor=user,
                request=found,
                accept=accept,
                priority=_value(priority),
                estimated_hours=estimated_hours,
                required_skills=items,
                reason=reason or "",
            )
            return selectors.request_get_for(user, pk=found.pk)

        return _run(_request_payload, call)


class ChangeSupportRequestStatus(graphene.Mutation):
    class Arguments:
        reference = graphene.String(required=True)
        status = StatusEnum(required=True)
        note = graphene.String()

    Output = SupportRequestPayload

    def mutate(root, info, reference, status, note=""):
        user = require_user(info)
        found = _find(user, reference)

        def call():
            services.request_change_status(
                actor=user, request=found, to_status=_value(status), note=note or ""
            )
            return selectors.request_get_for(user, pk=found.pk)

        return _run(_request_payload, call)


class WithdrawSupportRequest(graphene.Mutation):
    class Arguments:
        reference = graphene.String(required=True)
        note = graphene.String()

    Output = SupportRequestPayload

    def mutate(root, info, reference, note=""):
        user = require_user(info)
        found = _find(user, reference)

        def call():
            services.request_withdraw(actor=user, request=found, note=note or "")
            return selectors.request_get_for(user, pk=found.pk)

        return _run(_request_payload, call)


class SubmitSatisfaction(graphene.Mutation):
    class Arguments:
        reference = graphene.String(required=True)
        score = graphene.Int(required=True)
        comment = graphene.String()

    Output = SupportRequestPayload

    def mutate(root, info, reference, score, comment=""):
        user = require_user(info)
        found = _find(user, reference)

        def call():
            services.satisfaction_submit(actor=user, request=found, score=score, comment=comment or "")
            return selectors.request_get_for(user, pk=found.pk)

        return _run(_request_payload, call)


class AddComment(graphene.Mutation):
    class Arguments:
        reference = graphene.String(required=True)
        body = graphene.String(required=True)
        internal = graphene.Boolean(default_value=False, description="An internal note (ICT side only).")

    Output = CommentPayload

    def mutate(root, info, reference, body, internal=False):
        user = require_user(info)
        found = _find(user, reference)

        def build(comment, errors):
            refreshed = selectors.request_get_for(user, pk=found.pk) if comment else None
            return CommentPayload(comment=comment, support_request=refreshed, errors=errors)

        return _run(
            build, lambda: services.comment_add(actor=user, request=found, body=body, internal=internal)
        )


class Mutation(graphene.ObjectType):
    submit_support_request = SubmitSupportRequest.Field()
    update_support_request = UpdateSupportRequest.Field()
    triage_support_request = TriageSupportRequest.Field()
    change_support_request_status = ChangeSupportRequestStatus.Field()
    add_comment = AddComment.Field()
    withdraw_support_request = WithdrawSupportRequest.Field()
    submit_satisfaction = SubmitSatisfaction.Field()
