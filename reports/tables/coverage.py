"""The sections of HR's skills page: coverage, demand versus supply and reskilling candidates."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.coverage import SkillCoverage
from reports.demand_supply import DemandSupply
from reports.levels import LEVELS
from reports.names import localize_coverage
from reports.tables import Chart, Section, pct


def coverage_sections(report: SkillCoverage, *, level: int = 3) -> list[Section]:
    if not report.is_empty:
        localize_coverage(report)
    level_headers = [_("≥ L%(level)s") % {"level": lv} for lv in LEVELS]
    no_staff = _("There is nobody in the talent pool yet, so there is no coverage to show.")
    sections = [
        Section(
            id="heat",
            title=_("Skills × levels: people at or above each level"),
            headers=[_("Skill"), _("Skill category"), *level_headers],
            rows=[[row.skill.localized_name, row.skill.category, *row.at_least] for row in report.overall]
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
                [skill.localized_name, *[by_group.get((key, skill.id), 0) for key, _label in report.groups]]
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
            rows=[[row.group_label, row.skill.localized_name, *row.at_least] for row in report.heat],
            on_page=False,
            empty=no_staff,
        )
    )
    gap_rows = [
        [
            g.job_type,
            g.skill.localized_name,
            g.target_level,
            g.importance,
            g.people,
            g.meeting,
            pct(g.share),
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
    spof = [[item.skill.localized_name, item.holders] for item in report.single_points_of_failure]
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
            "skills": ", ".join(skill.localized_name for skill in report.truck_factor_skills),
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
            rows=[[item.skill.localized_name, item.holders] for item in report.critical_skills]
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
            rows=[[g.person, g.skill.localized_name, g.self_level, g.manager_level, g.gap] for g in report.rating_gaps],
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
                    item.skill.localized_name,
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
            rows=[[skill.localized_name, *values] for skill, values in report.trend_by_skill]
            if not report.is_empty
            else [],
            heat=True,
            empty=no_staff,
        )
    )
    return sections


def demand_supply_sections(report: DemandSupply, *, quarter: int | None = None) -> list[Section]:
    rows = [
        [row.skill.localized_name, row.label, row.demand_hours, row.supply_hours, row.allocated_hours, row.shortfall_hours,
         row.short_people, row.threshold, row.able_people, row.reskill_people, row.requests]
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
                _("Skill"), _("Quarter"), _("Demand (hours)"), _("Supply (hours)"), _("Allocated (hours)"),
                _("Shortfall (hours)"), _("Short (people)"), _("Level needed"), _("Able people"),
                _("Could reskill (one level below)"), _("Requests"),
            ],
            rows=rows,
            chart=Chart(
                "bar",
                [f"{r[0]} {r[1]}" for r in chart_rows],
                [
                    {"label": _("Demand (hours)"), "data": [r[2] for r in chart_rows]},
                    {"label": _("Allocated (hours)"), "data": [r[4] for r in chart_rows]},
                ],
                horizontal=True,
            )
            if chart_rows
            else None,
            note=_("Demand: hours of the requests submitted in the quarter (effort logged, else the estimate, else "
                   "the category's typical effort), spread evenly over their required skills. Supply: free hours of "
                   "people whose current level meets the lowest level asked for the skill, over the quarter's "
                   "business days; a person counts in every skill they can do. Allocated: each free hour goes to at "
                   "most one skill, so the shortfall is what the pool cannot meet, in hours and full-time people."),
            empty=_("No requested skill-hours and no free hours in this fiscal year."),
        )
    ]  # fmt: skip


def reskilling_sections(skill, candidates) -> list[Section]:
    return [
        Section(
            id="reskilling-candidates",
            title=_("Reskilling candidates: %(skill)s") % {"skill": skill.localized_name if skill else ""},
            headers=[_("Person"), _("E-mail"), _("Job type"), _("Current level"), _("Wants to learn"), _("Can mentor")],
            rows=[
                [c.person, c.email, c.job_type, c.current_level, _("Yes") if c.wants_to_learn else _("No"),
                 _("Yes") if c.can_mentor else _("No")]
                for c in candidates
            ],
            empty=_("Nobody is one level below this skill's scarce level."),
        )
    ]  # fmt: skip
