"""Reading an uploaded table: the first sheet of an .xlsx workbook, or a CSV in UTF-8 (with or without BOM) or CP932.

Blank lines are kept (as empty rows) so that row numbers stay those of the spreadsheet; the import skips them.
"""

import codecs
import csv
import io
from pathlib import PurePath

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SUPPORTED_EXTENSIONS = (".csv", ".xlsx")


def decode_text(raw: bytes) -> str:
    """BOM → UTF-8; else strict UTF-8; else CP932 (Japanese Excel's "CSV"); else a clear error.

    UTF-16 ("Unicode text" from Excel) and text with NUL characters (a binary file) are refused as well."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ()
    elif raw.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp932")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationError(
        _("The CSV file is neither UTF-8 nor Shift_JIS (CP932). Save it again as “CSV UTF-8”."),
        code="bad_encoding",
    )


def _cell(value):
    return "" if value is None else value


def _xlsx_rows(content: bytes) -> list[list]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (zip, xml, key errors)
        raise ValidationError(_("The file is not a readable .xlsx workbook."), code="bad_file") from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """The upload as a Dataset whose headers are the first row's cells (stripped), every row as wide as the header."""
    extension = PurePath(filename or "").suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="bad_type")
    if extension == ".xlsx":
        rows = _xlsx_rows(content)
    else:
        rows = list(csv.reader(io.StringIO(decode_text(content), newline="")))
    while rows and not any(str(cell).strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty_file")
    headers = [str(cell).strip() for cell in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        dataset.append((list(row) + [""] * width)[:width])
    return dataset
