"""A report table's rows (Section.body_html) are what the former cell-by-cell template loop wrote: row headers,
right-aligned numbers, heat-map classes, "—" for none, localised and escaped values, dates in local time."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from reports.tables import Section

CELL_BY_CELL = Template(
    "{% load reports_tags %}{% for row in section.rows %}<tr>{% for cell in row %}{% if forloop.first %}"
    '<th scope="row" class="fw-normal">{{ cell|default_if_none:"—" }}</th>{% else %}'
    '<td class="{% if cell|is_number %}text-end {% endif %}{% heat_class section cell %}">'
    '{{ cell|default_if_none:"—" }}</td>{% endif %}{% endfor %}</tr>{% if not forloop.last %}\n{% endif %}'
    "{% endfor %}"
)

ROWS = [
    ["<b>A&B</b>", 0, 3, 12, None, 2.5],
    ["二課", 12345, 7, True, "text", dt.date(2026, 3, 31)],
    [None, 1.25, dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), -1, 0.0, 6],
]


@pytest.mark.parametrize("grouped", [False, True])
def test_rows_are_written_as_the_template_wrote_them_with_and_without_heat(settings, grouped):
    settings.USE_THOUSAND_SEPARATOR = grouped
    for language in ("ja", "en"):
        with translation.override(language):
            for heat in (True, False):
                section = Section(id="s", title="t", headers=[], rows=ROWS, heat=heat)
                assert section.body_html() == CELL_BY_CELL.render(Context({"section": section}))
    shaded = Section(id="s", title="t", headers=[], rows=ROWS, heat=True).body_html()
    assert (
        f'<td class="text-end heat-4">{"12,345" if grouped else "12345"}</td>' in shaded
        and "&lt;b&gt;A&amp;B&lt;/b&gt;" in shaded
    )
