"""Each report as a list of sections: a table (headers + rows) and, where it helps, a chart drawn from the SAME rows.

The pages render every section's table (the accessible equivalent of its chart) and pass the chart spec to
static/reports/charts.js; the .xlsx and CSV exports write the same tables. So a chart, its table and the download
can never disagree. The sections of each page are in ``reports.tables.dashboard`` and ``reports.tables.coverage``
(the skills page: coverage, demand versus supply, reskilling).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime


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

    @cached_property
    def heat_max(self) -> int:
        """The largest number in the table (computed once: every shaded cell asks for it)."""
        values = [cell for row in self.rows for cell in row if isinstance(cell, int | float)]
        return max(values, default=0)

    def heat_class(self, value) -> str:
        if not isinstance(value, int | float) or not self.heat_max:
            return ""
        return f"heat-{min(4, round(4 * value / self.heat_max))}"

    def body_html(self) -> str:
        """The table's rows as HTML: the first cell a row header, the others right-aligned when numbers and shaded
        when the section is a heat map, "—" for none — what a template loop wrote cell by cell (a coverage heat map
        grouped by organisation has tens of thousands of cells; the template spent most of the page's time on
        them). Values are localised and escaped as a template variable is."""
        heat = self.heat
        lines = []
        for row in self.rows:
            cells = []
            for index, cell in enumerate(row):
                text = _as_template_text("—" if cell is None else cell)
                if not index:
                    cells.append(f'<th scope="row" class="fw-normal">{text}</th>')
                    continue
                number = isinstance(cell, int | float) and not isinstance(cell, bool)
                css = ("text-end " if number else "") + (self.heat_class(cell) if heat else "")
                cells.append(f'<td class="{css}">{text}</td>')
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))  # noqa: S308 — every cell is escaped by _as_template_text


def _as_template_text(value) -> str:
    """`{{ value }}` in a template: local time, localised, escaped (django.template.base.render_value_in_context).
    A whole number is its digits unless thousands are grouped (the common cell, written without the machinery)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(str(localize(template_localtime(value))))


def num(value: float | None, digits: int = 1):
    return None if value is None else round(value, digits)


def pct(value: float | None):
    return None if value is None else round(100 * value, 1)
