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


def num(value: float | None, digits: int = 1):
    return None if value is None else round(value, digits)


def pct(value: float | None):
    return None if value is None else round(100 * value, 1)
