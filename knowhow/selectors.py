"""Reads of know-how: similar requests, related requests and the case library, each already scoped to the user."""

from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Sum, Value, When

from knowhow import index, policies
from knowhow.models import Case, CaseStatus, RequestLink
from support.models import Assignment, SupportRequest
from support.policies import request_scope
from support.selectors import apply_filters, required_skills_prefetch

MAX_SIMILAR = 20


@dataclass
class Similar:
    """One similar past request as the user may see it: a published case, or (ICT / own organisation) the request
    itself with who worked on it, the skills it needed, its effort and satisfaction (the ICT side only)."""

    request: SupportRequest
    score: float
    case: Case | None
    show_request: bool
    details: bool
    people: list = field(default_factory=list)
    skills: list = field(default_factory=list)
    effort_hours: object = None
    satisfaction: int | None = None


def _case_of(request) -> Case | None:
    try:
        return request.case
    except Case.DoesNotExist:
        return None


def similar_requests_for(
    user, text: str, *, limit: int = 5, exclude: SupportRequest | None = None
) -> list[Similar]:
    """Up to `limit` past requests similar to `text`, within what the user may be shown (knowhow.policies)."""
    if not policies.can_view_cases(user) or not (text or "").strip():
        return []
    limit = max(0, min(limit, MAX_SIMILAR))
    ranked = index.search(
        text, scope=policies.similarity_scope(user), exclude=exclude.pk if exclude else None, limit=limit
    )
    if not ranked:
        return []
    details = policies.sees_every_request(user)
    requests = SupportRequest.objects.select_related("organization", "category", "case", "satisfaction")
    if details:
        requests = requests.annotate(effort_hours=Sum("effort_logs__hours")).prefetch_related(
            required_skills_prefetch(),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("staff__user").order_by("assigned_at"),
                to_attr="all_assignments",
            ),
        )
    by_pk = {r.pk: r for r in requests.filter(pk__in=[pk for pk, _ in ranked])}
    if details:  # the ICT side sees every request
        seen = set(by_pk)
    else:
        seen = set(
            SupportRequest.objects.filter(request_scope(user), pk__in=by_pk).values_list("pk", flat=True)
        )
    found = []
    for pk, score in ranked:
        request = by_pk.get(pk)
        if request is None:
            continue
        case = _case_of(request)
        if case is not None and case.status != CaseStatus.PUBLISHED:
            case = None
        if case is None and pk not in seen:
            continue  # never shown: neither a published case nor a request the user may see
        item = Similar(
            request=request, score=round(score, 4), case=case, show_request=pk in seen, details=details
        )
        if details:
            item.people = list(dict.fromkeys(a.staff.user.label for a in request.all_assignments))
            item.skills = [row.skill for row in request.required_skills.all()]
            item.effort_hours = request.effort_hours
            satisfaction = getattr(request, "satisfaction", None)
            item.satisfaction = satisfaction.score if satisfaction else None
        found.append(item)
    return found


def related_requests_for(user, request: SupportRequest) -> QuerySet:
    """The requests linked to `request` (either side of the link) that the user may see."""
    linked = RequestLink.objects.filter(Q(from_request=request) | Q(to_request=request)).values_list(
        "from_request_id", "to_request_id"
    )
    pks = {pk for pair in linked for pk in pair} - {request.pk}
    return (
        SupportRequest.objects.filter(request_scope(user), pk__in=pks)
        .select_related("organization", "category")
        .order_by("-submitted_at")
    )


def case_list_for(
    user,
    *,
    search: str = "",
    category: str = "",
    phase: str = "",
    skill: str = "",
    organization_kind: str = "",
    fiscal_year: int | None = None,
    include_withdrawn: bool = False,
) -> QuerySet:
    """The case library as the user sees it, filtered; a search ranks by similarity (published cases only)."""
    if not policies.can_view_cases(user):
        return Case.objects.none()
    cases = Case.objects.select_related("request__organization", "request__category")
    if not (include_withdrawn and policies.sees_withdrawn_cases(user)):
        cases = cases.filter(status=CaseStatus.PUBLISHED)
    if category or phase or fiscal_year or skill or organization_kind:
        requests = apply_filters(
            SupportRequest.objects.all(), category=category, phase=phase, fiscal_year=fiscal_year
        )
        if skill:
            requests = requests.filter(required_skills__skill__code=skill)
        if organization_kind:
            requests = requests.filter(organization__kind=organization_kind)
        cases = cases.filter(request__in=requests.values("pk"))
    if (search or "").strip():
        ranked = index.search(search, scope=Q(public=True), limit=200)
        order = {pk: position for position, (pk, _) in enumerate(ranked)}
        if not order:
            return cases.none()
        cases = cases.filter(request_id__in=order)
        rank = SqlCase(
            *(When(request_id=pk, then=Value(i)) for pk, i in order.items()), output_field=IntegerField()
        )
        return cases.annotate(rank=rank).order_by("rank", "-pk")
    return cases.order_by("-published_at", "-pk")


def case_get_for(user, pk) -> Case | None:
    if not policies.can_view_cases(user):
        return None
    cases = Case.objects.select_related("request__organization", "request__category", "author")
    if not policies.sees_withdrawn_cases(user):
        cases = cases.filter(status=CaseStatus.PUBLISHED)
    return cases.filter(pk=pk).first()


def case_for_request(request: SupportRequest) -> Case | None:
    return Case.objects.filter(request=request).first()
