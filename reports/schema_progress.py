"""GraphQL of the progress report: `progressReport(fiscalYear, period)` — the same sections as the page, the PDF
and the .xlsx (reports.tables.progress), plus the headline figures (ICT managers, HR, admins)."""

import graphene

from core.api.errors import Forbidden, require_user
from core.api.periods import period_arguments
from reports.progress import PERIODS, can_view_progress_report, progress_report_for
from reports.tables.progress import progress_sections

ProgressPeriod = graphene.Enum("ProgressPeriod", [(key.upper(), key) for key in PERIODS])


class ReportSectionType(graphene.ObjectType):
    id = graphene.String(required=True)
    title = graphene.String(required=True)
    headers = graphene.List(graphene.NonNull(graphene.String), required=True)
    rows = graphene.List(
        graphene.NonNull(graphene.List(graphene.String)),
        required=True,
        description="Each row's cells as text (null for an empty cell).",
    )


class PillarFiguresType(graphene.ObjectType):
    pillar = graphene.String(required=True, description="bureau or municipal")
    requests = graphene.Int(required=True)
    requests_last_year = graphene.Int(required=True)
    at_planning_phase = graphene.Int(required=True)
    satisfaction_responses = graphene.Int(required=True)
    satisfaction_average = graphene.Float()
    low_scores = graphene.Int(required=True)


class ProgressReportType(graphene.ObjectType):
    fiscal_year = graphene.Int(required=True)
    period = ProgressPeriod(required=True)
    label = graphene.String(required=True)
    start = graphene.Date(required=True)
    end = graphene.Date(required=True, description="The last day of the period.")
    narrative = graphene.String(required=True)
    pillars = graphene.List(graphene.NonNull(PillarFiguresType), required=True)
    engagements_held = graphene.Int(required=True)
    trainings_completed = graphene.Int(required=True)
    sections = graphene.List(graphene.NonNull(ReportSectionType), required=True)


def _text(cell):
    return None if cell is None else str(cell)


class Query(graphene.ObjectType):
    progress_report = graphene.Field(
        ProgressReportType,
        fiscal_year=graphene.Int(),
        period=ProgressPeriod(),
        description="The progress report by pillar for a fiscal year and period (ICT managers, HR, admins). "
        "Defaults to the current fiscal year, year to date.",
    )

    def resolve_progress_report(root, info, fiscal_year=None, period=None):
        user = require_user(info)
        if not can_view_progress_report(user):
            raise Forbidden()
        fiscal_year, _quarter = period_arguments(fiscal_year)
        period = getattr(period, "value", period) or "ytd"
        report = progress_report_for(user, fiscal_year=fiscal_year, period=period)
        return ProgressReportType(
            fiscal_year=fiscal_year,
            period=period,
            label=report.label,
            start=report.range.start,
            end=report.range.last_day,
            narrative=report.narrative,
            pillars=[
                PillarFiguresType(
                    pillar=pillar,
                    requests=counts[-1],
                    requests_last_year=counts[-2],
                    at_planning_phase=report.upstream[pillar][1],
                    satisfaction_responses=report.satisfaction[pillar][0],
                    satisfaction_average=report.satisfaction[pillar][1],
                    low_scores=report.satisfaction[pillar][2],
                )
                for pillar, counts in report.requests.items()
            ],
            engagements_held=report.engagements_held,
            trainings_completed=report.trainings.get("completions", 0),
            sections=[
                ReportSectionType(
                    id=s.id,
                    title=str(s.title),
                    headers=[str(h) for h in s.headers],
                    rows=[[_text(c) for c in row] for row in s.rows],
                )
                for s in progress_sections(report)
            ],
        )
