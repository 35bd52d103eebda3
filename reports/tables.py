"""Each report as a list of sections: a table (headers + rows) and, where it helps, a chart drawn from the SAME rows.

The pages render every section's table (the accessible equivalent of its chart) and pass the chart spec to
static/reports/charts.js; the .xlsx and CSV exports write the same tables. So a chart, its table and the download
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.selectors import LEVELS, Dashboard, DemandSupply, SkillCoverage


@dataclass
class Chart:
    type: str  # "bar" | "line"
    labels: list[str]
    datasets: list[dict]  # [{"label": str, "data": [numbers]}]
    horizontal: bool = False
    percent: bool = False

    def as_json(self) -> dict:
        return {
            "type": self.type,
            "labels": [str(label) for label in self.labels],
            "datasets": [{"label": str(d["label"]), "data": d["data"]} for d in self.datasets],
            "horizontal": self.horizontal,
            "percent": self.percent,
        }


@dataclass
class Section:
    id: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: Chart | None = None
    heat: bool = False  # numeric cells shaded as a heat map (the table IS the chart)
    note: str = ""
    empty: str = ""
    on_page: bool = True
    in_export: bool = True
    column_classes: list[str] = field(default_factory=list)

    @property
    def heat_max(self) -> int:
        values = [cell for row in self.rows for cell in row if isinstance(cell, int | float)]
        return max(values, default=0)

    def heat_class(self, value) -> str:
        if not isinstance(value, int | float) or not self.heat_max:
            return ""
        return f"heat-{min(4, round(4 * value / self.heat_max))}"


def _num(value: float | None, digits: int = 1):
    return None if value is None else round(value, digits)


def _pct(value: float | None):
    return None if value is None else round(100 * value, 1)


def _counts_section(section_id: str, title: str, first: str, rows, *, horizontal=False, empty="") -> Section:
    table = [[row.label, row.received, row.resolved, row.open] for row in rows]
    return Section(
        id=section_id,
        title=title,
        headers=[first, _("Received"), _("Resolved"), _("Open at period end")],
        rows=table,
        chart=Chart(
            "bar",
            [row[0] for row in table],
            [
                {"label": _("Received"), "data": [row[1] for row in table]},
                {"label": _("Resolved"), "data": [row[2] for row in table]},
                {"label": _("Open at period end"), "data": [row[3] for row in table]},
            ],
            horizontal=horizontal,
        )
        if table
        else None,
        empty=empty or _("No requests in this period."),
    )


def dashboard_sections(report: Dashboard) -> list[Section]:
    c, p = report.current, report.previous
    headline_rows = [
        [_("Requests received"), c.received, p.received],
        [_("Requests resolved"), c.resolved, p.resolved],
        [_("Open at period end"), c.open, p.open],
        [_("Overdue"), c.overdue, p.overdue],
        [
            _("Business days to first response (median)"),
            _num(c.first_response.median),
            _num(p.first_response.median),
        ],
        [
            _("Business days to first response (90th percentile)"),
            _num(c.first_response.p90),
            _num(p.first_response.p90),
        ],
        [_("Business days to resolution (median)"), _num(c.resolution.median), _num(p.resolution.median)],
        [_("Business days to resolution (90th percentile)"), _num(c.resolution.p90), _num(p.resolution.p90)],
        [
            _("Satisfaction (average of 1–5)"),
            _num(c.satisfaction_average, 2),
            _num(p.satisfaction_average, 2),
        ],
        [_("Satisfaction responses"), c.satisfaction_count, p.satisfaction_count],
        [_("Staff utilisation (average %)"), _pct(c.utilisation_average), _pct(p.utilisation_average)],
        [_("Staff over capacity"), c.over_capacity, p.over_capacity],
    ]
    sections = [
        Section(
            id="headline",
            title=_("Headline figures"),
            headers=[_("Figure"), report.label, report.previous_label],
            rows=headline_rows,
            chart=Chart(
                "bar",
                [row[0] for row in headline_rows[:4]],
                [
                    {"label": report.label, "data": [row[1] for row in headline_rows[:4]]},
                    {"label": report.previous_label, "data": [row[2] for row in headline_rows[:4]]},
                ],
            )
            if any(row[1] or row[2] for row in headline_rows[:4])
            else None,
            note=_(
                "Received: submitted in the quarter. Resolved: resolved in the quarter. Open and overdue: at the "
                "end of the quarter (or now, while it runs). Durations count business days (開庁日)."
            ),
        ),
        _counts_section("by-category", _("By category"), _("Category"), report.by_category),
        _counts_section("by-phase", _("By project phase"), _("Phase"), report.by_phase),
        _counts_section(
            "by-kind", _("By organisation kind"), _("Organisation kind"), report.by_organization_kind
        ),
        _counts_section(
            "by-organization",
            _("Top organisations"),
            _("Organisation"),
            report.by_organization,
            horizontal=True,
        ),
    ]
    durations = [
        [_("First response"), report.label, c.first_response.count, _num(c.first_response.median), _num(c.first_response.p90)],
        [_("First response"), report.previous_label, p.first_response.count, _num(p.first_response.median), _num(p.first_response.p90)],
        [_("Resolution"), report.label, c.resolution.count, _num(c.resolution.median), _num(c.resolution.p90)],
        [_("Resolution"), report.previous_label, p.resolution.count, _num(p.resolution.median), _num(p.resolution.p90)],
    ]  # fmt: skip
    has_durations = any(row[2] for row in durations)
    sections.append(
        Section(
            id="durations",
            title=_("Time to first response and to resolution (business days)"),
            headers=[_("Measure"), _("Period"), _("Requests"), _("Median"), _("90th percentile")],
            rows=durations if has_durations else [],
            chart=Chart(
                "bar",
                [f"{row[0]} {row[1]}" for row in durations],
                [
                    {"label": _("Median"), "data": [row[3] for row in durations]},
                    {"label": _("90th percentile"), "data": [row[4] for row in durations]},
                ],
                horizontal=True,
            )
            if has_durations
            else None,
            empty=_("No request was answered or resolved in this period."),
        )
    )
    distribution = [[score, count] for score, count in c.satisfaction_distribution]
    has_ratings = bool(c.satisfaction_count)
    sections.append(
        Section(
            id="satisfaction",
            title=_("Satisfaction (requests resolved in the quarter)"),
            headers=[_("Score"), _("Responses")],
            rows=distribution if has_ratings else [],
            chart=Chart(
                "bar",
                [str(row[0]) for row in distribution],
                [{"label": _("Responses"), "data": [row[1] for row in distribution]}],
            )
            if has_ratings
            else None,
            note=_("Average %(average)s from %(count)s responses.")
            % {"average": _num(c.satisfaction_average, 2), "count": c.satisfaction_count}
            if has_ratings
            else "",
            empty=_("No satisfaction survey was answered for requests resolved in this period."),
        )
    )
    sections.append(
        Section(
            id="follow-up",
            title=_("Lowest-rated requests to follow up"),
            headers=[_("Reference"), _("Title"), _("Organisation"), _("Score"), _("Comment")],
            rows=[[r.reference, r.title, r.organization, r.score, r.comment] for r in report.lowest_rated],
            empty=_("No request resolved in this period was rated 3 or lower."),
        )
    )
    sections.append(
        Section(
            id="utilisation",
            title=_("Staff utilisation"),
            headers=[_("Figure"), report.label, report.previous_label],
            rows=[
                [_("Active staff"), c.staff_count, p.staff_count],
                [_("Allocated hours per week"), _num(c.allocated_hours), _num(p.allocated_hours)],
                [_("Capacity hours per week"), _num(c.capacity_hours), _num(p.capacity_hours)],
                [_("Average utilisation (%)"), _pct(c.utilisation_average), _pct(p.utilisation_average)],
                [_("Staff over capacity"), c.over_capacity, p.over_capacity],
            ]
            if c.staff_count
            else [],
            note=_(
                "Assignments active at the end of the quarter (or now) against each person's weekly capacity."
            ),
            empty=_("There is nobody in the talent pool yet."),
        )
    )
    top_categories = [[row.label, row.received] for row in report.top_categories]
    sections.append(
        Section(
            id="common-categories",
            title=_("Common problems: categories most requested"),
            headers=[_("Category"), _("Requests received")],
            rows=top_categories,
            chart=Chart("bar", [r[0] for r in top_categories], [{"label": _("Requests received"), "data": [r[1] for r in top_categories]}], horizontal=True)
            if top_categories
            else None,
            empty=_("No requests in this period."),
        )
    )  # fmt: skip
    top_skills = [[row.name, row.code, row.requests] for row in report.top_skills]
    sections.append(
        Section(
            id="common-skills",
            title=_("Common problems: skills most requested"),
            headers=[_("Skill"), _("Code"), _("Requests")],
            rows=top_skills,
            chart=Chart("bar", [r[0] for r in top_skills], [{"label": _("Requests"), "data": [r[2] for r in top_skills]}], horizontal=True)
            if top_skills
            else None,
            empty=_("No required skills were recorded for requests received in this period."),
        )
    )  # fmt: skip
    return sections


def coverage_sections(report: SkillCoverage, *, level: int = 3) -> list[Section]:
    level_headers = [_("≥ L%(level)s") % {"level": lv} for lv in LEVELS]
    no_staff = _("There is nobody in the talent pool yet, so there is no coverage to show.")
    sections = [
        Section(
            id="heat",
            title=_("Skills × levels: people at or above each level"),
            headers=[_("Skill"), _("Skill category"), *level_headers],
            rows=[[row.skill.name, row.skill.category, *row.at_least] for row in report.overall]
            if not report.is_empty
            else [],
            heat=True,
            note=_(
                "Active staff whose current (validated) level is at least the column's level, as at %(date)s."
            )
            % {"date": date_format(report.as_of)},
            empty=no_staff,
        )
    ]
    group_title = _("By job type") if report.group_by == "job_type" else _("By organisation")
    by_group = {(row.group_key, row.skill.id): row.at_least[level - 1] for row in report.heat}
    sections.append(
        Section(
            id="heat-groups",
            title=_("%(group)s: people at level %(level)s or above") % {"group": group_title, "level": level},
            headers=[_("Skill"), *[label for _key, label in report.groups]],
            rows=[
                [skill.name, *[by_group.get((key, skill.id), 0) for key, _label in report.groups]]
                for skill in report.skills
            ]
            if not report.is_empty
            else [],
            heat=True,
            in_export=False,
            empty=no_staff,
        )
    )
    sections.append(
        Section(
            id="heat-groups-long",
            title=_("%(group)s: people at or above each level") % {"group": group_title},
            headers=[_("Group"), _("Skill"), *level_headers],
            rows=[[row.group_label, row.skill.name, *row.at_least] for row in report.heat],
            on_page=False,
            empty=no_staff,
        )
    )
    gap_rows = [
        [
            g.job_type,
            g.skill.name,
            g.target_level,
            g.importance,
            g.people,
            g.meeting,
            _pct(g.share),
            g.shortfall,
        ]
        for g in report.gaps
    ]
    sections.append(
        Section(
            id="gaps",
            title=_("Gaps against each job type's target profile"),
            headers=[
                _("Job type"), _("Skill"), _("Target level"), _("Importance"), _("People"), _("Meeting the target"),
                _("Share (%)"), _("Shortfall"),
            ],
            rows=gap_rows,
            chart=Chart(
                "bar",
                [f"{r[0]}: {r[1]}" for r in gap_rows],
                [{"label": _("Share meeting the target (%)"), "data": [r[6] or 0 for r in gap_rows]}],
                horizontal=True,
                percent=True,
            )
            if gap_rows
            else None,
            empty=_("No job type has a target skill profile yet."),
        )
    )  # fmt: skip
    spof = [[item.skill.name, item.holders] for item in report.single_points_of_failure]
    sections.append(
        Section(
            id="spof",
            title=_("Single points of failure (fewer than two people at level 3 or above)"),
            headers=[_("Skill"), _("People at level 3 or above")],
            rows=spof if not report.is_empty else [],
            chart=Chart("bar", [r[0] for r in spof], [{"label": _("People at level 3 or above"), "data": [r[1] for r in spof]}], horizontal=True)
            if spof and not report.is_empty
            else None,
            empty=no_staff if report.is_empty else _("Every skill has at least two people at level 3 or above."),
        )
    )  # fmt: skip
    truck_note = (
        _("Truck factor: %(n)s. That many people leaving would leave a critical skill with nobody at level 3 or "
          "above (%(skills)s). Critical: %(definition)s.")
        % {
            "n": report.truck_factor,
            "skills": ", ".join(skill.name for skill in report.truck_factor_skills),
            "definition": report.critical_definition,
        }
        if report.truck_factor is not None and not report.is_empty
        else ""
    )  # fmt: skip
    sections.append(
        Section(
            id="truck-factor",
            title=_("Truck factor"),
            headers=[_("Critical skill"), _("People at level 3 or above")],
            rows=[[item.skill.name, item.holders] for item in report.critical_skills]
            if not report.is_empty
            else [],
            note=truck_note,
            empty=no_staff,
        )
    )  # fmt: skip
    sections.append(
        Section(
            id="certifications",
            title=_("Certifications expiring within 90 days"),
            headers=[_("Person"), _("Certification"), _("Skill"), _("Expires on"), _("Days left")],
            rows=[
                [c.person, c.name, c.skill, c.expires_on, c.days_left] for c in report.expiring_certifications
            ],
            empty=_("No certification expires within 90 days."),
        )
    )
    sections.append(
        Section(
            id="rating-gaps",
            title=_("Self-assessment versus manager assessment"),
            headers=[_("Person"), _("Skill"), _("Self-assessment"), _("Manager assessment"), _("Gap")],
            rows=[[g.person, g.skill.name, g.self_level, g.manager_level, g.gap] for g in report.rating_gaps],
            note=_("%(count)s person–skill pairs where the latest self-assessment and the latest manager assessment "
                   "differ; largest gaps first.") % {"count": report.rating_gap_count},
            empty=_("No differences between self-assessments and manager assessments."),
        )
    )  # fmt: skip
    sections.append(
        Section(
            id="reskilling",
            title=_("Reskilling candidates for scarce skills"),
            headers=[
                _("Skill"),
                _("People at level 3 or above"),
                _("Candidates at level 2"),
                _("First candidates"),
            ],
            rows=[
                [
                    item.skill.name,
                    item.holders,
                    item.total,
                    ", ".join(c.person + (" ★" if c.wants_to_learn else "") for c in item.candidates),
                ]
                for item in report.reskilling
            ]
            if not report.is_empty
            else [],
            note=_("★ wants to learn the skill (listed first)."),
            empty=no_staff if report.is_empty else _("No scarce skills."),
        )
    )
    trend_rows = [[p.label, p.covered_skills, p.robust_skills, p.pairs] for p in report.trend]
    sections.append(
        Section(
            id="trend",
            title=_("Trend of coverage over the last eight quarters"),
            headers=[
                _("Quarter"), _("Skills with someone at level 3+"), _("Skills with two or more at level 3+"),
                _("People × skills at level 3+"),
            ],
            rows=trend_rows if not report.is_empty else [],
            chart=Chart(
                "line",
                [r[0] for r in trend_rows],
                [
                    {"label": _("Skills with someone at level 3+"), "data": [r[1] for r in trend_rows]},
                    {"label": _("Skills with two or more at level 3+"), "data": [r[2] for r in trend_rows]},
                    {"label": _("People × skills at level 3+"), "data": [r[3] for r in trend_rows]},
                ],
            )
            if not report.is_empty
            else None,
            empty=no_staff,
        )
    )  # fmt: skip
    sections.append(
        Section(
            id="trend-by-skill",
            title=_("People at level 3 or above per skill and quarter"),
            headers=[_("Skill"), *[p.label for p in report.trend]],
            rows=[[skill.name, *values] for skill, values in report.trend_by_skill]
            if not report.is_empty
            else [],
            heat=True,
            empty=no_staff,
        )
    )
    return sections


def demand_supply_sections(report: DemandSupply, *, quarter: int | None = None) -> list[Section]:
    rows = [
        [row.skill.name, row.label, row.demand_hours, row.supply_hours, round(row.balance, 1), row.threshold,
         row.able_people, row.requests]
        for row in report.rows
        if row.demand_hours or row.supply_hours
    ]  # fmt: skip
    chart_rows = [r for r in rows if quarter is None or r[1] == f"Q{quarter}"]
    chart_rows = [r for r in chart_rows if r[2]] or chart_rows
    return [
        Section(
            id="demand-supply",
            title=_("Demand versus supply per skill and quarter (%(fy)s)") % {"fy": report.label},
            headers=[
                _("Skill"), _("Quarter"), _("Demand (hours)"), _("Supply (hours)"), _("Balance (hours)"),
                _("Level needed"), _("Able people"), _("Requests"),
            ],
            rows=rows,
            chart=Chart(
                "bar",
                [f"{r[0]} {r[1]}" for r in chart_rows],
                [
                    {"label": _("Demand (hours)"), "data": [r[2] for r in chart_rows]},
                    {"label": _("Supply (hours)"), "data": [r[3] for r in chart_rows]},
                ],
                horizontal=True,
            )
            if chart_rows
            else None,
            note=_("Demand: estimated hours of the requests submitted in the quarter, spread evenly over their "
                   "required skills. Supply: free weekly hours (capacity minus active assignments) of people whose "
                   "current level meets the lowest level asked for the skill, times the quarter's business weeks."),
            empty=_("No requested skill-hours and no free hours in this fiscal year."),
        )
    ]  # fmt: skip


def reskilling_sections(skill, candidates) -> list[Section]:
    return [
        Section(
            id="reskilling-candidates",
            title=_("Reskilling candidates: %(skill)s") % {"skill": skill.name if skill else ""},
            headers=[_("Person"), _("E-mail"), _("Job type"), _("Current level"), _("Wants to learn"), _("Can mentor")],
            rows=[
                [c.person, c.email, c.job_type, c.current_level, _("Yes") if c.wants_to_learn else _("No"),
                 _("Yes") if c.can_mentor else _("No")]
                for c in candidates
            ],
            empty=_("Nobody is one level below this skill's scarce level."),
        )
    ]  # fmt: skip
