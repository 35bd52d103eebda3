"""Know-how in GraphQL: similarRequests(text, limit), relatedRequests(reference), cases(search, category, skill, …),
publishCase, withdrawCase, linkRelatedRequests and unlinkRelatedRequests — the same selectors, services and policies as the pages."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType

from core.api.errors import FieldError, NotFound, require_user
from core.api.mutations import BaseMutation, error_code_enum, signed_in
from core.api.relay import CountableConnection, ScopedConnectionField, pk_from_global_id
from knowhow import policies, selectors, services
from knowhow.models import Case, CaseStatus
from support.schema import SupportRequestNode
from support.selectors import request_get_for

KnowhowErrorCode = error_code_enum(
    "KnowhowErrorCode",
    ("not_resolved", "not_published", "same_request", "control_characters", "unknown_request"),
    "know-how",
)
CaseStatusEnum = graphene.Enum.from_enum(CaseStatus, name="CaseStatus")


class CaseNode(DjangoObjectType):
    """A case of the case library (好事例): the public summary of a resolved request."""

    class Meta:
        model = Case
        name = "Case"
        fields = ("title", "problem", "actions", "lessons", "published_at", "updated_at")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    documents = graphene.String(required=True, description="One document or link a line.")
    status = graphene.Field(CaseStatusEnum, required=True)
    organization_name = graphene.String(description="The requesting organisation; null when anonymised.")
    organization_kind = graphene.String(required=True)
    category = graphene.String(required=True, description="Category code")
    phase = graphene.String(required=True)
    fiscal_year = graphene.Int(required=True)
    request_reference = graphene.String(description="The request's reference, when you may see the request.")

    @classmethod
    def get_node(cls, info, id):
        return selectors.case_get_for(require_user(info), id)

    def resolve_status(root, info):
        return root.status

    def resolve_organization_name(root, info):
        return root.request.organization.name if root.show_organization else None

    def resolve_organization_kind(root, info):
        return root.request.organization.kind

    def resolve_category(root, info):
        return root.request.category.code

    def resolve_phase(root, info):
        return root.request.phase

    def resolve_fiscal_year(root, info):
        return root.request.fiscal_year

    def resolve_request_reference(root, info):
        user = info.context.user
        visible = policies.sees_every_request(user) or root.request.organization_id == user.organization_id
        return root.request.reference if visible else None


class SimilarRequestType(graphene.ObjectType):
    """A similar past request as you may see it: a published case, or a request of your scope. Who worked on it,
    its skills, effort and satisfaction are for the ICT side (empty / null otherwise)."""

    class Meta:
        name = "SimilarRequest"

    score = graphene.Float(required=True)
    reference = graphene.String(description="Null when only the published case may be shown to you.")
    title = graphene.String(required=True)
    case = graphene.Field(CaseNode)
    worked_on_by = graphene.List(graphene.NonNull(graphene.String), required=True)
    skills = graphene.List(graphene.NonNull(graphene.String), required=True, description="Skill codes")
    effort_hours = graphene.Float()
    satisfaction = graphene.Int()

    def resolve_reference(root, info):
        return root.request.reference if root.show_request else None

    def resolve_title(root, info):
        return root.request.title if root.show_request else root.case.title

    def resolve_worked_on_by(root, info):
        return root.people

    def resolve_skills(root, info):
        return [skill.code for skill in root.skills]

    def resolve_effort_hours(root, info):
        return float(root.effort_hours) if root.effort_hours is not None else None


class Query(graphene.ObjectType):
    similar_requests = graphene.List(
        graphene.NonNull(SimilarRequestType),
        required=True,
        text=graphene.String(required=True),
        limit=graphene.Int(default_value=5, description="At most 20"),
        description="Past requests similar to a text (Japanese or English), best first, within what you may see.",
    )
    related_requests = graphene.List(
        graphene.NonNull(SupportRequestNode),
        required=True,
        reference=graphene.String(required=True),
        description="The requests linked as related to a request you may see (both directions).",
    )
    cases = ScopedConnectionField(
        CaseNode,
        search=graphene.String(),
        category=graphene.String(description="Category code"),
        skill=graphene.String(description="Skill code"),
        phase=graphene.String(),
        organization_kind=graphene.String(),
        fiscal_year=graphene.Int(),
        description="The case library (published cases), newest first or by relevance to `search`.",
    )

    def resolve_similar_requests(root, info, text, limit=5):
        return selectors.similar_requests_for(require_user(info), text[:4000], limit=limit or 0)

    def resolve_related_requests(root, info, reference):
        user = require_user(info)
        found = request_get_for(user, reference=reference)
        if found is None:
            raise NotFound(_("No such support request."))
        return list(selectors.related_requests_for(user, found))

    def resolve_cases(root, info, **args):
        filters = {
            key: args.get(key) or "" for key in ("search", "category", "skill", "phase", "organization_kind")
        }
        return selectors.case_list_for(require_user(info), fiscal_year=args.get("fiscal_year"), **filters)


class CasePayload(graphene.ObjectType):
    case = graphene.Field(CaseNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _request(user, reference):
    """The request a know-how mutation acts on, in the user's scope (NOT_FOUND otherwise)."""
    found = request_get_for(user, reference=reference)
    if found is None:
        raise NotFound(_("No such support request."))
    return found


