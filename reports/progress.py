"""The quarterly progress report (進捗状況), ready to publish: for a fiscal year and a period (a quarter, 上期/下期,
year to date, the full year), by pillar — support to the bureaus and to the municipalities — the requests and their
categories beside the same period of the two previous years, the share of upstream support (requests joined at
the 企画 phase), satisfaction, municipal engagements by kind and the coverage of the municipalities, the trainings
of the pool, and the manager's narrative (reports.models.ProgressNarrative).

No follow-up model for low satisfaction scores exists yet, so the report counts low scores without what was done.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganizationKind
from core.audit import record
from core.fiscal import Period, fiscal_year_label, fiscal_year_period, quarter_period, today
from core.policies import denied
from reports.models import ProgressNarrative
from skills.selectors.trainings import training_counts
from support import engagement_policies
from support.engagement_models import EngagementKind
from support.models import Phase, SatisfactionResponse, SupportRequest
from support.selectors_engagements import coverage_summary, engagement_counts_by_kind, engagement_coverage

PERIODS = {
    "q1": _("Q1 (April–June)"),
    "q2": _("Q2 (July–September)"),
    "q3": _("Q3 (October–December)"),
    "q4": _("Q4 (January–March)"),
    "h1": _("First half (上期)"),
    "h2": _("Second half (下期)"),
    "ytd": _("Year to date"),
    "fy": _("Full year"),
}
BUREAU, MUNICIPAL = "bureau", "municipal"
PILLARS = {BUREAU: _("Support to the bureaus"), MUNICIPAL: _("Support to the municipalities")}
LOW_SCORE = 2
YEARS_BACK = 2


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_range(fiscal_year: int, period: str, on: dt.date | None = None) -> Period:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    year = fiscal_year_period(fiscal_year)
    if period.startswith("q"):
        return quarter_period(fiscal_year, int(period[1]))
    if period == "h1":
        return Period(year.start, dt.date(fiscal_year, 10, 1))
    if period == "h2":
        return Period(dt.date(fiscal_year, 10, 1), year.end)
    if period == "ytd":
        tomorrow = (on or today()) + dt.timedelta(days=1)
        return Period(year.start, min(max(tomorrow, year.start + dt.timedelta(days=1)), year.end))
    return year


def _same_period(period: Period, years_back: int) -> Period:
    return Period(_shift(period.start, -years_back), _shift(period.end, -years_back))


def _pillar_q(pillar: str, prefix: str = "organization__") -> Q:
    municipal = Q(**{f"{prefix}kind__in": OrganizationKind.municipal()})
    return municipal if pillar == MUNICIPAL else ~municipal


@dataclass
class ProgressReport:
    fiscal_year: int
    period: str
    range: Period
    label: str
    year_labels: list = field(default_factory=list)  # oldest first, this year last
    requests: dict = field(default_factory=dict)  # pillar → [count per year]
    categories: list = field(default_factory=list)  # (name, last year, this year)
    upstream: dict = field(default_factory=dict)  # pillar → (requests, at planning)
    satisfaction: dict = field(default_factory=dict)  # pillar → (responses, average, low)
    engagements: list = field(default_factory=list)  # (kind label, last year, this year)
    coverage: dict = field(default_factory=dict)
    trainings: dict = field(default_factory=dict)
    narrative: str = ""

    @property
    def total_requests(self) -> int:
        return sum(counts[-1] for counts in self.requests.values())

    @property
    def engagements_held(self) -> int:
        return sum(row[2] for row in self.engagements)


def _requests_in(period: Period):
    return SupportRequest.objects.filter(
        submitted_at__gte=period.start_datetime(), submitted_at__lt=period.end_datetime()
    )


def _by_pillar(queryset, prefix="organization__", **aggregates) -> dict:
    return {pillar: queryset.filter(_pillar_q(pillar, prefix)).aggregate(**aggregates) for pillar in PILLARS}


def progress_report_for(user, *, fiscal_year: int, period: str, on: dt.date | None = None) -> ProgressReport:
    """The report; PermissionDenied-free: callers ask `can_view_progress_report` first."""
    current = period_range(fiscal_year, period, on)
    ranges = [_same_period(current, back) for back in range(YEARS_BACK, 0, -1)] + [current]
    report = ProgressReport(
        fiscal_year=fiscal_year,
        period=period,
        range=current,
        label=f"{fiscal_year_label(fiscal_year)} {PERIODS[period]}",
        year_labels=[fiscal_year_label(fiscal_year - back) for back in range(YEARS_BACK, -1, -1)],
    )
    per_year = [
        _by_pillar(_requests_in(r), n=Count("id"), planning=Count("id", filter=Q(phase=Phase.PLANNING)))
        for r in ranges
    ]
    report.requests = {pillar: [year[pillar]["n"] for year in per_year] for pillar in PILLARS}
    report.upstream = {
        pillar: (per_year[-1][pillar]["n"], per_year[-1][pillar]["planning"]) for pillar in PILLARS
    }
    this_year = dict(_requests_in(current).values_list("category__name").annotate(n=Count("id")).order_by())
    last_year = dict(
        _requests_in(ranges[-2]).values_list("category__name").annotate(n=Count("id")).order_by()
    )
    report.categories = sorted(
        (
            (name, last_year.get(name, 0), this_year.get(name, 0))
            for name in this_year.keys() | last_year.keys()
        ),
        key=lambda row: (-row[2], -row[1], row[0]),
    )
    ratings = SatisfactionResponse.objects.filter(
        created__gte=current.start_datetime(), created__lt=current.end_datetime()
    )
    rated = _by_pillar(
        ratings,
        prefix="request__organization__",
        n=Count("id"),
        avg=Avg("score"),
        low=Count("id", filter=Q(score__lte=LOW_SCORE)),
    )
    report.satisfaction = {
        pillar: (row["n"], round(float(row["avg"]), 2) if row["avg"] is not None else None, row["low"])
        for pillar, row in rated.items()
    }
    held_now = engagement_counts_by_kind(current.start_datetime(), current.end_datetime())
    held_before = engagement_counts_by_kind(ranges[-2].start_datetime(), ranges[-2].end_datetime())
    report.engagements = [
        (kind.label, held_before.get(kind.value, 0), held_now.get(kind.value, 0)) for kind in EngagementKind
    ]
    report.coverage = coverage_summary(engagement_coverage(fiscal_year))
    report.trainings = training_counts(current.start, current.end)
    narrative = ProgressNarrative.objects.filter(fiscal_year=fiscal_year, period=period).first()
    report.narrative = narrative.text if narrative else ""
    return report


def can_view_progress_report(user) -> bool:
    return engagement_policies.can_view_aggregates(user)


@transaction.atomic
def narrative_save(*, actor, fiscal_year: int, period: str, text: str) -> ProgressNarrative:
    """The manager's narrative for a fiscal year and period (ICT managers); audited."""
    if not engagement_policies.can_write_narrative(actor):
        raise denied(_("Only ICT managers write the progress report's narrative."))
    if period not in PERIODS:
        raise ValueError(period)
    narrative, _created = ProgressNarrative.objects.update_or_create(
        fiscal_year=fiscal_year, period=period, defaults={"text": (text or "").strip(), "updated_by": actor}
    )
    record(
        actor=actor,
        verb="progress.narrative",
        target=narrative,
        data={"fiscal_year": fiscal_year, "period": period},
    )
    return narrative
