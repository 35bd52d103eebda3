"""Downloads of the reports: .xlsx (one sheet per table) and CSV (the tables one after another), via core.tabular.

Both are written from the same sections as the pages (reports/tables/); CSV is UTF-8 with BOM, or Shift_JIS
(CP932) for old Excel; every cell is neutralised against formula injection (core.tabular.exports).
"""

import datetime as dt

import tablib

from core.tabular.exports import CONTENT_TYPES, CSV, UTF8, XLSX_CONTENT_TYPE, book_bytes, csv_text, encode_csv

CSV_CONTENT_TYPE = CONTENT_TYPES[(CSV, UTF8)]
__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "to_csv", "to_xlsx"]


def _cell(value):
    if value is None:
        return ""
    return value if isinstance(value, int | float | dt.date) else str(value)


def _dataset(section, title: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=[str(h) for h in section.headers], title=title)
    for row in section.rows:
        data.append([_cell(value) for value in row])
    return data


def to_xlsx(sections) -> bytes:
    """One sheet per table, named by the table's title (core.tabular.exports.sheet_title makes it valid)."""
    return book_bytes([_dataset(s, str(s.title)) for s in sections if s.in_export])


def to_csv(sections, encoding: str = UTF8) -> bytes:
    """Each table preceded by its title row and followed by a blank row."""
    rows: list[list] = []
    for section in sections:
        if not section.in_export:
            continue
        rows.append([str(section.title)])
        rows.append([str(h) for h in section.headers])
        rows.extend([_cell(value) for value in row] for row in section.rows)
        rows.append([])
    return encode_csv(csv_text(rows), encoding)
