"""Reads for the reports (見える化, DESIGN.md §8): the management dashboard and HR's skill coverage.

Every figure is an aggregate computed by the database (``aggregate``/``annotate`` with ``Count``, ``Sum``, ``Avg``,
conditional aggregation and window functions); nothing loads every request or every assessment into Python. Each
report costs a constant number of SQL queries whatever the amount of data (asserted in tests/reports).

The one exception, by design, is the **business-day durations** (time to first response, time to resolution):
business days exclude Japanese public holidays and the 29 Dec – 3 Jan closure, and that calendar lives in Python
(``core.fiscal``, from the ``holidays`` package), not in the database. So for the requests that were first
answered / resolved *in the period* (and in the same quarter a year before) one query fetches only their three
timestamps; durations and their percentiles are then computed here. That is bounded by the size of a quarter
(about 60 requests at the bureau's scale, a few thousand at national scale), never by the history. The median and
90th percentile interpolate linearly between ranks — the same definition as PostgreSQL's ``percentile_cont``.

"Current level" has one definition: ``skills.selectors.current_assessments`` (the latest validated assessment,
optionally as of a date). The coverage figures use it as a subquery (``pk IN (…)``) so the counting happens in SQL;
``current_levels`` would return one Python dict entry per (person, skill), which is what we must not load for
5,000 staff.

The selectors check the report policy themselves and raise ``PermissionDenied`` for anyone else; pages turn that
into 404 and GraphQL into FORBIDDEN.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind, User
from core import fiscal
from reports import policies
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    Importance,
    JobType,
    Skill,
    SkillAssessment,
    SkillInterest,
    StaffProfile,
    TargetSkill,
)
from skills.selectors import current_assessments
from support.models import (
    Assignment,
    Phase,
    RequiredSkill,
    SatisfactionResponse,
    Status,
    StatusChange,
    SupportRequest,
    active_assignment_q,
    overdue_q,
)

LEVELS = (1, 2, 3, 4, 5)
#: "Able to work independently" (level 3) is the threshold of coverage, single points of failure and the trend.
INDEPENDENT_LEVEL = 3
#: A skill with fewer people than this at level ≥ 3 is a single point of failure (属人化リスク).
SPOF_THRESHOLD = 2
EXPIRY_WINDOW_DAYS = 90
TREND_QUARTERS = 8
TOP_ORGANIZATIONS = 10
TOP_SKILLS = 10
TOP_CATEGORIES = 5
LOWEST_RATED_LIMIT = 10
#: Ratings at or below this are "to follow up" on the manager dashboard.
FOLLOW_UP_SCORE = 3
LIST_LIMIT = 100
RESKILLING_PREVIEW = 5
#: Requests that were stopped without work: they are neither open nor demand.
STOPPED = (Status.REJECTED, Status.WITHDRAWN)

GROUP_JOB_TYPE = "job_type"
GROUP_ORGANIZATION = "organization"
GROUP_BY_CHOICES = (GROUP_JOB_TYPE, GROUP_ORGANIZATION)
NO_GROUP = "none"

# Organisation kinds on the dashboard: a department counts with the bureaus.
KIND_ORDER = (
    OrganizationKind.BUREAU,
    OrganizationKind.WARD,
    OrganizationKind.CITY,
    OrganizationKind.TOWN,
    OrganizationKind.VILLAGE,
)


# --- small helpers ------------------------------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont); None for no values."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return float(sorted_values[lower]) + (float(sorted_values[upper]) - float(sorted_values[lower])) * weight


def validate_period(fiscal_year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    if not 2000 <= fiscal_year <= 2100:
        raise ValueError("fiscal year out of range")


def default_period(today: dt.date | None = None) -> tuple[int, int]:
    """The current fiscal year and quarter (Asia/Tokyo)."""
    day = today or fiscal.today()
    return fiscal.fiscal_year_of(day), fiscal.quarter_of(day)


def _cut(period: fiscal.Period, now: dt.datetime) -> dt.datetime:
    """The moment "at the end of the period": its end, or now while the period is still running."""
    return min(period.end_datetime(), now)


def _in(field_name: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


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


# --- SQL over the current assessments ---------------------------------------------------------------------------------
#
# The heavy coverage figures aggregate the current assessments of thousands of people. Filtering by
# ``pk IN (current_assessments …)`` makes PostgreSQL join the window's result back to the table row by row (it cannot
# estimate how many rows survive ``row_number = 1``), which took seconds at 10,000 staff. So these few aggregates wrap
# the SQL that ``current_assessments`` itself generates — the one definition of "current level", unchanged — in a
# plain GROUP BY. Standard SQL (window functions, CTEs), run on SQLite and PostgreSQL alike.


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _current_sql(as_of: dt.date | None, skill_ids: Sequence[int]) -> tuple[str, tuple]:
    """SQL (columns staff_id, skill_id, level) and params of current_assessments(as_of=, skill_ids=)."""
    queryset = (
        current_assessments(as_of=as_of, skill_ids=skill_ids)
        .order_by()
        .values("staff_id", "skill_id", "level")
    )
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _staff_join(as_of: dt.date | None) -> tuple[str, tuple]:
    """JOIN of the current rows ``c`` to active staff (who had joined by as_of), their user and organisation."""
    sql = (
        f" JOIN {_table(StaffProfile)} sp ON sp.id = c.staff_id"
        f" JOIN {_table(User)} u ON u.id = sp.user_id"
        f" LEFT JOIN {_table(Organization)} o ON o.id = u.organization_id"
        " WHERE sp.active = %s"
    )
    params: tuple = (True,)
    if as_of is not None:
        sql += " AND (sp.joined_on IS NULL OR sp.joined_on <= %s)"
        params += (as_of,)
    return sql, params


def _fetch(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _level_counts(as_of: dt.date, skill_ids: Sequence[int]) -> list[tuple]:
    """[(job_type_id, organisation code, skill_id, level, people)] over current levels of active staff. One query."""
    if not skill_ids:
        return []
    current, params = _current_sql(as_of, skill_ids)
    join, join_params = _staff_join(as_of)
    sql = (
        f"SELECT sp.job_type_id, o.code, c.skill_id, c.level, COUNT(*) FROM ({current}) c{join}"
        " GROUP BY sp.job_type_id, o.code, c.skill_id, c.level"
    )
    return _fetch(sql, params + join_params)


def _rating_gaps(as_of: dt.date, limit: int) -> tuple[int, list[tuple]]:
    """Latest self vs latest manager assessment per (active person, active skill) where they differ, largest gap
    first: (count of all such pairs, [(name, email, skill_id, skill code, skill name, self, manager)]). One query.
    Self and manager ratings are separate rows (append-only history); both as recorded by `as_of`.
    """
    sql = f"""
        WITH latest AS (
            SELECT a.staff_id, a.skill_id, a.source, a.level,
                   ROW_NUMBER() OVER (PARTITION BY a.staff_id, a.skill_id, a.source
                                      ORDER BY a.assessed_on DESC, a.id DESC) AS rn
            FROM {_table(SkillAssessment)} a
            WHERE a.source IN (%s, %s) AND a.assessed_on <= %s
        ), pairs AS (
            SELECT staff_id, skill_id,
                   MAX(CASE WHEN source = %s THEN level END) AS self_level,
                   MAX(CASE WHEN source = %s THEN level END) AS manager_level
            FROM latest WHERE rn = 1
            GROUP BY staff_id, skill_id
        )
        SELECT u.display_name, u.email, p.skill_id, k.code, k.name, p.self_level, p.manager_level,
               COUNT(*) OVER () AS total
        FROM pairs p
        JOIN {_table(StaffProfile)} sp ON sp.id = p.staff_id
        JOIN {_table(User)} u ON u.id = sp.user_id
        JOIN {_table(Skill)} k ON k.id = p.skill_id
        WHERE p.self_level IS NOT NULL AND p.manager_level IS NOT NULL AND p.self_level <> p.manager_level
          AND sp.active = %s AND k.active = %s
        ORDER BY ABS(p.self_level - p.manager_level) DESC, u.email, k.code
        LIMIT %s
    """
    self_, manager = AssessmentSource.SELF.value, AssessmentSource.MANAGER.value
    rows = _fetch(sql, (self_, manager, as_of, self_, manager, True, True, limit))
    return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]


# --- the management dashboard ---------------------------------------------------------------------------------------


@dataclass
class Duration:
    """Business days from submission to an event, over the requests whose event fell in the period."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


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

    @property
    def is_empty(self) -> bool:
        """Nothing received, resolved or open in the period."""
        c = self.current
        return not (c.received or c.resolved or c.open)


