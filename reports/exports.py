"""Downloads of the reports: .xlsx (one sheet per table) and CSV (UTF-8 with BOM, the tables one after another).

Both are written from the same sections as the pages (reports/tables.py) and every cell goes through
core.spreadsheet.neutralise_cell, so a title such as "=1+1" cannot run as a formula.
"""

import csv
import datetime as dt
import io
import re

import tablib

from core.spreadsheet import neutralise_cell, neutralise_dataset

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value if isinstance(value, int | float | dt.date) else str(value)


def _dataset(section, title: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=[str(h) for h in section.headers], title=title)
    for row in section.rows:
        data.append([_cell(value) for value in row])
    return neutralise_dataset(data)


def _sheet_title(title: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", str(title))[:28].strip() or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} ({n})", n + 1
    used.add(name)
    return name


def to_xlsx(sections) -> bytes:
    used: set[str] = set()
    book = tablib.Databook([_dataset(s, _sheet_title(s.title, used)) for s in sections if s.in_export])
    return book.export("xlsx")


def to_csv(sections) -> bytes:
    """Each table preceded by its title row and followed by a blank row; UTF-8 with a BOM for Japanese Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for section in sections:
        if not section.in_export:
            continue
        writer.writerow([neutralise_cell(str(section.title))])
        writer.writerow([neutralise_cell(str(h)) for h in section.headers])
        for row in section.rows:
            writer.writerow([neutralise_cell(_cell(value)) for value in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
