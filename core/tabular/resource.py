"""TabularResource: a django-import-export resource whose rows are read cell by cell and written by the services.

* Every bad cell of a row is collected (`RowReader.take`), so the report lists every error of every row; only a
  row without errors reaches the services, and an error the services raise is tied to its column too.
* Row numbers are the spreadsheet's (header = row 1, first data row = row 2); blank rows are skipped silently.
* `run_import` is the one entry point: read the file, map headers (Japanese, English or code) to column codes — an
  error names the column as the file wrote it —, check the required columns, then django-import-export runs every row inside one transaction that is rolled back for a dry
  run or when any row is rejected (all-or-nothing).
"""

import logging

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from core.spreadsheet import neutralise_dataset
from core.tabular import cells
from core.tabular.columns import Columns
from core.tabular.files import read_table
from core.tabular.report import CREATED, HEADER_ROW, REJECTED, UNCHANGED, UPDATED, ImportReport, ReportLine

logger = logging.getLogger(__name__)

IMPORT_TYPES = {
    CREATED: RowResult.IMPORT_TYPE_NEW,
    UPDATED: RowResult.IMPORT_TYPE_UPDATE,
    UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
}


class RowInvalid(Exception):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


class RowReader:
    """One data row by column code. `take` parses a cell and records its error instead of stopping at it."""

    def __init__(self, row):
        self.row = row
        self.errors: list[tuple[str, str]] = []

    def __contains__(self, code: str) -> bool:
        return code in self.row

    def text(self, code: str) -> str:
        return cells.text(self.row.get(code))

    def error(self, code: str, message) -> None:
        self.errors.append((code, str(message)))

    def take(self, code: str, parse=cells.text, *, required: bool = False, default=None):
        value = self.row.get(code)
        if cells.blank(value):
            if required:
                self.error(code, _("This column is required."))
            return default
        try:
            return parse(value)
        except ValidationError as error:
            for message in error.messages:
                self.error(code, message)
            return default

    def check(self) -> None:
        """Stop the row here, before any write, if any cell was bad."""
        if self.errors:
            raise RowInvalid(self.errors)