def _headline_aggregates(current: tuple, previous: tuple) -> dict:
    """One query: counts, overdue and satisfaction for the quarter and the same quarter last year."""
    figures = {"rows": Count("id")}
    for name, (start, end, cut) in (("c", current), ("p", previous)):
        resolved = _in("resolved_at", start, end)
        open_q = _open_at(cut)
        figures.update(
            {
                f"{name}_received": Count("id", filter=_in("submitted_at", start, end)),
                f"{name}_resolved": Count("id", filter=resolved),
                f"{name}_open": Count("id", filter=open_q),
                f"{name}_overdue": Count("id", filter=overdue_q(fiscal.local_date(cut), open_q=open_q)),
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


def _durations(current: tuple, previous: tuple) -> dict[str, Duration]:
    """Time to first response and to resolution (business days): one query of three timestamps per request."""
    windows = {"c": current, "p": previous}
    condition = Q()
    for start, end, _moment in windows.values():
        condition |= _in("first_response_at", start, end) | _in("resolved_at", start, end)
    values: dict[str, list[int]] = defaultdict(list)
    rows = (
        SupportRequest.objects.filter(condition)
        .order_by()
        .values_list("submitted_at", "first_response_at", "resolved_at")
    )
    for submitted, first_response, resolved in rows:
        for name, (start, end, _moment) in windows.items():
            if first_response is not None and start <= first_response < end:
                values[f"{name}_first"].append(fiscal.business_days_between(submitted, first_response))
            if resolved is not None and start <= resolved < end:
                values[f"{name}_resolution"].append(fiscal.business_days_between(submitted, resolved))
    result = {}
    for key, items in values.items():
        items.sort()
        result[key] = Duration(count=len(items), median=percentile(items, 0.5), p90=percentile(items, 0.9))
    return result


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


def dashboard_for(user, *, fiscal_year: int, quarter: int, now: dt.datetime | None = None) -> Dashboard:
    """The management dashboard of one fiscal quarter, with the same quarter a year before beside it.

    * received = submitted in the quarter; resolved = resolved in the quarter; open = open at the end of the
      quarter (or now, while it runs); overdue = open then and past its due date.
    * breakdowns (category, phase, organisation kind — a department counts as its bureau —, top organisations)
      give received / resolved / open per key;
    * durations: business days from submission to first response (for requests first answered in the quarter) and
      to resolution (for requests resolved in it) — median and 90th percentile;
    * satisfaction: over requests resolved in the quarter — average, distribution 1–5, the lowest-rated (≤ 3) to
      follow up;
    * utilisation: active assignments at the end of the quarter (or now) against each active person's capacity;
    * common problems: the categories and required skills most requested (submitted) in the quarter.

    Constant number of queries (9; one more when nothing at all counts in either quarter).
    """
    if not policies.can_view_dashboard(user):
        raise PermissionDenied
    validate_period(fiscal_year, quarter)
    now = now or timezone.now()
    period = fiscal.quarter_period(fiscal_year, quarter)
    last_year = fiscal.quarter_period(fiscal_year - 1, quarter)
    start, end, cut = period.start_datetime(), period.end_datetime(), _cut(period, now)
    current = (start, end, cut)
    previous = (last_year.start_datetime(), last_year.end_datetime(), _cut(last_year, now))

    agg = _headline_aggregates(current, previous)
    durations = _durations(current, previous)
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
        _in("submitted_at", start, end),
        _in("resolved_at", start, end),
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
    by_organization = [
        Breakdown(row["key"], row["organization__name"], row["received"], row["resolved"], row["open"])
        for row in _breakdown(
            relevant, F("organization__code"), "organization__name", counts, ["-received", "-open", "key"]
        )[:TOP_ORGANIZATIONS]
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
    if policies.sees_request_contents(user):
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
    )


# --- skill coverage -------------------------------------------------------------------------------------------------


@dataclass
class SkillRef:
    id: int
    code: str
    name: str
    category: str = ""


@dataclass
class HeatRow:
    """People (active staff) whose current level in a skill is ≥ 1 … ≥ 5, within one group (or all)."""

    group_key: str
    group_label: str
    skill: SkillRef
    at_least: list[int]


@dataclass
class GapRow:
    """A job type's target for one skill against the people of that type who meet it."""

    job_type_code: str
    job_type: str
    skill: SkillRef
    target_level: int
    importance: str
    people: int
    meeting: int

    @property
    def share(self) -> float | None:
        return self.meeting / self.people if self.people else None

    @property
    def shortfall(self) -> int:
        return self.people - self.meeting


@dataclass
class SkillHolders:
    skill: SkillRef
    holders: int


@dataclass
class ExpiringCertification:
    person: str
    email: str
    name: str
    skill: str
    expires_on: dt.date
    days_left: int


@dataclass
class RatingGap:
    person: str
    email: str
    skill: SkillRef
    self_level: int
    manager_level: int

    @property
    def gap(self) -> int:
        return self.self_level - self.manager_level


@dataclass
class Candidate:
    person: str
    email: str
    job_type: str
    skill: SkillRef
    current_level: int
    wants_to_learn: bool
    can_mentor: bool


@dataclass
class ReskillingPreview:
    skill: SkillRef
    holders: int
    total: int
    candidates: list[Candidate]


@dataclass
class TrendPoint:
    fiscal_year: int
    quarter: int
    label: str
    as_of: dt.date
    covered_skills: int  # skills with at least one person at ≥ 3
    robust_skills: int  # skills with at least two people at ≥ 3 (no single point of failure)
    pairs: int  # (person, skill) pairs at ≥ 3


@dataclass
class SkillCoverage:
    fiscal_year: int
    quarter: int
    label: str
    as_of: dt.date
    group_by: str
    skills: list[SkillRef]
    groups: list[tuple[str, str]]
    staff_count: int
    overall: list[HeatRow]
    heat: list[HeatRow]
    gaps: list[GapRow]
    single_points_of_failure: list[SkillHolders]
    critical_definition: str
    critical_skills: list[SkillHolders]
    truck_factor: int | None
    truck_factor_skills: list[SkillRef]
    expiring_certifications: list[ExpiringCertification]
    rating_gaps: list[RatingGap]
    rating_gap_count: int
    reskilling: list[ReskillingPreview]
    trend: list[TrendPoint]
    trend_by_skill: list[tuple[SkillRef, list[int]]]

    @property
    def is_empty(self) -> bool:
        """No active staff, or no skills: nothing to show."""
        return not self.staff_count or not self.skills


def _current_pks(as_of: dt.date | None, skill_ids: Iterable[int] | None = None):
    return current_assessments(as_of=as_of, skill_ids=skill_ids).values("pk")


def _current(as_of: dt.date | None, skill_ids: Iterable[int] | None = None):
    """Current assessments (the one definition) of active staff who had joined by `as_of`."""
    queryset = SkillAssessment.objects.filter(pk__in=_current_pks(as_of, skill_ids), staff__active=True)
    if as_of is not None:
        queryset = queryset.filter(Q(staff__joined_on__isnull=True) | Q(staff__joined_on__lte=as_of))
    return queryset.order_by()


def _skill_refs() -> list[SkillRef]:
    return [
        SkillRef(pk, code, name, category)
        for pk, code, name, category in Skill.objects.filter(active=True).values_list(
            "pk", "code", "name", "category__name"
        )
    ]


def _quarters_back(fiscal_year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    quarters = [(fiscal_year, quarter)]
    while len(quarters) < count:
        quarters.append(fiscal.previous_quarter(*quarters[-1]))
    return list(reversed(quarters))


def skill_coverage_for(
    user, *, fiscal_year: int, quarter: int, group_by: str = GROUP_JOB_TYPE, today: dt.date | None = None
) -> SkillCoverage:
    """HR's skill coverage as at the end of a fiscal quarter (or today, while it runs). Aggregates only.

    * heat map: active staff whose current level is ≥ L (L = 1…5) per skill, overall and per group (job type, or the
      organisation of the person's user account);
    * gaps: for each line of each job type's target profile, the active people of that type and how many meet the
      target level (count and share);
    * single points of failure: active skills with fewer than two people at level ≥ 3;
    * truck factor: *critical* skills are those that some active job type's target profile marks as essential (all
      active skills when no profile marks any). The truck factor is the smallest number of people whose departure
      leaves some critical skill with nobody at level ≥ 3. To strip a skill you must remove every holder, so the
      exact answer is min over critical skills of its holders (0 when one is already uncovered) — no search needed;
    * certifications expiring within 90 days of the as-of date;
    * self-versus-manager gaps: the latest self-assessment against the latest manager assessment per person and
      skill where both exist, largest gaps first;
    * reskilling: for each single-point-of-failure skill, people exactly one level below 3, those who want to learn
      it first (a preview of ``reskilling_candidates_for``);
    * trend: people at ≥ 3 per skill as at the end of each of the last eight quarters (one UNION query).

    Constant number of queries (9) whatever the number of staff.
    """
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    validate_period(fiscal_year, quarter)
    if group_by not in GROUP_BY_CHOICES:
        raise ValueError("group_by must be job_type or organization")
    today = today or fiscal.today()
    period = fiscal.quarter_period(fiscal_year, quarter)
    as_of = min(period.last_day, today)

    skills = _skill_refs()  # 1
    skill_by_id = {skill.id: skill for skill in skills}
    job_types = {
        pk: (code, name) for pk, code, name in JobType.objects.values_list("pk", "code", "name")
    }  # 2

    # 3: active staff per (job type, organisation)
    staff_rows = list(
        StaffProfile.objects.filter(active=True)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=as_of))
        .values("job_type_id", "user__organization__code", "user__organization__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    staff_count = sum(row["n"] for row in staff_rows)
    people_by_job_type: dict[int | None, int] = defaultdict(int)
    org_labels: dict[str, str] = {}
    for row in staff_rows:
        people_by_job_type[row["job_type_id"]] += row["n"]
        org_labels[row["user__organization__code"] or NO_GROUP] = row["user__organization__name"] or ""

    # 4: current levels counted per (job type, organisation, skill, level)
    level_rows = _level_counts(as_of, list(skill_by_id))
    per_level: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * 6)
    per_job_type_level: dict[tuple[int | None, int], list[int]] = defaultdict(lambda: [0] * 6)
    overall_level: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    for job_type_id, org_code, skill_id, level, people in level_rows:
        if group_by == GROUP_JOB_TYPE:
            group = job_types[job_type_id][0] if job_type_id else NO_GROUP
        else:
            group = org_code or NO_GROUP
        per_level[(group, skill_id)][level] += people
        per_job_type_level[(job_type_id, skill_id)][level] += people
        overall_level[skill_id][level] += people

    def at_least(counts: list[int]) -> list[int]:
        return [sum(counts[level:]) for level in LEVELS]

    if group_by == GROUP_JOB_TYPE:
        used = {row["job_type_id"] for row in staff_rows}
        groups = [(code, name) for pk, (code, name) in job_types.items() if pk in used]
        if None in used:
            groups.append((NO_GROUP, str(_("No job type"))))
    else:
        groups = sorted(
            ((code, label or str(_("No organisation"))) for code, label in org_labels.items()),
            key=lambda item: (item[0] == NO_GROUP, item[1]),
        )
    overall = [
        HeatRow("all", str(_("All staff")), skill, at_least(overall_level[skill.id])) for skill in skills
    ]
    heat = [
        HeatRow(key, label, skill, at_least(per_level[(key, skill.id)]))
        for key, label in groups
        for skill in skills
    ]
    holders = {skill.id: at_least(overall_level[skill.id])[INDEPENDENT_LEVEL - 1] for skill in skills}

    # 5: target profiles → gaps and critical skills
    targets = list(
        TargetSkill.objects.filter(job_type__active=True, skill__active=True)
        .select_related("job_type", "skill")
        .order_by("job_type__order", "job_type__code", "-importance", "skill__code")
    )
    gaps = [
        GapRow(
            job_type_code=target.job_type.code,
            job_type=target.job_type.name,
            skill=skill_by_id[target.skill_id],
            target_level=target.target_level,
            importance=str(Importance(target.importance).label),
            people=people_by_job_type.get(target.job_type_id, 0),
            meeting=at_least(per_job_type_level[(target.job_type_id, target.skill_id)])[
                target.target_level - 1
            ],
        )
        for target in targets
    ]
    single_points = sorted(
        (SkillHolders(skill, holders[skill.id]) for skill in skills if holders[skill.id] < SPOF_THRESHOLD),
        key=lambda item: (item.holders, item.skill.code),
    )
    essential_ids = {t.skill_id for t in targets if t.importance == Importance.ESSENTIAL}
    if essential_ids:
        critical = [skill for skill in skills if skill.id in essential_ids]
        critical_definition = str(_("Skills marked essential in a job type's target profile"))
    else:
        critical = list(skills)
        critical_definition = str(_("All active skills (no target profile marks a skill essential)"))
    truck_factor = min((holders[skill.id] for skill in critical), default=None)
    truck_factor_skills = [skill for skill in critical if holders[skill.id] == truck_factor]

    # 6: certifications expiring within 90 days
    expiring = [
        ExpiringCertification(
            person=cert.staff.user.label,
            email=cert.staff.user.email,
            name=cert.name,
            skill=cert.skill.name if cert.skill else "",
            expires_on=cert.expires_on,
            days_left=(cert.expires_on - as_of).days,
        )
        for cert in Certification.objects.expiring(as_of, EXPIRY_WINDOW_DAYS)
        .filter(staff__active=True)
        .select_related("staff__user", "skill")
        .order_by("expires_on", "staff__user__email", "name")[:LIST_LIMIT]
    ]

    # 7: self versus manager
    rating_gap_count, gap_rows = _rating_gaps(as_of, LIST_LIMIT)
    rating_gaps = [
        RatingGap(
            person=name or email,
            email=email,
            skill=skill_by_id.get(skill_id) or SkillRef(skill_id, code, skill_name),
            self_level=self_level,
            manager_level=manager_level,
        )
        for name, email, skill_id, code, skill_name, self_level, manager_level in gap_rows
    ]

    # 8: reskilling candidates for the single points of failure
    reskilling = _reskilling_previews(single_points, as_of)

    # 9: the trend
    trend, trend_by_skill = _trend(fiscal_year, quarter, skills, today)

    return SkillCoverage(
        fiscal_year=fiscal_year,
        quarter=quarter,
        label=fiscal.quarter_label(fiscal_year, quarter),
        as_of=as_of,
        group_by=group_by,
        skills=skills,
        groups=groups,
        staff_count=staff_count,
        overall=overall,
        heat=heat,
        gaps=gaps,
        single_points_of_failure=single_points,
        critical_definition=critical_definition,
        critical_skills=[SkillHolders(skill, holders[skill.id]) for skill in critical],
        truck_factor=truck_factor,
        truck_factor_skills=truck_factor_skills,
        expiring_certifications=expiring,
        rating_gaps=rating_gaps,
        rating_gap_count=rating_gap_count,
        reskilling=reskilling,
        trend=trend,
        trend_by_skill=trend_by_skill,
    )


def _candidate_queryset(as_of: dt.date | None, skill_ids: list[int], level: int):
    interest = SkillInterest.objects.filter(staff_id=OuterRef("staff_id"), skill_id=OuterRef("skill_id"))
    return (
        _current(as_of, skill_ids=skill_ids)
        .filter(level=level - 1)
        .annotate(
            wants=Exists(interest.filter(wants_to_learn=True)),
            mentor=Exists(interest.filter(can_mentor=True)),
        )
        .select_related("staff__user", "staff__job_type", "skill")
    )


def _candidate(row, skill: SkillRef) -> Candidate:
    return Candidate(
        person=row.staff.user.label,
        email=row.staff.user.email,
        job_type=row.staff.job_type.name if row.staff.job_type else "",
        skill=skill,
        current_level=row.level,
        wants_to_learn=row.wants,
        can_mentor=row.mentor,
    )


def _reskilling_previews(single_points: list[SkillHolders], as_of: dt.date) -> list[ReskillingPreview]:
    """Top candidates for every scarce skill in one query (a window ranks them within each skill)."""
    if not single_points:
        return []
    skill_ids = [item.skill.id for item in single_points]
    rows = (
        _candidate_queryset(as_of, skill_ids, INDEPENDENT_LEVEL)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("skill_id")],
                order_by=[
                    F("wants").desc(),
                    F("staff__user__display_name").asc(),
                    F("staff__user__email").asc(),
                ],
            ),
            total=Window(Count("id"), partition_by=[F("skill_id")]),
        )
        .filter(rank__lte=RESKILLING_PREVIEW)
        .order_by("skill_id", "rank")
    )
    by_skill: dict[int, list] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in rows:
        by_skill[row.skill_id].append(row)
        totals[row.skill_id] = row.total
    return [
        ReskillingPreview(
            skill=item.skill,
            holders=item.holders,
            total=totals.get(item.skill.id, 0),
            candidates=[_candidate(row, item.skill) for row in by_skill.get(item.skill.id, [])],
        )
        for item in single_points
    ]


