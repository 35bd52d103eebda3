"""Downloads of tables: .xlsx, CSV in UTF-8 with BOM (what Excel needs to read Japanese), or CSV in Shift_JIS.

Shift_JIS means CP932 (Windows' Japanese code page, what old Excel reads). A character CP932 cannot hold is first
mapped to its usual CP932 look-alike (wave dash → full-width tilde, …) and otherwise written as "?": the download
never fails. Every text cell is neutralised against formula injection (core.spreadsheet) in every format.
"""

import csv
import io

import tablib
from django.http import HttpResponse

from core.spreadsheet import neutralise_cell, neutralise_dataset

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


def csv_text(rows) -> str:
    """Rows (lists of cells) as CSV text with CRLF line ends, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else neutralise_cell(value) for value in row])
    return buffer.getvalue()


def dataset_bytes(dataset: tablib.Dataset, fmt: str = CSV, encoding: str = UTF8) -> tuple[bytes, str]:
    """(body, content type) of one table."""
    if fmt == XLSX:
        return neutralise_dataset(dataset).export("xlsx"), XLSX_CONTENT_TYPE
    rows = [dataset.headers or [], *dataset]
    return encode_csv(csv_text(rows), encoding), CONTENT_TYPES[(CSV, encoding)]


def book_bytes(datasets: list[tablib.Dataset]) -> bytes:
    """Several tables as one .xlsx workbook (one sheet per table, titled by the dataset's title)."""
    return tablib.Databook([neutralise_dataset(data) for data in datasets]).export("xlsx")


def download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dataset_response(
    dataset: tablib.Dataset, *, fmt: str, encoding: str = UTF8, basename: str
) -> HttpResponse:
    body, content_type = dataset_bytes(dataset, fmt, encoding)
    return download(body, content_type, f"{basename}.{fmt}")
