"""The satisfaction report's sections: by organisation (or rolled up to the bureau / municipality) and the trend."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.satisfaction import SatisfactionFigures, SatisfactionReport
from reports.tables import Chart, Section


def _headers(first: str) -> list[str]:
    return [
        first,
        _("Responses"),
        _("Overall (1–5)"),
        _("Frequency of support (1–5)"),
        _("Quality of support (1–5)"),
        _("Low ratings (≤ 2)"),
        _("Followed up"),
    ]


def _cells(row: SatisfactionFigures) -> list:
    return [row.label, row.responses, row.score, row.frequency, row.quality, row.low, row.followed_up]


def satisfaction_sections(report: SatisfactionReport) -> list[Section]:
    organizations = [_cells(row) for row in report.by_organization]
    trend = [_cells(row) for row in report.trend]
    return [
        Section(
            id="satisfaction-total",
            title=_("Satisfaction in %(period)s") % {"period": report.label},
            headers=_headers(_("Period")),
            rows=[_cells(report.total)] if report.total.responses else [],
            empty=_("No request resolved in this period has been rated."),
            note=_(
                "A rating counts in the period its request was resolved in. Frequency and quality of support are "
                "the seeds' dimensions (「サポートの頻度や品質」); older ratings without them count in the overall "
                "average only. Low: ≤ 2 overall or in a dimension; the managers are alerted and record a follow-up."
            ),
        ),
        Section(
            id="satisfaction-by-organization",
            title=_("By bureau or municipality (departments and sections included)")
            if report.roll_up
            else _("By organisation"),
            headers=_headers(_("Organisation")),
            rows=organizations,
            empty=_("No request resolved in this period has been rated."),
            note=_("Lowest average first."),
        ),
        Section(
            id="satisfaction-trend",
            title=_("Trend over the last eight quarters"),
            headers=_headers(_("Quarter")),
            rows=trend,
            chart=Chart(
                "line",
                [row[0] for row in trend],
                [
                    {"label": _("Overall (1–5)"), "data": [row[2] for row in trend]},
                    {"label": _("Frequency of support (1–5)"), "data": [row[3] for row in trend]},
                    {"label": _("Quality of support (1–5)"), "data": [row[4] for row in trend]},
                ],
            )
            if any(row[1] for row in trend)
            else None,
            empty=_("No ratings yet."),
        ),
    ]
