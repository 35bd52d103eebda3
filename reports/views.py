"""Report pages and downloads. Thin: parse the allow-listed period, call the selectors, render the sections.

Anyone who may not see a report gets 404 (DESIGN.md §6: "not found" and "forbidden" look the same).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.tabular import exports as tabular_exports
from reports import exports, policies, preaggregate
from reports.coverage import GROUP_JOB_TYPE
from reports.dashboard import dashboard_for
from reports.forms import CoverageForm, PeriodForm
from reports.periods import default_period
from reports.reskilling import reskilling_candidates_for
from reports.tables.coverage import coverage_sections, demand_supply_sections, reskilling_sections
from reports.tables.dashboard import dashboard_sections

EXPORTS = ("dashboard", "skills", "demand-supply", "reskilling", "satisfaction")


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
    roll_up = request.GET.get("roll_up") == "1"  # departments and sections with their bureau / municipality
    if roll_up:  # the stored figures keep organisations apart: a rolled-up dashboard is computed live
        report = dashboard_for(request.user, fiscal_year=fy, quarter=q, roll_up=True)
    else:
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
            "query": f"fy={fy}&q={q}" + ("&exact=1" if exact else "") + ("&roll_up=1" if roll_up else ""),
            "period_query": f"fy={fy}&q={q}",
            "exact": exact,
            "roll_up": roll_up,
        },
    )


#: The HR report's tabs: (slug, title, the coverage sections it shows). Each tab is its own page (its own URL,
#: reports:skills_tab) computing only what it shows; /reports/skills/ opens the first one (reskilling when a skill
#: is asked for, as links made before the tabs did).
SKILL_TABS = (
    ("coverage", _("Coverage"), ("heat", "heat-groups", "heat-groups-long")),
    ("gaps", _("Gaps and risks"), ("gaps", "spof", "truck-factor", "certifications", "rating-gaps")),
    ("reskilling", _("Reskilling"), ("reskilling",)),
    ("trend", _("Trend"), ("trend", "trend-by-skill")),
    ("demand-supply", _("Demand vs supply"), ()),
)


def _skill_code(text: str, skills) -> str:
    """What was typed in the reskilling search: a skill's code, or its name (any case)."""
    wanted = text.strip().casefold()
    for skill in skills:
        if wanted in (skill.code.casefold(), (skill.name or "").casefold()):
            return skill.code
    return text.strip()


@login_required
def skills(request, tab: str | None = None):
    if not policies.can_view_skill_coverage(request.user):
        raise Http404
    form, fy, q = _period_form(request, CoverageForm)
    group_by = form.group_by_value() if form.is_bound else GROUP_JOB_TYPE
    level = form.level_value() if form.is_bound else 3
    typed_skill = form.skill_value() if form.is_bound else ""
    if tab is None:
        tab = "reskilling" if typed_skill else SKILL_TABS[0][0]
    tabs = {slug: (title, ids) for slug, title, ids in SKILL_TABS}
    if tab not in tabs:
        raise Http404
    exact = _exact(request)
    report = preaggregate.coverage(request.user, fiscal_year=fy, quarter=q, group_by=group_by, exact=exact)
    skill_code = _skill_code(typed_skill, report.skills) if typed_skill else ""
    demand = None
    sections = [s for s in coverage_sections(report, level=level) if s.id in tabs[tab][1]]
    if tab == "demand-supply":
        demand = preaggregate.demand_supply(request.user, fiscal_year=fy, exact=exact)
        sections = demand_supply_sections(demand, quarter=q)
    query = {"fy": fy, "q": q, "group_by": group_by} | ({"skill": skill_code} if skill_code else {})
    reskilling = None
    if skill_code and tab == "reskilling":
        skill, candidates = reskilling_candidates_for(request.user, skill_code=skill_code)
        reskilling = reskilling_sections(skill, candidates)[0] if skill else None
        if reskilling:
            sections.insert(0, reskilling)
    return render(
        request,
        "reports/skills.html",
        {
            "report": report,
            "demand": demand,
            "tab": tab,
            "tabs": [(slug, title) for slug, title, _ids in SKILL_TABS],
            "sections": sections,
            "charts": _charts(sections),
            "form": _display_form(CoverageForm, fy=fy, q=q, group_by=group_by, level=level, skill=skill_code),
            "errors": form.errors if form.is_bound and not form.is_valid() else None,
            "skill_code": skill_code,
            "unknown_skill": bool(skill_code) and tab == "reskilling" and reskilling is None,
            "query": urlencode(query),
            "period_query": urlencode(query),
            "tab_query": urlencode({**query, "level": level} | ({"exact": 1} if exact else {})),
            "exact": exact,
        },
    )


def _sections_for(request, report: str):
    user = request.user
    if report == "dashboard":
        if not policies.can_view_dashboard(user):
            raise PermissionDenied
        _form, fy, q = _period_form(request, PeriodForm)
        if request.GET.get("roll_up") == "1":
            report = dashboard_for(user, fiscal_year=fy, quarter=q, roll_up=True)
        else:
            report = preaggregate.dashboard(user, fiscal_year=fy, quarter=q, exact=_exact(request))
        return f"dashboard-{fy}-q{q}", dashboard_sections(report)
    if report == "satisfaction":
        from reports.views_satisfaction import export_sections  # raises PermissionDenied like the others

        return export_sections(request)
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
