"""GraphQL of the municipal pillar: engagements (a Relay connection scoped like the pages), asking for an outreach
consultation, recording an engagement, the 360° view of an organisation and the coverage of the municipalities.
The same selectors, services and policies as support/views_engagements.py."""

import graphene
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType

from accounts.models import Organization
from core.api.errors import FieldError, Forbidden, require_user
from core.api.mutations import BaseMutation
from core.api.periods import period_arguments
from core.api.relay import CountableConnection, ScopedConnectionField, enum_value
from skills.models import StaffProfile
from support import engagement_policies as policies
from support import selectors_engagements as selectors
from support.engagement_models import Engagement, EngagementKind, EngagementStatus
from support.schema.mutations import SupportErrorCode
from support.services import engagements as services

EngagementKindEnum = graphene.Enum.from_enum(EngagementKind, name="EngagementKind")
EngagementStatusEnum = graphene.Enum.from_enum(EngagementStatus, name="EngagementStatus")

# The engagement mutations answer with the support app's codes (support.schema.mutations.SupportErrorCode).


class OrganizationRefType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)


class EngagementMaterialType(graphene.ObjectType):
    name = graphene.String(required=True)
    size = graphene.Int(required=True)
    download_url = graphene.String(required=True)


class EngagementNode(DjangoObjectType):
    kind = EngagementKindEnum(required=True)
    status = EngagementStatusEnum(required=True)
    organizations = graphene.List(graphene.NonNull(OrganizationRefType), required=True)
    requesting_organization = graphene.Field(OrganizationRefType)
    proposed_dates = graphene.List(graphene.NonNull(graphene.String), required=True)
    staff_names = graphene.List(graphene.NonNull(graphene.String), required=True)
    satisfaction = graphene.Float(description="Participants' average satisfaction (1–5), when asked.")
    materials = graphene.List(graphene.NonNull(EngagementMaterialType), required=True)
    requests = graphene.List(
        graphene.NonNull("support.schema.types.SupportRequestNode"),
        required=True,
        description="The requests that came out of it (those you may see).",
    )

    class Meta:
        model = Engagement
        name = "Engagement"
        fields = (
            "id",
            "fiscal_year",
            "starts_at",
            "ends_at",
            "theme",
            "description",
            "participant_count",
            "participant_names",
            "outcomes",
            "follow_ups",
            "decline_reason",
        )
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    @classmethod
    def get_node(cls, info, id):
        return selectors.engagement_get_for(require_user(info), id)

    def resolve_kind(root, info):
        return root.kind

    def resolve_status(root, info):
        return root.status

    def resolve_organizations(root, info):
        return list(root.organizations.all())

    def resolve_proposed_dates(root, info):
        return list(root.proposed_dates or [])

    def resolve_staff_names(root, info):
        return [str(s) for s in root.staff.all()]

    def resolve_satisfaction(root, info):
        return float(root.satisfaction) if root.satisfaction is not None else None

    def resolve_requests(root, info):
        return list(selectors.requests_of_engagement_for(info.context.user, root))

    def resolve_materials(root, info):
        return [
            EngagementMaterialType(
                name=m.original_name,
                size=m.size,
                download_url=reverse("support:engagement_material", args=[root.pk, m.pk]),
            )
            for m in root.materials.all()
        ]


class CountType(graphene.ObjectType):
    key = graphene.String(required=True)
    count = graphene.Int(required=True)


class ContactType(graphene.ObjectType):
    name = graphene.String(required=True)
    email = graphene.String(required=True)


class OrganizationOverviewType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    request_count = graphene.Int(required=True)
    open_request_references = graphene.List(graphene.NonNull(graphene.String), required=True)
    requests_by_status = graphene.List(graphene.NonNull(CountType), required=True)
    satisfaction_average = graphene.Float()
    satisfaction_count = graphene.Int(required=True)
    engagements_by_kind = graphene.List(graphene.NonNull(CountType), required=True)
    engagements = graphene.List(graphene.NonNull(EngagementNode), required=True)
    trainings_attended = graphene.List(graphene.NonNull(EngagementNode), required=True)
    open_items = graphene.List(graphene.NonNull(EngagementNode), required=True)
    contacts = graphene.List(graphene.NonNull(ContactType), required=True)


def _overview(o) -> OrganizationOverviewType:
    return OrganizationOverviewType(
        code=o.organization.code,
        name=o.organization.name,
        request_count=o.request_count,
        open_request_references=[r.reference for r in o.open_requests],
        requests_by_status=[CountType(key=k, count=n) for k, n in sorted(o.requests_by_status.items())],
        satisfaction_average=o.satisfaction_average,
        satisfaction_count=o.satisfaction_count,
        engagements_by_kind=[CountType(key=str(k), count=n) for k, n in o.engagements_by_kind.items()],
        engagements=o.engagements,
        trainings_attended=o.trainings_attended,
        open_items=o.open_outreach,
        contacts=[ContactType(name=u.label, email=u.email) for u in o.contacts],
    )


class CoverageRowType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    round_table = graphene.Boolean(required=True)
    outreach = graphene.Boolean(required=True)
    any_engagement = graphene.Boolean(required=True)
    engagement_count = graphene.Int(required=True)


