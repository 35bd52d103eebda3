"""The dashboard's sections (tables and the charts drawn from them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.dashboard import Dashboard
from reports.names import localize_dashboard
from reports.tables import Chart, Section, num, pct


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
    localize_dashboard(report)
    c, p = report.current, report.previous
    headline_rows = [
        [_("Requests received"), c.received, p.received],
        [_("Requests resolved"), c.resolved, p.resolved],
        [_("Open at period end"), c.open, p.open],
        [_("Overdue"), c.overdue, p.overdue],
        [
            _("Business days to first response (median)"),
            num(c.first_response.median),
            num(p.first_response.median),
        ],
        [
            _("Business days to first response (90th percentile)"),
            num(c.first_response.p90),
            num(p.first_response.p90),
        ],
        [_("Business days to resolution (median)"), num(c.resolution.median), num(p.resolution.median)],
        [_("Business days to resolution (90th percentile)"), num(c.resolution.p90), num(p.resolution.p90)],
        [
            _("Satisfaction (average of 1–5)"),
            num(c.satisfaction_average, 2),
            num(p.satisfaction_average, 2),
        ],
        [_("Satisfaction responses"), c.satisfaction_count, p.satisfaction_count],
        [_("Staff utilisation (average %)"), pct(c.utilisation_average), pct(p.utilisation_average)],
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
        [_("First response"), report.label, c.first_response.count, num(c.first_response.median), num(c.first_response.p90)],
        [_("First response"), report.previous_label, p.first_response.count, num(p.first_response.median), num(p.first_response.p90)],
        [_("Resolution"), report.label, c.resolution.count, num(c.resolution.median), num(c.resolution.p90)],
        [_("Resolution"), report.previous_label, p.resolution.count, num(p.resolution.median), num(p.resolution.p90)],
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
            % {"average": num(c.satisfaction_average, 2), "count": c.satisfaction_count}
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
                [_("Allocated hours per week"), num(c.allocated_hours), num(p.allocated_hours)],
                [_("Capacity hours per week"), num(c.capacity_hours), num(p.capacity_hours)],
                [_("Average utilisation (%)"), pct(c.utilisation_average), pct(p.utilisation_average)],
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
