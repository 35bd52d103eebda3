"""Reads about engagements, scoped by support.engagement_policies: lists, one engagement, the 360° view of an
organisation and the coverage of the 62 municipalities in a fiscal year."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Organization, OrganizationKind
from accounts.roles import Role
from support import engagement_policies as policies
from support.engagement_models import Engagement, EngagementKind, EngagementMaterial, EngagementStatus
from support.models import OPEN_STATUSES, SatisfactionResponse, SupportRequest

#: Engagements through which an organisation's staff learn (the "trainings attended" of the 360° view).
LEARNING_KINDS = (EngagementKind.STUDY_SESSION, EngagementKind.TRAINING)


def _base() -> QuerySet:
    return Engagement.objects.select_related("requesting_organization").prefetch_related(
        Prefetch("organizations", queryset=Organization.objects.order_by("code")),
        Prefetch("staff__user"),
        "materials",
    )


def engagement_list_for(user) -> QuerySet:
    return _base().filter(policies.engagement_scope(user))


def engagement_get_for(user, pk) -> Engagement | None:
    try:
        return engagement_list_for(user).get(pk=pk)
    except (Engagement.DoesNotExist, ValueError, TypeError):
        return None


def material_get_for(user, engagement: Engagement, pk) -> EngagementMaterial | None:
    if not policies.can_view_engagement(user, engagement):
        return None
    return EngagementMaterial.objects.filter(engagement=engagement, pk=pk).first()


def engagements_linkable_to(organization_id) -> QuerySet:
    """The engagements a request of the organisation may come out of (engagement_policies.linkable_to_request),
    latest first: the choices of the request form."""
    if organization_id is None:
        return Engagement.objects.none()
    return (
        Engagement.objects.filter(policies.linkable_to_request(organization_id))
        .order_by("-starts_at", "-pk")
        .distinct()
    )


def engagement_of_request_for(user, request: SupportRequest) -> Engagement | None:
    """The engagement a request came out of, when there is one and the user may see it."""
    if request.engagement_id is None:
        return None
    return engagement_get_for(user, request.engagement_id)


def requests_of_engagement_for(user, engagement: Engagement) -> QuerySet:
    """The requests that came out of an engagement, those the user may see, oldest first."""
    from support.policies import request_scope

    return (
        engagement.requests.filter(request_scope(user))
        .select_related("organization", "category", "requester")
        .order_by("submitted_at", "pk")
    )


def outreach_queue() -> QuerySet:
    return _base().filter(kind=EngagementKind.OUTREACH, status=EngagementStatus.REQUESTED).order_by("created")


def _taking_part(organization_id) -> QuerySet:
    return Engagement.organizations.through.objects.filter(organization_id=organization_id)


@dataclass
class OrganizationOverview:
    organization: Organization
    request_count: int
    open_requests: list
    requests_by_status: dict
    satisfaction_average: float | None
    satisfaction_count: int
    engagements: list
    engagements_by_kind: dict
    trainings_attended: list
    open_outreach: list
    contacts: list = field(default_factory=list)


def organization_overview_for(user, code: str) -> OrganizationOverview | None:
    """The 360° view of one organisation: None when it does not exist or is not the user's to see."""
    organization = Organization.objects.filter(code=code).first()
    if organization is None or not policies.can_view_organization(user, organization):
        return None
    requests = SupportRequest.objects.filter(organization=organization)
    by_status = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
    rating = SatisfactionResponse.objects.filter(request__organization=organization).aggregate(
        avg=Avg("score"), n=Count("id")
    )
    engagements = list(
        _base().filter(
            Q(pk__in=_taking_part(organization.pk).values("engagement_id"))
            | Q(requesting_organization=organization)
        )
    )
    by_kind: dict[str, int] = {}
    for engagement in engagements:
        if engagement.status == EngagementStatus.HELD:
            by_kind[engagement.get_kind_display()] = by_kind.get(engagement.get_kind_display(), 0) + 1
    contacts = list(
        get_user_model()
        .objects.filter(organization=organization, is_active=True, groups__name=Role.REQUESTER)
        .order_by("display_name", "email")
        .distinct()
    )
    return OrganizationOverview(
        organization=organization,
        request_count=sum(by_status.values()),
        open_requests=list(requests.filter(status__in=OPEN_STATUSES).select_related("category")[:20]),
        requests_by_status=by_status,
        satisfaction_average=float(rating["avg"]) if rating["avg"] is not None else None,
        satisfaction_count=rating["n"],
        engagements=engagements,
        engagements_by_kind=by_kind,
        trainings_attended=[
            e for e in engagements if e.kind in LEARNING_KINDS and e.status == EngagementStatus.HELD
        ],
        open_outreach=[
            e for e in engagements if e.status in (EngagementStatus.REQUESTED, EngagementStatus.SCHEDULED)
        ],
        contacts=contacts,
    )


@dataclass(frozen=True)
class CoverageRow:
    organization: Organization
    round_table: bool
    outreach: bool
    any_engagement: bool
    engagement_count: int


def engagement_coverage(fiscal_year: int) -> list[CoverageRow]:
    """Each municipality with whether it had a round table, an outreach consultation or any engagement held in the
    fiscal year (one query)."""

    def held(**extra):
        return Exists(
            Engagement.organizations.through.objects.filter(
                organization_id=OuterRef("pk"),
                engagement__fiscal_year=fiscal_year,
                engagement__status=EngagementStatus.HELD,
                **extra,
            )
        )

    municipalities = (
        Organization.objects.filter(kind__in=OrganizationKind.municipal(), active=True)
        .annotate(
            has_round_table=held(engagement__kind=EngagementKind.ROUND_TABLE),
            has_outreach=held(engagement__kind=EngagementKind.OUTREACH),
            held_count=Count(
                "engagements",
                filter=Q(engagements__fiscal_year=fiscal_year, engagements__status=EngagementStatus.HELD),
            ),
        )
        .order_by("code")
    )
    return [
        CoverageRow(
            organization=m,
            round_table=m.has_round_table,
            outreach=m.has_outreach,
            any_engagement=m.held_count > 0,
            engagement_count=m.held_count,
        )
        for m in municipalities
    ]


def coverage_summary(rows: list[CoverageRow]) -> dict[str, int]:
    return {
        "municipalities": len(rows),
        "round_table": sum(r.round_table for r in rows),
        "outreach": sum(r.outreach for r in rows),
        "any_engagement": sum(r.any_engagement for r in rows),
        "none": sum(not r.any_engagement for r in rows),
    }


def engagement_counts_by_kind(start, end) -> dict[str, int]:
    """Held engagements per kind whose start falls in [start, end)."""
    rows = (
        Engagement.objects.filter(status=EngagementStatus.HELD, starts_at__gte=start, starts_at__lt=end)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)
