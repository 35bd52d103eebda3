"""The reports as GraphQL queries: the same selectors and the same access rules as the pages.

dashboard(fiscalYear, quarter, exact, rollUp) · skillCoverage(fiscalYear, quarter, groupBy, exact) ·
skillDemandSupply(fiscalYear, exact) · reskillingCandidates(skill, level) · satisfactionReport(fiscalYear, quarter,
rollUp). Omitted periods default to the current fiscal year / quarter. Anyone the report
is not for gets FORBIDDEN. Each resolves in the selector's constant number of queries.
"""

import graphene
from django.core.exceptions import PermissionDenied

from core.api.errors import ExpectedError, Forbidden, NotFound, require_user
from core.api.names import LocalizedNameField
from core.api.periods import period_arguments
from reports import preaggregate
from reports.coverage import GROUP_JOB_TYPE, GROUP_ORGANIZATION
from reports.dashboard import dashboard_for
from reports.levels import INDEPENDENT_LEVEL
from reports.names import localize_coverage, localize_dashboard
from reports.reskilling import reskilling_candidates_for
from reports.satisfaction import satisfaction_report_for


class ReportDuration(graphene.ObjectType):
    """Business days from submission, over the requests whose event fell in the period."""

    count = graphene.Int(required=True)
    median = graphene.Float()
    p90 = graphene.Float(description="90th percentile (linear interpolation, as percentile_cont).")


class ScoreCount(graphene.ObjectType):
    score = graphene.Int(required=True)
    count = graphene.Int(required=True)


class DashboardFigures(graphene.ObjectType):
    """The headline figures of one quarter."""

    received = graphene.Int(required=True, description="Submitted in the quarter.")
    resolved = graphene.Int(required=True, description="Resolved in the quarter.")
    open = graphene.Int(required=True, description="Open at the end of the quarter (or now, while it runs).")
    overdue = graphene.Int(required=True, description="Open then and past the due date.")
    first_response = graphene.Field(ReportDuration, required=True)
    resolution = graphene.Field(ReportDuration, required=True)
    satisfaction_average = graphene.Float()
    satisfaction_count = graphene.Int(required=True)
    satisfaction_distribution = graphene.List(graphene.NonNull(ScoreCount), required=True)
    staff_count = graphene.Int(required=True)
    utilisation_average = graphene.Float(description="Mean of allocated ÷ capacity (1.0 = 100 %).")
    over_capacity = graphene.Int(required=True)
    allocated_hours = graphene.Float(required=True)
    capacity_hours = graphene.Float(required=True)

    def resolve_satisfaction_distribution(root, info):
        return [ScoreCount(score=score, count=count) for score, count in root.satisfaction_distribution]


