"""Report pages and downloads. Thin: parse the allow-listed period, call the selectors, render the sections.

Anyone who may not see a report gets 404 (DESIGN.md §6: "not found" and "forbidden" look the same).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from core.tabular import exports as tabular_exports
from reports import exports, policies, preaggregate
from reports.coverage import GROUP_JOB_TYPE
from reports.forms import CoverageForm, PeriodForm
from reports.periods import default_period
from reports.reskilling import reskilling_candidates_for
from reports.tables.coverage import coverage_sections, demand_supply_sections, reskilling_sections
from reports.tables.dashboard import dashboard_sections

EXPORTS = ("dashboard", "skills", "demand-supply", "reskilling")


def _period_form(request, form_class):
    form = form_class(request.GET or None)
    fy, q = form.period() if form.is_bound else default_period()
    return form, fy, q


def _display_form(form_class, **values):
    """A bound copy showing the values actually used (defaults filled in)."""
    display = form_class({key: value for key, value in values.items() if value not in (None, "")})
    display.is_valid()
    return display


def _exact(request) -> bool:
    """?exact=1: compute the dashboard live instead of reading the period's pre-computed figures."""
    return request.GET.get("exact") in ("1", "true", "on")


def _charts(sections) -> list[dict]:
    return [
        {"id": f"chart-{section.id}", **section.chart.as_json()}
        for section in sections
        if section.on_page and section.chart and section.rows
    ]


@login_required
def dashboard(request):
    if not policies.can_view_dashboard(request.user):
        raise Http404
    form, fy, q = _period_form(request, PeriodForm)
    exact = _exact(request)
    report = preaggregate.dashboard(request.user, fiscal_year=fy, quarter=q, exact=exact)
    sections = dashboard_sections(report)
    return render(
        request,
        "reports/dashboard.html",
        {
            "report": report,
            "sections": sections,
            "charts": _charts(sections),
            "form": _display_form(PeriodForm, fy=fy, q=q),
            "errors": form.errors if form.is_bound and not form.is_valid() else None,
            "query": f"fy={fy}&q={q}" + ("&exact=1" if exact else ""),
            "period_query": f"fy={fy}&q={q}",
            "exact": exact,
        },
    )


@login_required
def skills(request):
    if not policies.can_view_skill_coverage(request.user):
        raise Http404
    form, fy, q = _period_form(request, CoverageForm)
    group_by = form.group_by_value() if form.is_bound else GROUP_JOB_TYPE
    level = form.level_value() if form.is_bound else 3
    skill_code = form.skill_value() if form.is_bound else ""
    exact = _exact(request)
    report = preaggregate.coverage(request.user, fiscal_year=fy, quarter=q, group_by=group_by, exact=exact)
    demand = preaggregate.demand_supply(request.user, fiscal_year=fy, exact=exact)
    sections = coverage_sections(report, level=level) + demand_supply_sections(demand, quarter=q)
    reskilling = None
    if skill_code:
        skill, candidates = reskilling_candidates_for(request.user, skill_code=skill_code)
        reskilling = reskilling_sections(skill, candidates)[0] if skill else None
        if reskilling:
            sections.append(reskilling)
    return render(
        request,
        "reports/skills.html",
        {
            "report": report,
            "demand": demand,
            "sections": sections,
            "charts": _charts(sections),
            "form": _display_form(CoverageForm, fy=fy, q=q, group_by=group_by, level=level, skill=skill_code),
            "errors": form.errors if form.is_bound and not form.is_valid() else None,
            "skill_code": skill_code,
            "unknown_skill": bool(skill_code) and reskilling is None,
            "query": f"fy={fy}&q={q}&group_by={group_by}" + (f"&skill={skill_code}" if skill_code else ""),
            "period_query": f"fy={fy}&q={q}&group_by={group_by}"
            + (f"&skill={skill_code}" if skill_code else ""),
            "exact": exact,
        },
    )


def _sections_for(request, report: str):
    user = request.user
    if report == "dashboard":
        if not policies.can_view_dashboard(user):
            raise PermissionDenied
        _form, fy, q = _period_form(request, PeriodForm)
        report = preaggregate.dashboard(user, fiscal_year=fy, quarter=q, exact=_exact(request))
        return f"dashboard-{fy}-q{q}", dashboard_sections(report)
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    form, fy, q = _period_form(request, CoverageForm)
    if report == "skills":
        group_by = form.group_by_value() if form.is_bound else GROUP_JOB_TYPE
        coverage = preaggregate.coverage(
            user, fiscal_year=fy, quarter=q, group_by=group_by, exact=_exact(request)
        )
        return f"skill-coverage-{fy}-q{q}", coverage_sections(coverage)
    if report == "demand-supply":
        demand = preaggregate.demand_supply(user, fiscal_year=fy, exact=_exact(request))
        return f"demand-supply-{fy}", demand_supply_sections(demand)
    skill_code = form.skill_value() if form.is_bound else ""
    skill, candidates = reskilling_candidates_for(user, skill_code=skill_code)
    if skill is None:
        raise Http404
    return f"reskilling-{skill.code}", reskilling_sections(skill, candidates)


@login_required
def export(request, report: str, fmt: str):
    """/reports/export/<report>.<xlsx|csv>?fy=&q=&group_by=&skill= — the same figures as the page."""
    if report not in EXPORTS or fmt not in ("xlsx", "csv"):
        raise Http404
    try:
        filename, sections = _sections_for(request, report)
    except PermissionDenied:
        raise Http404 from None
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(sections), content_type=exports.XLSX_CONTENT_TYPE)
    else:
        encoding = tabular_exports.encoding_of(request.GET.get("encoding"))  # &encoding=sjis: Shift_JIS
        response = HttpResponse(
            exports.to_csv(sections, encoding), content_type=tabular_exports.CONTENT_TYPES[("csv", encoding)]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