class _OnRequest(BaseMutation):
    """A know-how mutation on one request, looked up in the user's scope by `reference`."""

    class Meta:
        abstract = True

    @classmethod
    def get_target(cls, info, user, reference=None, **_data):
        return _request(user, reference)


class PublishCase(_OnRequest):
    class Arguments:
        reference = graphene.String(required=True, description="The resolved request the case summarises")
        title = graphene.String()
        problem = graphene.String()
        actions = graphene.String(description="What was done")
        lessons = graphene.String()
        documents = graphene.String(description="One document or link a line")
        show_organization = graphene.Boolean(
            description="Name the requesting organisation (default: anonymised)"
        )

    class Meta:
        description = (
            "Write or update the public summary of a resolved request and publish it in the case library."
        )
        permission = signed_in
        object_permission = policies.can_publish_case
        error_codes = KnowhowErrorCode

    Output = CasePayload

    @classmethod
    def perform_mutation(cls, info, user, target, reference=None, **data):
        return cls.success(case=services.case_publish(actor=user, request=target, **data))


class WithdrawCase(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True, description="The case's global id")

    class Meta:
        description = "Withdraw a published case from the case library (it can be published again)."
        permission = signed_in
        object_permission = policies.can_withdraw_case
        error_codes = KnowhowErrorCode

    Output = CasePayload

    @classmethod
    def get_target(cls, info, user, id=None, **_data):  # noqa: A002 — the argument's name in the schema
        found = selectors.case_get_for(user, pk_from_global_id(id, "Case"))
        if found is None:
            raise NotFound(_("No such case."))
        return found

    @classmethod
    def perform_mutation(cls, info, user, target, **_data):
        return cls.success(case=services.case_withdraw(actor=user, case=target))


class RelatedRequestsPayload(graphene.ObjectType):
    support_request = graphene.Field(SupportRequestNode)
    related_requests = graphene.List(
        graphene.NonNull(SupportRequestNode),
        required=True,
        description="The request's related requests after the change (both directions, those you may see).",
    )
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class _LinkMutation(_OnRequest):
    """Link or unlink two requests as related (knowhow.services.link_add / link_remove): the ICT side."""

    class Meta:
        abstract = True

    class Arguments:
        reference = graphene.String(required=True)
        related_reference = graphene.String(required=True, description="The other request")

    Output = RelatedRequestsPayload

    @classmethod
    def failure(cls, errors, target):
        return RelatedRequestsPayload(support_request=target, related_requests=[], errors=errors)

    @classmethod
    def perform_mutation(cls, info, user, target, related_reference=None, **_data):
        other = request_get_for(user, reference=(related_reference or "").strip())
        if other is None:
            raise ValidationError(
                {
                    "related_reference": ValidationError(
                        _("No request with this reference."), code="unknown_request"
                    )
                }
            )
        try:
            cls.service(actor=user, request=target, other=other)
        except (
            ValidationError
        ) as error:  # the service names the other request `other`; this API relatedReference
            if hasattr(error, "error_dict") and "other" in error.error_dict:
                error.error_dict["related_reference"] = error.error_dict.pop("other")
            raise
        return RelatedRequestsPayload(
            support_request=target,
            related_requests=list(selectors.related_requests_for(user, target)),
            errors=[],
        )


class LinkRelatedRequests(_LinkMutation):
    class Meta:
        description = (
            "Mark two requests as related (the ICT side; idempotent). Each request then lists the other under "
            "`relatedRequests`."
        )
        permission = policies.can_link
        error_codes = KnowhowErrorCode

    service = staticmethod(services.link_add)


class UnlinkRelatedRequests(_LinkMutation):
    class Meta:
        description = "Remove the link between two related requests (the ICT side; either direction)."
        permission = policies.can_link
        error_codes = KnowhowErrorCode

    service = staticmethod(services.link_remove)


class Mutation(graphene.ObjectType):
    publish_case = PublishCase.Field()
    withdraw_case = WithdrawCase.Field()
    link_related_requests = LinkRelatedRequests.Field()
    unlink_related_requests = UnlinkRelatedRequests.Field()