class EngagementCoverageType(graphene.ObjectType):
    fiscal_year = graphene.Int(required=True)
    municipalities = graphene.Int(required=True)
    with_round_table = graphene.Int(required=True)
    with_outreach = graphene.Int(required=True)
    with_any_engagement = graphene.Int(required=True)
    without_engagement = graphene.Int(required=True)
    rows = graphene.List(graphene.NonNull(CoverageRowType), required=True)


class Query(graphene.ObjectType):
    engagements = ScopedConnectionField(
        EngagementNode,
        kind=EngagementKindEnum(),
        status=EngagementStatusEnum(),
        fiscal_year=graphene.Int(),
        organization=graphene.String(description="Organisation code"),
        description="Engagements you may see (your organisation's, or all for the ICT side), newest first.",
    )
    organization_overview = graphene.Field(
        OrganizationOverviewType,
        code=graphene.String(required=True),
        description="The 360° view of an organisation (the ICT side; requesters their own); null when not yours.",
    )
    engagement_coverage = graphene.Field(
        EngagementCoverageType,
        fiscal_year=graphene.Int(required=True),
        description="Which municipalities had a round table, an outreach consultation or any engagement held in "
        "the fiscal year (ICT managers, HR, admins).",
    )

    def resolve_engagements(root, info, kind=None, status=None, fiscal_year=None, organization=None, **_page):
        queryset = selectors.engagement_list_for(require_user(info))
        if kind:
            queryset = queryset.filter(kind=enum_value(kind))
        if status:
            queryset = queryset.filter(status=enum_value(status))
        if fiscal_year:
            queryset = queryset.filter(fiscal_year=fiscal_year)
        if organization:
            queryset = queryset.filter(organizations__code=organization)
        return queryset

    def resolve_organization_overview(root, info, code):
        found = selectors.organization_overview_for(require_user(info), code)
        return _overview(found) if found else None

    def resolve_engagement_coverage(root, info, fiscal_year):
        if not policies.can_view_aggregates(require_user(info)):
            raise Forbidden()
        fiscal_year, _quarter = period_arguments(fiscal_year)
        rows = selectors.engagement_coverage(fiscal_year)
        s = selectors.coverage_summary(rows)
        return EngagementCoverageType(
            fiscal_year=fiscal_year,
            municipalities=s["municipalities"],
            with_round_table=s["round_table"],
            with_outreach=s["outreach"],
            with_any_engagement=s["any_engagement"],
            without_engagement=s["none"],
            rows=[
                CoverageRowType(
                    code=r.organization.code,
                    name=r.organization.name,
                    round_table=r.round_table,
                    outreach=r.outreach,
                    any_engagement=r.any_engagement,
                    engagement_count=r.engagement_count,
                )
                for r in rows
            ],
        )


class EngagementPayload(graphene.ObjectType):
    engagement = graphene.Field(EngagementNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _organizations(codes):
    codes = list(codes or [])
    found = list(Organization.objects.filter(code__in=codes, active=True))
    if len(found) != len(set(codes)):
        raise ValidationError(
            {
                "organization_codes": ValidationError(
                    _("Unknown organisation code."), code="unknown_organization"
                )
            }
        )
    return found


def _staff(emails):
    emails = list(emails or [])
    found = list(StaffProfile.objects.filter(user__email__in=emails))
    if len(found) != len(set(emails)):
        raise ValidationError(
            {"staff_emails": ValidationError(_("Unknown staff member."), code="unknown_staff")}
        )
    return found


class SubmitEngagement(BaseMutation):
    class Arguments:
        kind = EngagementKindEnum(required=True)
        theme = graphene.String(required=True)
        starts_at = graphene.DateTime(required=True)
        ends_at = graphene.DateTime()
        organization_codes = graphene.List(graphene.NonNull(graphene.String))
        staff_emails = graphene.List(graphene.NonNull(graphene.String))
        description = graphene.String()
        participant_count = graphene.Int()
        participant_names = graphene.String()
        outcomes = graphene.String()
        follow_ups = graphene.String()
        satisfaction = graphene.Float()

    class Meta:
        description = (
            "Record an engagement (ICT managers): held if it has started, scheduled if it lies ahead."
        )
        permission = policies.can_record_engagement
        error_codes = SupportErrorCode

    Output = EngagementPayload

    @classmethod
    def perform_mutation(cls, info, user, target, kind, organization_codes=None, staff_emails=None, **data):
        engagement = services.engagement_record(
            actor=user,
            kind=enum_value(kind),
            organizations=_organizations(organization_codes),
            staff=_staff(staff_emails),
            **{k: v for k, v in data.items() if v is not None},
        )
        return cls.success(engagement=selectors.engagement_get_for(user, engagement.pk))


class RequestOutreach(BaseMutation):
    class Arguments:
        theme = graphene.String(required=True)
        description = graphene.String()
        proposed_dates = graphene.List(graphene.NonNull(graphene.Date), required=True)

    class Meta:
        description = "Ask for an outreach consultation for your organisation (requesters), proposing dates."
        permission = policies.can_request_outreach
        error_codes = SupportErrorCode

    Output = EngagementPayload

    @classmethod
    def perform_mutation(cls, info, user, target, theme, proposed_dates, description=None):
        engagement = services.outreach_request(
            actor=user, theme=theme, description=description or "", proposed_dates=proposed_dates
        )
        return cls.success(engagement=selectors.engagement_get_for(user, engagement.pk))


class Mutation(graphene.ObjectType):
    submit_engagement = SubmitEngagement.Field()
    request_outreach = RequestOutreach.Field()
