"""The satisfaction report page (by organisation and period, with the trend) and its download's sections."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from reports import policies
from reports.forms import SatisfactionReportForm
from reports.satisfaction import satisfaction_report_for
from reports.tables.satisfaction import satisfaction_sections


def _report(request):
    form = SatisfactionReportForm(request.GET or None)
    fy, q, roll_up = form.choices()
    report = satisfaction_report_for(request.user, fiscal_year=fy, quarter=q, roll_up=roll_up)
    query = f"fy={fy}&roll_up={int(roll_up)}" + (f"&q={q}" if q else "")
    return form, report, query


def export_sections(request) -> tuple[str, list]:
    """For reports.views.export: the file name and the same sections as the page (managers and admins only)."""
    _form, report, _query = _report(request)
    suffix = f"-q{report.quarter}" if report.quarter else ""
    return f"satisfaction-{report.fiscal_year}{suffix}", satisfaction_sections(report)


@login_required
def satisfaction(request):
    if not policies.can_view_dashboard(request.user):
        raise Http404
    form, report, query = _report(request)
    sections = satisfaction_sections(report)
    display = SatisfactionReportForm(
        {"fy": report.fiscal_year, "q": report.quarter or "", "roll_up": "1" if report.roll_up else "0"}
    )
    display.is_valid()
    return render(
        request,
        "reports/satisfaction.html",
        {
            "report": report,
            "sections": sections,
            "charts": [{"id": f"chart-{s.id}", **s.chart.as_json()} for s in sections if s.chart and s.rows],
            "form": display,
            "errors": form.errors if form.is_bound and not form.is_valid() else None,
            "query": query,
        },
    )