class DashboardBreakdown(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    received = graphene.Int(required=True)
    resolved = graphene.Int(required=True)
    open = graphene.Int(required=True)


class RequestedSkill(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    requests = graphene.Int(required=True)


class LowRatedRequest(graphene.ObjectType):
    reference = graphene.String(required=True)
    title = graphene.String(required=True)
    organization = graphene.String(required=True)
    score = graphene.Int(required=True)
    comment = graphene.String(required=True)
    resolved_at = graphene.DateTime()


class Dashboard(graphene.ObjectType):
    """The management dashboard of a fiscal quarter with the same quarter last year beside it."""

    fiscal_year = graphene.Int(required=True)
    quarter = graphene.Int(required=True)
    label = graphene.String(required=True)
    previous_label = graphene.String(required=True)
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True, description="The last day of the quarter.")
    current = graphene.Field(DashboardFigures, required=True)
    previous = graphene.Field(DashboardFigures, required=True, description="The same quarter last year.")
    by_category = graphene.List(graphene.NonNull(DashboardBreakdown), required=True)
    by_phase = graphene.List(graphene.NonNull(DashboardBreakdown), required=True)
    by_organization_kind = graphene.List(graphene.NonNull(DashboardBreakdown), required=True)
    by_organization = graphene.List(graphene.NonNull(DashboardBreakdown), required=True)
    top_categories = graphene.List(graphene.NonNull(DashboardBreakdown), required=True)
    top_skills = graphene.List(graphene.NonNull(RequestedSkill), required=True)
    lowest_rated = graphene.List(graphene.NonNull(LowRatedRequest), required=True)
    has_any_requests = graphene.Boolean(required=True)
    is_empty = graphene.Boolean(required=True)
    computed_at = graphene.DateTime(required=True, description="When these figures were computed (集計時点).")
    exact = graphene.Boolean(
        required=True,
        description="Computed live for this query (else read from the period's pre-computed figures).",
    )

    def resolve_period_start(root, info):
        return root.period.start

    def resolve_period_end(root, info):
        return root.period.last_day


class ReportSkill(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    localized_name = LocalizedNameField()
    category = graphene.String(required=True)


class SkillLevelCounts(graphene.ObjectType):
    """People at or above levels 1…5 in one skill, within a group (or all staff)."""

    group_key = graphene.String(required=True)
    group_label = graphene.String(required=True)
    skill = graphene.Field(ReportSkill, required=True)
    at_least = graphene.List(graphene.NonNull(graphene.Int), required=True)


class SkillGap(graphene.ObjectType):
    job_type_code = graphene.String(required=True)
    job_type = graphene.String(required=True)
    skill = graphene.Field(ReportSkill, required=True)
    target_level = graphene.Int(required=True)
    importance = graphene.String(required=True)
    people = graphene.Int(required=True)
    meeting = graphene.Int(required=True)
    share = graphene.Float()
    shortfall = graphene.Int(required=True)


class SkillHolderCount(graphene.ObjectType):
    skill = graphene.Field(ReportSkill, required=True)
    holders = graphene.Int(required=True, description="People at level 3 or above.")


class ExpiringCertification(graphene.ObjectType):
    person = graphene.String(required=True)
    email = graphene.String(required=True)
    name = graphene.String(required=True)
    skill = graphene.String(required=True)
    expires_on = graphene.Date(required=True)
    days_left = graphene.Int(required=True)


class RatingGap(graphene.ObjectType):
    person = graphene.String(required=True)
    email = graphene.String(required=True)
    skill = graphene.Field(ReportSkill, required=True)
    self_level = graphene.Int(required=True)
    manager_level = graphene.Int(required=True)
    gap = graphene.Int(required=True, description="Self minus manager.")


class ReskillingCandidate(graphene.ObjectType):
    person = graphene.String(required=True)
    email = graphene.String(required=True)
    job_type = graphene.String(required=True)
    skill = graphene.Field(ReportSkill, required=True)
    current_level = graphene.Int(required=True)
    wants_to_learn = graphene.Boolean(required=True)
    can_mentor = graphene.Boolean(required=True)


class ReskillingPreview(graphene.ObjectType):
    skill = graphene.Field(ReportSkill, required=True)
    holders = graphene.Int(required=True)
    total = graphene.Int(required=True, description="All candidates one level below.")
    candidates = graphene.List(graphene.NonNull(ReskillingCandidate), required=True)


class CoverageTrendPoint(graphene.ObjectType):
    fiscal_year = graphene.Int(required=True)
    quarter = graphene.Int(required=True)
    label = graphene.String(required=True)
    as_of = graphene.Date(required=True)
    covered_skills = graphene.Int(required=True, description="Skills with someone at level 3 or above.")
    robust_skills = graphene.Int(required=True, description="Skills with two or more at level 3 or above.")
    pairs = graphene.Int(required=True, description="(person, skill) pairs at level 3 or above.")


class SkillTrend(graphene.ObjectType):
    skill = graphene.Field(ReportSkill, required=True)
    values = graphene.List(graphene.NonNull(graphene.Int), required=True)


SkillCoverageGroupBy = graphene.Enum(
    "SkillCoverageGroupBy",
    [("JOB_TYPE", GROUP_JOB_TYPE), ("ORGANIZATION", GROUP_ORGANIZATION)],
)


class SkillCoverage(graphene.ObjectType):
    """HR's skill coverage at the end of a fiscal quarter (aggregates of the skill map only)."""

    fiscal_year = graphene.Int(required=True)
    quarter = graphene.Int(required=True)
    label = graphene.String(required=True)
    as_of = graphene.Date(required=True)
    group_by = graphene.String(required=True)
    staff_count = graphene.Int(required=True)
    is_empty = graphene.Boolean(required=True)
    skills = graphene.List(graphene.NonNull(ReportSkill), required=True)
    overall = graphene.List(graphene.NonNull(SkillLevelCounts), required=True)
    heat = graphene.List(graphene.NonNull(SkillLevelCounts), required=True)
    gaps = graphene.List(graphene.NonNull(SkillGap), required=True)
    single_points_of_failure = graphene.List(graphene.NonNull(SkillHolderCount), required=True)
    critical_definition = graphene.String(required=True)
    critical_skills = graphene.List(graphene.NonNull(SkillHolderCount), required=True)
    truck_factor = graphene.Int()
    truck_factor_skills = graphene.List(graphene.NonNull(ReportSkill), required=True)
    expiring_certifications = graphene.List(graphene.NonNull(ExpiringCertification), required=True)
    rating_gaps = graphene.List(graphene.NonNull(RatingGap), required=True)
    rating_gap_count = graphene.Int(required=True)
    reskilling = graphene.List(graphene.NonNull(ReskillingPreview), required=True)
    trend = graphene.List(graphene.NonNull(CoverageTrendPoint), required=True)
    trend_by_skill = graphene.List(graphene.NonNull(SkillTrend), required=True)
    computed_at = graphene.DateTime(required=True, description="When these figures were computed (集計時点).")
    exact = graphene.Boolean(
        required=True,
        description="Computed live for this query (else read from the period's pre-computed figures).",
    )

    def resolve_trend_by_skill(root, info):
        return [SkillTrend(skill=skill, values=values) for skill, values in root.trend_by_skill]


class SkillDemandSupplyRow(graphene.ObjectType):
    skill = graphene.Field(ReportSkill, required=True)
    quarter = graphene.Int(required=True)
    demand_hours = graphene.Float(required=True)
    supply_hours = graphene.Float(required=True)
    balance = graphene.Float(required=True)
    threshold = graphene.Int(
        required=True, description="The lowest level asked for the skill that year (else 3)."
    )
    able_people = graphene.Int(required=True)
    requests = graphene.Int(required=True)
    allocated_hours = graphene.Float(
        required=True,
        description="Demand hours the pool meets when each free hour goes to at most one skill (no double counting).",
    )
    shortfall_hours = graphene.Float(required=True, description="Demand hours nobody free can meet.")
    short_people = graphene.Int(
        required=True, description="The shortfall in full-time people for the quarter."
    )
    reskill_people = graphene.Int(
        required=True, description="People one level below the threshold: who could reskill into the skill."
    )


class SkillDemandSupply(graphene.ObjectType):
    fiscal_year = graphene.Int(required=True)
    label = graphene.String(required=True)
    is_empty = graphene.Boolean(required=True)
    rows = graphene.List(graphene.NonNull(SkillDemandSupplyRow), required=True)
    computed_at = graphene.DateTime(required=True, description="When these figures were computed (集計時点).")
    exact = graphene.Boolean(
        required=True,
        description="Computed live for this query (else read from the year's pre-computed figures).",
    )


def _period(fiscal_year, quarter):
    return period_arguments(fiscal_year, quarter)


def _call(selector, info, **kwargs):
    user = require_user(info)
    try:
        return selector(user, **kwargs)
    except PermissionDenied:
        raise Forbidden() from None


class SatisfactionFiguresType(graphene.ObjectType):
    class Meta:
        name = "SatisfactionFigures"

    key = graphene.String(required=True, description="Organisation code, or `2025-Q3` in the trend.")
    label = graphene.String(required=True)
    responses = graphene.Int(required=True)
    score = graphene.Float(description="Average overall score (1–5).")
    frequency = graphene.Float(
        description="Average frequency of support (1–5), over the answers that have it."
    )
    quality = graphene.Float(description="Average quality of support (1–5), over the answers that have it.")
    low = graphene.Int(required=True, description="Ratings ≤ 2 overall or in a dimension.")
    followed_up = graphene.Int(
        required=True, description="Low ratings the managers have recorded a follow-up on."
    )


class SatisfactionReportType(graphene.ObjectType):
    class Meta:
        name = "SatisfactionReport"

    fiscal_year = graphene.Int(required=True)
    quarter = graphene.Int(description="Null: the whole fiscal year.")
    label = graphene.String(required=True)
    roll_up = graphene.Boolean(required=True)
    total = graphene.Field(SatisfactionFiguresType, required=True)
    by_organization = graphene.List(graphene.NonNull(SatisfactionFiguresType), required=True)
    trend = graphene.List(
        graphene.NonNull(SatisfactionFiguresType),
        required=True,
        description="The eight quarters ending with the chosen one (or the year's last), oldest first.",
    )


class Query(graphene.ObjectType):
    dashboard = graphene.Field(
        Dashboard,
        fiscal_year=graphene.Int(),
        quarter=graphene.Int(),
        exact=graphene.Boolean(
            default_value=False,
            description="Compute live instead of reading the period's pre-computed figures (slower).",
        ),
        roll_up=graphene.Boolean(
            default_value=False,
            description="Top organisations: departments and sections counted with their bureau or municipality "
            "(computed live).",
        ),
        description="The management dashboard (ICT managers and admins). Defaults to the current quarter.",
    )
    skill_coverage = graphene.Field(
        SkillCoverage,
        fiscal_year=graphene.Int(),
        quarter=graphene.Int(),
        group_by=SkillCoverageGroupBy(),
        exact=graphene.Boolean(
            default_value=False,
            description="Compute live instead of reading the period's pre-computed figures (slower).",
        ),
        description="Skill coverage (HR, ICT managers and admins). Defaults to the current quarter, by job type.",
    )
    skill_demand_supply = graphene.Field(
        SkillDemandSupply,
        fiscal_year=graphene.Int(),
        exact=graphene.Boolean(
            default_value=False,
            description="Compute live instead of reading the year's pre-computed figures (slower).",
        ),
        description="Requested skill-hours against free hours per skill and quarter (HR, ICT managers, admins).",
    )
    reskilling_candidates = graphene.List(
        graphene.NonNull(ReskillingCandidate),
        skill=graphene.String(required=True, description="Skill code."),
        level=graphene.Int(default_value=INDEPENDENT_LEVEL, description="The scarce level (2–5)."),
        description="People one level below `level` in a skill, those who want to learn it first.",
    )

    satisfaction_report = graphene.Field(
        SatisfactionReportType,
        fiscal_year=graphene.Int(),
        quarter=graphene.Int(description="1–4; omitted: the whole fiscal year."),
        roll_up=graphene.Boolean(
            default_value=True,
            description="Departments and sections count with their bureau or municipality.",
        ),
        description="Satisfaction (overall, frequency and quality of support) by organisation and period, with "
        "the trend over quarters (ICT managers and admins). Defaults to the current fiscal year.",
    )

    def resolve_satisfaction_report(root, info, fiscal_year=None, quarter=None, roll_up=True):
        require_user(info)
        fy, _q = _period(fiscal_year, quarter or 1)
        roll_up = True if roll_up is None else roll_up  # an explicit null means the default, not "neither"
        return _call(satisfaction_report_for, info, fiscal_year=fy, quarter=quarter, roll_up=roll_up)

    def resolve_dashboard(root, info, fiscal_year=None, quarter=None, exact=False, roll_up=False):
        require_user(info)
        fy, q = _period(fiscal_year, quarter)
        if roll_up:
            return localize_dashboard(_call(dashboard_for, info, fiscal_year=fy, quarter=q, roll_up=True))
        return localize_dashboard(
            _call(preaggregate.dashboard, info, fiscal_year=fy, quarter=q, exact=bool(exact))
        )

    def resolve_skill_coverage(root, info, fiscal_year=None, quarter=None, group_by=None, exact=False):
        require_user(info)
        fy, q = _period(fiscal_year, quarter)
        group = getattr(group_by, "value", group_by) or GROUP_JOB_TYPE
        return localize_coverage(
            _call(preaggregate.coverage, info, fiscal_year=fy, quarter=q, group_by=group, exact=bool(exact))
        )

    def resolve_skill_demand_supply(root, info, fiscal_year=None, exact=False):
        require_user(info)
        fy, _q = _period(fiscal_year, 1)
        return _call(preaggregate.demand_supply, info, fiscal_year=fy, exact=bool(exact))

    def resolve_reskilling_candidates(root, info, skill, level=INDEPENDENT_LEVEL):
        require_user(info)
        if level not in (2, 3, 4, 5):
            raise ExpectedError("`level` must be from 2 to 5.", "BAD_LEVEL")
        found, candidates = _call(reskilling_candidates_for, info, skill_code=skill, level=level)
        if found is None:
            raise NotFound("No skill has this code.")
        return candidates
