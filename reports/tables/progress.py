"""The progress report as sections (reports.tables): the page, the PDF and the .xlsx are written from these."""

from django.utils.translation import gettext as _

from reports.progress import PILLARS, ProgressReport
from reports.tables import Chart, Section, pct


def _change(before: int, now: int):
    return now - before


def progress_sections(report: ProgressReport) -> list[Section]:
    years = [str(label) for label in report.year_labels]
    requests = Section(
        id="requests",
        title=_("Requests received, by pillar"),
        headers=[_("Pillar"), *years, _("Change on last year")],
        rows=[
            [str(PILLARS[p]), *counts, _change(counts[-2], counts[-1])]
            for p, counts in report.requests.items()
        ],
        chart=Chart(
            type="bar",
            labels=years,
            datasets=[{"label": str(PILLARS[p]), "data": counts} for p, counts in report.requests.items()],
        ),
        note=_("The same period of each fiscal year."),
    )
    categories = Section(
        id="categories",
        title=_("Requests by category"),
        headers=[_("Category"), years[-2], years[-1], _("Change on last year")],
        rows=[[name, before, now, _change(before, now)] for name, before, now in report.categories],
        empty=_("No requests in this period."),
    )
    upstream = Section(
        id="upstream",
        title=_("Upstream support (requests joined at the planning phase)"),
        headers=[_("Pillar"), _("Requests"), _("At the planning phase"), _("Share (%)")],
        rows=[
            [str(PILLARS[p]), total, planning, pct(planning / total) if total else None]
            for p, (total, planning) in report.upstream.items()
        ],
    )
    satisfaction = Section(
        id="satisfaction",
        title=_("Satisfaction"),
        headers=[_("Pillar"), _("Responses"), _("Average (1–5)"), _("Low scores (1–2)")],
        rows=[[str(PILLARS[p]), n, avg, low] for p, (n, avg, low) in report.satisfaction.items()],
        note=_("Low scores are counted here; what was done about each is not recorded in the product yet."),
    )
    engagements = Section(
        id="engagements",
        title=_("Municipal engagements held, by kind"),
        headers=[_("Kind"), years[-2], years[-1]],
        rows=[[str(label), before, now] for label, before, now in report.engagements],
        chart=Chart(
            type="bar",
            labels=[str(label) for label, _b, _n in report.engagements],
            datasets=[
                {"label": years[-2], "data": [b for _l, b, _n in report.engagements]},
                {"label": years[-1], "data": [n for _l, _b, n in report.engagements]},
            ],
            horizontal=True,
        ),
    )
    c = report.coverage
    coverage = Section(
        id="coverage",
        title=_("Coverage of the municipalities this fiscal year"),
        headers=[_("Measure"), _("Municipalities")],
        rows=[
            [_("Municipalities"), c.get("municipalities", 0)],
            [_("Had a CIO round table"), c.get("round_table", 0)],
            [_("Had an outreach consultation"), c.get("outreach", 0)],
            [_("Had at least one engagement"), c.get("any_engagement", 0)],
            [_("No engagement yet"), c.get("none", 0)],
        ],
    )
    t = report.trainings
    trainings = Section(
        id="trainings",
        title=_("Trainings of the talent pool"),
        headers=[_("Course"), _("Completions")],
        rows=[[name, n] for name, n in t.get("by_course", {}).items()]
        + [[_("Total (%(people)s people)") % {"people": t.get("people", 0)}, t.get("completions", 0)]],
    )
    return [requests, categories, upstream, satisfaction, engagements, coverage, trainings]