class TabularResource(resources.Resource):
    """Subclasses set `columns` and implement `import_one(row: RowReader) -> (action, summary)`."""

    columns: Columns = Columns()
    #: the sheet's name in an exported workbook (translated)
    sheet_name = ""
    #: a field name in the services' ValidationError → the column code it belongs to
    error_columns: dict[str, str] = {}

    class Meta:
        instance_loader_class = BaseInstanceLoader
        use_transactions = True
        skip_diff = True
        # Rows are written by the services (inside the import's one transaction); import_row never returns an
        # instance, so import-export queues nothing for bulk writes, and with use_bulk it adds no per-row savepoint.
        use_bulk = True
        import_id_fields = ()

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.report = ImportReport()
        self.seen: set = set()
        self.on_row = None  # progress(rows done), set by run_import for a job's progress bar
        self.on_export_row = None  # progress(rows written), set by export_dataset for an export job
        self.written: dict[str, str] = {}  # column code → its header as the file wrote it (set by run_import)

    # --- hooks for subclasses -----------------------------------------------------------------------------------

    def preload(self) -> None:
        """Load lookups once (before the first row) so that each row costs no extra query."""

    def import_one(self, row: RowReader) -> tuple[str, str]:
        raise NotImplementedError

    def duplicate(self, row: RowReader, key, column: str) -> None:
        if key in self.seen:
            row.error(column, _("Duplicate row: the same record appears earlier in the file."))
        self.seen.add(key)

    # --- django-import-export ---------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.preload()

    def _reject(self, number: int, errors) -> None:
        for code, message in errors:
            code = "" if code == NON_FIELD_ERRORS else self.error_columns.get(code, code)
            self.report.lines.append(
                ReportLine(
                    row=number,
                    action=REJECTED,
                    column=code,
                    column_label=(self.written.get(code) or self.columns.label(code)) if code else "",
                    message=str(message),
                )
            )

    def import_row(self, row, instance_loader, **kwargs):
        result = self.get_row_result_class()()
        number = HEADER_ROW + kwargs.get("row_number", 0)
        if self.on_row is not None:
            self.on_row(number - HEADER_ROW)
        if all(cells.blank(value) for value in row.values()):
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        errors: list = []
        try:
            action, summary = self.import_one(RowReader(row))
        except RowInvalid as error:
            errors = error.errors
        except PermissionDenied as error:  # the actor may not import this (the services refuse)
            errors = [("", str(error) or gettext("You may not import this."))]
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = [
                    (name, m) for name, items in error.error_dict.items() for m in ValidationError(items)
                ]
            else:
                errors = [("", m) for m in error.messages]
        except Exception as error:  # unexpected: the whole import is rolled back, the row says so
            logger.exception("import row %s failed", number)
            errors = [("", gettext("Unexpected error in this row: %(error)s") % {"error": error})]
        if errors:
            self._reject(number, errors)
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError([str(message) for _code, message in errors])
            return result
        result.import_type = IMPORT_TYPES[action]
        self.report.lines.append(ReportLine(row=number, action=action, summary=summary))
        return result

    # --- export -----------------------------------------------------------------------------------------------

    def iter_queryset(self, queryset):
        for done, row in enumerate(super().iter_queryset(queryset), start=1):
            if self.on_export_row is not None:
                self.on_export_row(done)
            yield row

    def export_field(self, field, instance, **kwargs):
        """The value itself (a date stays a date, a number a number): the download formats it for the language."""
        if kwargs.get("force_native_type") and not callable(
            getattr(self, field.get_dehydrate_method(self.get_field_name(field)), None)
        ):
            return field.get_value(instance)
        return super().export_field(field, instance, **kwargs)

    def export_dataset(self, queryset, progress=None) -> tablib.Dataset:
        """The rows as a Dataset with headers and choice labels in the active language (Japanese unless the user
        chose English), titled for its sheet, every text cell neutralised. `progress(done, total)` (optional, for an
        export job's progress bar) hears how many rows were written."""
        if progress is not None:
            total = queryset.count()
            progress(0, total)
            self.on_export_row = lambda done: progress(done, total)
        exported = self.export(queryset, force_native_type=True)
        codes = list(exported.headers)
        dataset = tablib.Dataset(headers=self.columns.headers(codes), title=str(self.sheet_name))
        for row in exported:
            dataset.append(self.columns.display_row(codes, row))
        return neutralise_dataset(dataset)


def _names(columns) -> str:
    return "、".join(f"{column.label}（{column.code}）" for column in columns)


def run_import(
    resource: TabularResource, *, content: bytes, filename: str, dry_run: bool, progress=None
) -> ImportReport:
    """Dry run or real import of one file. A real import with any rejected row changes nothing.

    `progress(done, total)` (optional) hears how many data rows were read, for a job's progress bar.
    """
    report = resource.report
    report.dry_run = dry_run
    try:
        dataset = read_table(content, filename)
    except ValidationError as error:
        report.error = " ".join(error.messages)
        return report
    written = dataset.headers
    dataset.headers = resource.columns.normalise(written)
    resource.written = {code: str(header) for code, header in zip(dataset.headers, written, strict=True)}
    missing = resource.columns.missing(dataset.headers)
    if missing:
        report.error = gettext("Missing columns: %(columns)s") % {"columns": _names(missing)}
        return report
    duplicated = resource.columns.duplicated(dataset.headers)
    if duplicated:
        report.error = gettext("Columns given more than once: %(columns)s") % {"columns": _names(duplicated)}
        return report
    if not any(not cells.blank(value) for row in dataset for value in row):
        report.error = gettext("The file has no data rows.")
        return report
    if progress is not None:
        total = len(dataset)
        progress(0, total)
        resource.on_row = lambda done: progress(done, total)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    if result.has_errors() and report.ok:
        report.error = gettext("The import failed; nothing was changed.")
    return report
