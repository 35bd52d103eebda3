"""Downloads of tables: .xlsx, CSV in UTF-8 with BOM (what Excel needs to read Japanese), or CSV in Shift_JIS.

Shift_JIS means CP932 (Windows' Japanese code page, what old Excel reads). A character CP932 cannot hold is first
mapped to its usual CP932 look-alike (wave dash → full-width tilde, …) and otherwise written as "?": the download
never fails. Every text cell is neutralised against formula injection (core.spreadsheet) in every format.

Dates follow the active language's one format (config/formats/<lang>/formats.py): written as text in a CSV, as real
date cells with the same display format in a workbook. A workbook's sheets are named by the dataset's title (made
valid: at most 31 characters, none of []:*?/ or a backslash), its header row is bold and frozen, and each column is as wide as
its content.
"""

import csv
import datetime as dt
import io
import re
import unicodedata

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext

from core.spreadsheet import neutralise_cell

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
UTF8, SJIS = "utf-8", "sjis"
SJIS_NAMES = {"sjis", "shift_jis", "shift-jis", "cp932", "ms932", "windows-31j"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    (CSV, UTF8): "text/csv; charset=utf-8",
    (CSV, SJIS): "text/csv; charset=Shift_JIS",
}
# Unicode characters that Japanese text often holds and CP932 spells with another code point.
CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",  # WAVE DASH → FULLWIDTH TILDE
        "\u2016": "\u2225",  # DOUBLE VERTICAL LINE → PARALLEL TO
        "\u2212": "\uff0d",  # MINUS SIGN → FULLWIDTH HYPHEN-MINUS
        "\u2014": "\u2015",  # EM DASH → HORIZONTAL BAR
        "\u00a2": "\uffe0",  # CENT SIGN
        "\u00a3": "\uffe1",  # POUND SIGN
        "\u00ac": "\uffe2",  # NOT SIGN
        "\u00a0": " ",  # NO-BREAK SPACE
    }
)


def encoding_of(value: str | None) -> str:
    """The CSV encoding a request asks for (?encoding=sjis / cp932 / shift_jis); UTF-8 otherwise."""
    return SJIS if (value or "").strip().lower() in SJIS_NAMES else UTF8


def format_of(value: str | None, default: str = CSV) -> str:
    value = (value or "").strip().lower()
    return value if value in FORMATS else default


def encode_csv(text: str, encoding: str = UTF8) -> bytes:
    if encoding == SJIS:
        return text.translate(CP932_LOOKALIKES).encode("cp932", errors="replace")
    return ("\ufeff" + text).encode("utf-8")


def _local(value: dt.datetime) -> dt.datetime:
    """An aware time in local time (Tokyo), without its zone (what a spreadsheet cell holds)."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def cell_text(value) -> str:
    """A cell as text for a CSV: dates and times in the active language's format, every text neutralised."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return date_format(_local(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(neutralise_cell(value))


def csv_text(rows) -> str:
    """Rows (lists of cells) as CSV text with CRLF line ends, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue()


def dataset_bytes(dataset: tablib.Dataset, fmt: str = CSV, encoding: str = UTF8) -> tuple[bytes, str]:
    """(body, content type) of one table."""
    if fmt == XLSX:
        return book_bytes([dataset]), XLSX_CONTENT_TYPE
    rows = [dataset.headers or [], *dataset]
    return encode_csv(csv_text(rows), encoding), CONTENT_TYPES[(CSV, encoding)]


# --- workbooks ----------------------------------------------------------------------------------------------------

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_MAX = 31
EXCEL_CODES = {
    "Y": "yyyy",
    "y": "yy",
    "m": "mm",
    "n": "m",
    "d": "dd",
    "j": "d",
    "H": "hh",
    "G": "h",
    "i": "mm",
}
MIN_WIDTH, MAX_WIDTH = 6, 60


def sheet_title(title, used: set[str]) -> str:
    """A valid, unique sheet name: forbidden characters replaced, at most 31 characters, never blank."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", str(title or "")).strip().strip("'")[:SHEET_NAME_MAX].strip()
    base = base or gettext("Sheet")
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def excel_format(django_format: str) -> str:
    """A Django date format ("Y/m/d H:i") as an Excel number format ("yyyy/mm/dd hh:mm")."""
    out = []
    for char in django_format:
        out.append(EXCEL_CODES.get(char, char if char in " /-.:" else f'"{char}"'))
    return "".join(out)


def text_width(text: str) -> int:
    """Columns a text's longest line takes on screen: a full-width (Japanese) character counts twice."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.splitlines()
        ),
        default=0,
    )


def _xlsx_value(value):
    if isinstance(value, dt.datetime):
        return _local(value)
    return neutralise_cell(value)


def book_bytes(datasets: list[tablib.Dataset]) -> bytes:
    """Tables as one .xlsx workbook: one sheet per table, named by its title, header row bold and frozen, dates in
    the active language's format, each column as wide as its content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    date_fmt = excel_format(get_format("SHORT_DATE_FORMAT"))
    datetime_fmt = excel_format(get_format("SHORT_DATETIME_FORMAT"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for data in datasets:
        sheet = workbook.create_sheet(sheet_title(data.title, used))
        headers = [str(header) for header in data.headers or []]
        widths: dict[int, int] = {}
        if headers:
            sheet.append([neutralise_cell(header) for header in headers])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            widths = {i: text_width(header) for i, header in enumerate(headers)}
        for row in data:
            sheet.append([_xlsx_value(value) for value in row])
            for i, value in enumerate(row):
                widths[i] = max(widths.get(i, 0), text_width(cell_text(value)))
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = datetime_fmt
                elif isinstance(cell.value, dt.date):
                    cell.number_format = date_fmt
        for i, width in widths.items():
            sheet.column_dimensions[get_column_letter(i + 1)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, width + 2)
            )
    if not workbook.worksheets:
        workbook.create_sheet(gettext("Sheet"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dataset_response(
    dataset: tablib.Dataset, *, fmt: str, encoding: str = UTF8, basename: str
) -> HttpResponse:
    body, content_type = dataset_bytes(dataset, fmt, encoding)
    return download(body, content_type, f"{basename}.{fmt}")