def _trend(fiscal_year: int, quarter: int, skills: list[SkillRef], today: dt.date):
    """People at ≥ 3 per skill at the end of each of the last eight quarters, in ONE query with ONE window pass.

    Eight separate ``current_assessments(as_of=…)`` windows cost eight sorts of the whole assessment history (about
    0.6 s at 5,000 staff). The same definition can be read from a single pass: order each (person, skill)'s
    validated assessments as ``current_assessments`` does (assessed_on, id); an assessment counts from
    e = max(assessed_on, validated_on) — both must be ≤ as_of there —; it is the current one at date D exactly when
    e ≤ D and every later assessment in that order has e > D, i.e. D < the minimum e over the following rows (a
    window ``MIN … ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING``). tests/reports checks that this agrees with
    ``current_assessments(as_of=D)`` at every quarter end.
    """
    quarters = _quarters_back(fiscal_year, quarter, TREND_QUARTERS)
    skill_ids = [skill.id for skill in skills]
    as_ofs = [min(fiscal.quarter_period(fy, q).last_day, today) for fy, q in quarters]
    counts: dict[tuple[int, int], int] = {}
    if skill_ids:
        placeholders = ", ".join(["%s"] * len(skill_ids))
        columns, column_params = [], []
        for index, as_of in enumerate(as_ofs):
            columns.append(
                "SUM(CASE WHEN iv.e <= %s AND (iv.next_e IS NULL OR iv.next_e > %s)"
                " AND (sp.joined_on IS NULL OR sp.joined_on <= %s) THEN 1 ELSE 0 END)"
                f" AS q{index}"
            )
            column_params += [as_of, as_of, as_of]
        sql = f"""
            SELECT iv.skill_id, {", ".join(columns)}
            FROM (
                SELECT d.staff_id, d.skill_id, d.level, d.e,
                       MIN(d.e) OVER (PARTITION BY d.staff_id, d.skill_id ORDER BY d.assessed_on, d.id
                                      ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_e
                FROM (
                    SELECT a.id, a.staff_id, a.skill_id, a.level, a.assessed_on,
                           CASE WHEN a.validated_on IS NOT NULL AND a.validated_on > a.assessed_on
                                THEN a.validated_on ELSE a.assessed_on END AS e
                    FROM {_table(SkillAssessment)} a
                    WHERE a.status = %s AND a.skill_id IN ({placeholders}) AND a.assessed_on <= %s
                ) d
            ) iv
            JOIN {_table(StaffProfile)} sp ON sp.id = iv.staff_id
            WHERE sp.active = %s AND iv.level >= %s
            GROUP BY iv.skill_id
        """
        params = [
            *column_params,
            AssessmentStatus.VALIDATED.value,
            *skill_ids,
            max(as_ofs),
            True,
            INDEPENDENT_LEVEL,
        ]
        for skill_id, *values in _fetch(sql, params):
            for index, value in enumerate(values):
                counts[(index, skill_id)] = int(value or 0)
    trend = []
    for index, ((fy, q), as_of) in enumerate(zip(quarters, as_ofs, strict=True)):
        values = [counts.get((index, skill.id), 0) for skill in skills]
        trend.append(
            TrendPoint(
                fiscal_year=fy,
                quarter=q,
                label=fiscal.quarter_label(fy, q),
                as_of=as_of,
                covered_skills=sum(1 for v in values if v >= 1),
                robust_skills=sum(1 for v in values if v >= SPOF_THRESHOLD),
                pairs=sum(values),
            )
        )
    by_skill = [
        (skill, [counts.get((index, skill.id), 0) for index in range(len(quarters))]) for skill in skills
    ]
    return trend, by_skill


