"""The management dashboard (見える化, DESIGN.md §8): one fiscal quarter against the same quarter a year before.

Every figure is an aggregate computed by the database (``aggregate``/``annotate`` with ``Count``, ``Sum``, ``Avg``
and conditional aggregation); nothing loads every request into Python. The report costs a constant number of SQL
queries whatever the amount of data (asserted in tests/reports).

The one exception, by design, is the business-day durations (``reports.durations``): the holiday calendar lives
in Python.

Rules owned elsewhere are called, not re-stated: overdue is ``support.models.overdue_q`` and "active at a moment"
is ``active_assignment_q(at=)``. Two stay here because they are historical and nothing else needs them: *open at
a moment* (``_open_at``, read from the status history) and *utilisation at a moment* (``_utilisation``). The
workload board's ``staffing.selectors.workload_for`` computes today's load only (and counts a person without
capacity as fully loaded, where this average leaves them out).

The selector checks the report policy itself and raises ``PermissionDenied`` for anyone else; pages turn that
into 404 and GraphQL into FORBIDDEN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Case, CharField, Count, Exists, F, FloatField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.models import OrganizationKind
from core import fiscal
from reports import policies
from reports.durations import Duration
from reports.durations import durations as business_durations
from reports.periods import cut as period_cut
from reports.periods import validate_period, within
from skills.models import StaffProfile
from support.models import (
    Phase,
    RequiredSkill,
    SatisfactionResponse,
    Status,
    StatusChange,
    SupportRequest,
    active_assignment_q,
    overdue_q,
)

TOP_ORGANIZATIONS = 10
TOP_SKILLS = 10
TOP_CATEGORIES = 5
LOWEST_RATED_LIMIT = 10
#: Ratings at or below this are "to follow up" on the manager dashboard.
FOLLOW_UP_SCORE = 3
#: Requests that were stopped without work: they are neither open nor demand.
STOPPED = (Status.REJECTED, Status.WITHDRAWN)

# Organisation kinds on the dashboard: a department counts with the bureaus, a municipal section with its
# municipality's kind.
KIND_ORDER = (
    OrganizationKind.BUREAU,
    OrganizationKind.WARD,
    OrganizationKind.CITY,
    OrganizationKind.TOWN,
    OrganizationKind.VILLAGE,
    OrganizationKind.POLICY_BODY,
)


def _open_at(cut: dt.datetime) -> Q:
    """Open at a moment: submitted before it, not resolved before it, not rejected/withdrawn before it.

    When a rejected or withdrawn request stopped is read from its status history (``StatusChange``); one without
    such a record (e.g. imported) counts as stopped for its whole history.
    """
    stopped_later = StatusChange.objects.filter(
        request_id=OuterRef("pk"), to_status__in=STOPPED, created__gte=cut
    )
    return (
        Q(submitted_at__lt=cut)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=cut))
        & (~Q(status__in=STOPPED) | Q(Exists(stopped_later)))
    )


@dataclass
class Headline:
    """The headline figures of one quarter."""

    received: int = 0
    resolved: int = 0
    open: int = 0
    overdue: int = 0
    first_response: Duration = field(default_factory=Duration)
    resolution: Duration = field(default_factory=Duration)
    satisfaction_average: float | None = None
    satisfaction_count: int = 0
    satisfaction_distribution: list[tuple[int, int]] = field(default_factory=list)
    staff_count: int = 0
    utilisation_average: float | None = None  # mean of allocated ÷ capacity over active staff (1.0 = 100 %)
    over_capacity: int = 0
    allocated_hours: float = 0.0
    capacity_hours: float = 0.0


@dataclass
class Breakdown:
    key: str
    label: str
    received: int = 0
    resolved: int = 0
    open: int = 0


@dataclass
class SkillCount:
    code: str
    name: str
    requests: int


@dataclass
class LowRated:
    reference: str
    title: str
    organization: str
    score: int
    comment: str
    resolved_at: dt.datetime | None


@dataclass
class Dashboard:
    fiscal_year: int
    quarter: int
    label: str
    period: fiscal.Period
    previous_label: str
    as_of: dt.datetime
    current: Headline
    previous: Headline
    by_category: list[Breakdown]
    by_phase: list[Breakdown]
    by_organization_kind: list[Breakdown]
    by_organization: list[Breakdown]
    top_categories: list[Breakdown]
    top_skills: list[SkillCount]
    lowest_rated: list[LowRated]
    has_any_requests: bool
    #: when the figures were computed (集計時点); ``exact`` when computed live for this view
    computed_at: dt.datetime | None = None
    exact: bool = True

    @property
    def is_empty(self) -> bool:
        """Nothing received, resolved or open in the period."""
        c = self.current
        return not (c.received or c.resolved or c.open)


def _headline_aggregates(current: tuple, previous: tuple) -> dict:
    """One query: counts, overdue and satisfaction for the quarter and the same quarter last year."""
    figures = {"rows": Count("id")}
    for name, (start, end, cut) in (("c", current), ("p", previous)):
        resolved = within("resolved_at", start, end)
        open_q = _open_at(cut)
        figures.update(
            {
                f"{name}_received": Count("id", filter=within("submitted_at", start, end)),
                f"{name}_resolved": Count("id", filter=resolved),
                f"{name}_open": Count("id", filter=open_q),
                f"{name}_overdue": Count(
                    "id", filter=overdue_q(fiscal.local_date(cut), open_q=open_q, at=cut)
                ),
                f"{name}_sat_avg": Avg("satisfaction__score", filter=resolved),
                f"{name}_sat_count": Count("satisfaction__id", filter=resolved),
                **{
                    f"{name}_sat_{score}": Count(
                        "satisfaction__id", filter=resolved & Q(satisfaction__score=score)
                    )
                    for score in range(1, 6)
                },
            }
        )
    # Only requests that can count in either quarter: filed before its end, not resolved before the earlier start.
    latest_end, earliest_start = max(current[1], previous[1]), min(current[0], previous[0])
    candidates = SupportRequest.objects.filter(
        Q(submitted_at__lt=latest_end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=earliest_start))
    )
    return candidates.order_by().aggregate(**figures)


def _utilisation(cuts: dict[str, dt.datetime]) -> dict:
    """Allocated hours of the assignments active at each moment against capacity — one query for both moments.

    Utilisation of a person = allocated hours/week of their assignments active at that moment ÷ their capacity.
    Over the active staff with a capacity: the count, the average utilisation, how many are over capacity.
    """
    annotations = {}
    for name, cut in cuts.items():
        active = active_assignment_q("assignments__", at=cut)
        annotations[f"{name}_alloc"] = Coalesce(
            Cast(Sum("assignments__allocated_hours_per_week", filter=active), FloatField()), Value(0.0)
        )
    queryset = (
        StaffProfile.objects.filter(active=True, capacity_hours_per_week__gt=0)
        .annotate(cap=Cast("capacity_hours_per_week", FloatField()), **annotations)
        .order_by()
    )
    figures = {"staff": Count("id"), "capacity": Sum("cap")}
    for name in cuts:
        figures.update(
            {
                f"{name}_allocated": Sum(f"{name}_alloc"),
                f"{name}_load": Avg(F(f"{name}_alloc") / F("cap")),
                f"{name}_over": Count("id", filter=Q(**{f"{name}_alloc__gt": F("cap")})),
            }
        )
    return queryset.aggregate(**figures)


def _breakdown(queryset, key_expr, label_field: str | None, counts: dict, order_by: Sequence[str]) -> list:
    rows = (
        queryset.annotate(key=key_expr)
        .values("key", *([label_field] if label_field else []))
        .annotate(**counts)
    )
    return list(rows.order_by(*order_by))


def dashboard_for(
    user, *, fiscal_year: int, quarter: int, now: dt.datetime | None = None, roll_up: bool = False
) -> Dashboard:
    """The management dashboard of one fiscal quarter, computed live (exact) for ``user``; see ``compute_dashboard``.

    ``reports.preaggregate.dashboard`` serves the same figures from the period's pre-computed row (never rolled up:
    a rolled-up dashboard is computed live).
    """
    if not policies.can_view_dashboard(user):
        raise PermissionDenied
    return compute_dashboard(
        fiscal_year=fiscal_year,
        quarter=quarter,
        now=now,
        with_contents=policies.sees_request_contents(user),
        roll_up=roll_up,
    )


def compute_dashboard(
    *,
    fiscal_year: int,
    quarter: int,
    now: dt.datetime | None = None,
    with_contents: bool = True,
    roll_up: bool = False,
) -> Dashboard:
    """The management dashboard of one fiscal quarter, with the same quarter a year before beside it.

    * received = submitted in the quarter; resolved = resolved in the quarter; open = open at the end of the
      quarter (or now, while it runs); overdue = open then and past its due date.
    * breakdowns (category, phase, organisation kind — a department counts as its bureau —, top organisations)
      give received / resolved / open per key; with `roll_up` the top organisations count a department's
      requests with its bureau and a municipal section's with its municipality;
    * durations: business days from submission to first response (for requests first answered in the quarter) and
      to resolution (for requests resolved in it) — median and 90th percentile;
    * satisfaction: over requests resolved in the quarter — average, distribution 1–5, the lowest-rated (≤ 3) to
      follow up;
    * utilisation: active assignments at the end of the quarter (or now) against each active person's capacity;
    * common problems: the categories and required skills most requested (submitted) in the quarter.

    Constant number of queries (9; one more when nothing at all counts in either quarter). No access check: callers
    check ``policies.can_view_dashboard``; ``with_contents`` adds the lowest-rated requests (titles, comments).
    """
    validate_period(fiscal_year, quarter)
    now = now or timezone.now()
    period = fiscal.quarter_period(fiscal_year, quarter)
    last_year = fiscal.quarter_period(fiscal_year - 1, quarter)
    start, end, cut = period.start_datetime(), period.end_datetime(), period_cut(period, now)
    current = (start, end, cut)
    previous = (last_year.start_datetime(), last_year.end_datetime(), period_cut(last_year, now))

    agg = _headline_aggregates(current, previous)
    durations = business_durations(current, previous)
    util = _utilisation({"c": cut, "p": previous[2]})

    def headline(name: str) -> Headline:
        return Headline(
            received=agg[f"{name}_received"],
            resolved=agg[f"{name}_resolved"],
            open=agg[f"{name}_open"],
            overdue=agg[f"{name}_overdue"],
            first_response=durations.get(f"{name}_first", Duration()),
            resolution=durations.get(f"{name}_resolution", Duration()),
            satisfaction_average=agg[f"{name}_sat_avg"],
            satisfaction_count=agg[f"{name}_sat_count"],
            satisfaction_distribution=[(score, agg[f"{name}_sat_{score}"]) for score in range(1, 6)],
            staff_count=util["staff"] or 0,
            utilisation_average=util[f"{name}_load"],
            over_capacity=util[f"{name}_over"] or 0,
            allocated_hours=float(util[f"{name}_allocated"] or 0),
            capacity_hours=float(util["capacity"] or 0),
        )

    received_q, resolved_q, open_q = (
        within("submitted_at", start, end),
        within("resolved_at", start, end),
        _open_at(cut),
    )
    relevant = (
        SupportRequest.objects.filter(
            Q(submitted_at__lt=end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))
        )
        .filter(received_q | resolved_q | open_q)
        .order_by()
    )
    counts = {
        "received": Count("id", filter=received_q),
        "resolved": Count("id", filter=resolved_q),
        "open": Count("id", filter=open_q),
    }

    by_category = [
        Breakdown(row["key"], row["category__name"], row["received"], row["resolved"], row["open"])
        for row in _breakdown(
            relevant, F("category__code"), "category__name", counts, ["category__order", "category__code"]
        )
    ]
    phase_rows = {row["key"]: row for row in _breakdown(relevant, F("phase"), None, counts, ["key"])}
    by_phase = [
        Breakdown(
            value,
            str(label),
            *(phase_rows.get(value, {}).get(k, 0) for k in ("received", "resolved", "open")),
        )
        for value, label in Phase.choices
        if value in phase_rows
    ]
    kind_expr = Case(
        When(organization__kind=OrganizationKind.DEPARTMENT, then=Value(OrganizationKind.BUREAU)),
        When(organization__kind=OrganizationKind.MUNICIPAL_SECTION, then=F("organization__parent__kind")),
        default=F("organization__kind"),
        output_field=CharField(),
    )
    kind_rows = {row["key"]: row for row in _breakdown(relevant, kind_expr, None, counts, ["key"])}
    by_kind = [
        Breakdown(
            kind.value, str(kind.label), *(kind_rows[kind][k] for k in ("received", "resolved", "open"))
        )
        for kind in KIND_ORDER
        if kind in kind_rows
    ]
    org_rows, org_key, org_name = relevant, F("organization__code"), "organization__name"
    if roll_up:
        org_key = Coalesce("organization__parent__code", "organization__code")
        org_rows = relevant.annotate(top_name=Coalesce("organization__parent__name", "organization__name"))
        org_name = "top_name"
    by_organization = [
        Breakdown(row["key"], row[org_name], row["received"], row["resolved"], row["open"])
        for row in _breakdown(org_rows, org_key, org_name, counts, ["-received", "-open", "key"])[
            :TOP_ORGANIZATIONS
        ]
    ]
    top_categories = sorted(
        (row for row in by_category if row.received), key=lambda row: (-row.received, row.key)
    )[:TOP_CATEGORIES]
    top_skills = [
        SkillCount(row["skill__code"], row["skill__name"], row["requests"])
        for row in RequiredSkill.objects.filter(
            request__submitted_at__gte=start, request__submitted_at__lt=end
        )
        .values("skill__code", "skill__name")
        .annotate(requests=Count("request_id", distinct=True))
        .order_by("-requests", "skill__code")[:TOP_SKILLS]
    ]
    lowest_rated = []
    if with_contents:
        lowest_rated = [
            LowRated(
                reference=response.request.reference,
                title=response.request.title,
                organization=response.request.organization.name,
                score=response.score,
                comment=response.comment,
                resolved_at=response.request.resolved_at,
            )
            for response in SatisfactionResponse.objects.filter(
                request__resolved_at__gte=start, request__resolved_at__lt=end, score__lte=FOLLOW_UP_SCORE
            )
            .select_related("request__organization")
            .order_by("score", "request__resolved_at", "request__reference")[:LOWEST_RATED_LIMIT]
        ]
    return Dashboard(
        fiscal_year=fiscal_year,
        quarter=quarter,
        label=fiscal.quarter_label(fiscal_year, quarter),
        period=period,
        previous_label=fiscal.quarter_label(fiscal_year - 1, quarter),
        as_of=cut,
        current=headline("c"),
        previous=headline("p"),
        by_category=by_category,
        by_phase=by_phase,
        by_organization_kind=by_kind,
        by_organization=by_organization,
        top_categories=top_categories,
        top_skills=top_skills,
        lowest_rated=lowest_rated,
        # an extra query only when nothing counts in either quarter: empty period or brand-new installation?
        has_any_requests=bool(agg["rows"]) or SupportRequest.objects.exists(),
        computed_at=now,
    )