# --- demand versus supply ---------------------------------------------------------------------------------------------


@dataclass
class DemandSupplyRow:
    skill: SkillRef
    quarter: int
    label: str
    threshold: int
    requests: int
    demand_hours: float
    supply_hours: float
    able_people: int

    @property
    def balance(self) -> float:
        return self.supply_hours - self.demand_hours


@dataclass
class DemandSupply:
    fiscal_year: int
    label: str
    rows: list[DemandSupplyRow]
    quarters: list[tuple[int, str]]

    @property
    def is_empty(self) -> bool:
        return not any(row.demand_hours or row.supply_hours for row in self.rows)


def skill_demand_supply_for(user, *, fiscal_year: int, today: dt.date | None = None) -> DemandSupply:
    """Requested skill-hours against the free hours of people able to do them, per skill and fiscal quarter.

    * **Demand** of a skill in a quarter = Σ over the requests submitted in that quarter (not rejected or withdrawn,
      with an estimate) of ``estimated_hours ÷ number of the request's required skills`` — the estimate is spread
      evenly over its required skills. Summed in SQL.
    * **Threshold** of a skill = the lowest ``min_level`` any of that year's requests asked of it (3 — works
      independently — when nobody asked for it).
    * **Supply** of a skill in a quarter = Σ over active people whose current level (as at the end of the fiscal
      year, or today) is ≥ the threshold of ``max(0, capacity − allocated hours of their active assignments)`` per
      week × the quarter's business days ÷ 5. A person able to do several skills counts in each skill's supply, so
      supplies do not add up across skills; the figure answers "could the pool absorb this skill's demand".

    Three queries.
    """
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    validate_period(fiscal_year, 1)
    today = today or fiscal.today()
    year = fiscal.fiscal_year_period(fiscal_year)
    as_of = min(year.last_day, today)
    quarters = [fiscal.quarter_period(fiscal_year, q) for q in (1, 2, 3, 4)]

    skills = _skill_refs()  # 1
    skill_by_id = {skill.id: skill for skill in skills}

    # 2: demand per (skill, quarter)
    skills_per_request = (
        RequiredSkill.objects.filter(request_id=OuterRef("request_id"))
        .order_by()
        .values("request_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    quarter_expr = Case(
        *(
            When(
                request__submitted_at__gte=p.start_datetime(),
                request__submitted_at__lt=p.end_datetime(),
                then=q,
            )
            for q, p in enumerate(quarters, start=1)
        ),
        output_field=IntegerField(),
    )
    demand_rows = (
        RequiredSkill.objects.filter(
            request__submitted_at__gte=year.start_datetime(),
            request__submitted_at__lt=year.end_datetime(),
            skill__active=True,
        )
        .exclude(request__status__in=STOPPED)
        .annotate(
            q=quarter_expr,
            share=Cast("request__estimated_hours", FloatField())
            / Cast(Subquery(skills_per_request, output_field=IntegerField()), FloatField()),
        )
        .values("skill_id", "q")
        .annotate(
            hours=Coalesce(Sum("share"), Value(0.0)),
            requests=Count("request_id", distinct=True),
            min_level=Min("min_level"),
        )
        .order_by()
    )
    demand: dict[tuple[int, int], tuple[float, int]] = {}
    threshold: dict[int, int] = {}
    for row in demand_rows:
        demand[(row["skill_id"], row["q"])] = (float(row["hours"] or 0), row["requests"])
        threshold[row["skill_id"]] = min(threshold.get(row["skill_id"], 5), row["min_level"])

    # 3: free hours per (skill, level) over the current levels of active staff
    free_by_level: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
    if skill_by_id:
        current, params = _current_sql(as_of, list(skill_by_id))
        join, join_params = _staff_join(as_of)
        join = join.replace(
            " WHERE ",
            f" LEFT JOIN (SELECT staff_id, SUM(allocated_hours_per_week) AS total FROM {_table(Assignment)}"
            " WHERE released_at IS NULL GROUP BY staff_id) al ON al.staff_id = sp.id WHERE ",
            1,
        )
        free = "sp.capacity_hours_per_week - COALESCE(al.total, 0)"
        sql = (
            f"SELECT c.skill_id, c.level, COUNT(*), SUM(CASE WHEN {free} > 0 THEN {free} ELSE 0 END)"
            f" FROM ({current}) c{join} GROUP BY c.skill_id, c.level"
        )
        for skill_id, level, people, hours in _fetch(sql, params + join_params):
            free_by_level[skill_id].append((level, float(hours or 0), people))

    weeks = [fiscal.business_days_between(p.start - dt.timedelta(days=1), p.last_day) / 5 for p in quarters]
    rows = []
    for skill in skills:
        level = threshold.get(skill.id, INDEPENDENT_LEVEL)
        able = [(hours, people) for lv, hours, people in free_by_level.get(skill.id, []) if lv >= level]
        weekly = sum(hours for hours, _people in able)
        people = sum(p for _hours, p in able)
        for q in (1, 2, 3, 4):
            hours, requests = demand.get((skill.id, q), (0.0, 0))
            rows.append(
                DemandSupplyRow(
                    skill=skill,
                    quarter=q,
                    label=f"Q{q}",
                    threshold=level,
                    requests=requests,
                    demand_hours=round(hours, 1),
                    supply_hours=round(weekly * weeks[q - 1], 1),
                    able_people=people,
                )
            )
    return DemandSupply(
        fiscal_year=fiscal_year,
        label=fiscal.fiscal_year_label(fiscal_year),
        rows=rows,
        quarters=[(q, f"Q{q}") for q in (1, 2, 3, 4)],
    )


# --- reskilling --------------------------------------------------------------------------------------------------------


def skill_by_code(code: str) -> Skill | None:
    return Skill.objects.filter(code=code).first()


def reskilling_candidates_for(
    user, *, skill_code: str, level: int = INDEPENDENT_LEVEL, today: dt.date | None = None
) -> tuple[Skill | None, list[Candidate]]:
    """People exactly one level below `level` (default 3, where a skill counts as covered) in a skill, those who
    want to learn it first, then by name. (None, []) for an unknown skill. Two queries.
    """
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    if level not in (2, 3, 4, 5):
        raise ValueError("level must be 2-5")
    skill = skill_by_code(skill_code)
    if skill is None:
        return None, []
    ref = SkillRef(skill.pk, skill.code, skill.name)
    rows = _candidate_queryset(today or fiscal.today(), [skill.pk], level).order_by(
        "-wants", "staff__user__display_name", "staff__user__email"
    )[: LIST_LIMIT * 2]
    return skill, [_candidate(row, ref) for row in rows]
