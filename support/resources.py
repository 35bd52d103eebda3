"""Import and export of support requests (django-import-export), for moving history in from spreadsheets.

* Export: the requests a user may see, as CSV (UTF-8 with BOM, which Excel opens correctly) or .xlsx; every cell
  that a spreadsheet would run as a formula is neutralised (core.spreadsheet). No comments, notes or effort.
* Import: .xlsx, or CSV in UTF-8 or Shift_JIS/CP932. Each row goes through `services.request_import`. A dry run
  reports per row what would be created, updated or rejected (row number, column, reason) and changes nothing;
  the real import is all-or-nothing (any rejected row rolls the whole file back).
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from accounts.models import Organization
from core.fiscal import TOKYO
from core.spreadsheet import neutralise_dataset
from support import services
from support.models import Phase, Priority, RequestCategory, Status, SupportRequest

COLUMNS = (
    "reference",
    "title",
    "description",
    "organization_code",
    "requester_email",
    "category_code",
    "phase",
    "status",
    "priority",
    "submitted_at",
    "desired_start",
    "due_date",
    "estimated_hours",
    "triaged_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "rejection_reason",
)
FIELD_TO_COLUMN = {
    "organization": "organization_code",
    "requester": "requester_email",
    "category": "category_code",
}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(value, choices, column):
    text = _text(value)
    for key, label in choices:
        if text in (str(key), str(label)):
            return key
    raise ValidationError(
        {
            column: ValidationError(
                _("“%(value)s” is not one of the allowed values."),
                code="invalid_choice",
                params={"value": text},
            )
        }
    )


def _date(value, column):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(_text(value).replace("/", "-"))
    if parsed is None:
        raise ValidationError({column: ValidationError(_("Write dates as YYYY-MM-DD."), code="invalid_date")})
    return parsed


def _datetime(value, column):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time(9, 0))
    else:
        text = _text(value).replace("/", "-")
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = dt.datetime.combine(day, dt.time(9, 0)) if day else None
    if parsed is None:
        raise ValidationError(
            {
                column: ValidationError(
                    _("Write times as YYYY-MM-DD HH:MM (Tokyo time)."), code="invalid_datetime"
                )
            }
        )
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=TOKYO)


class SupportRequestResource(resources.ModelResource):
    """Columns of the request spreadsheet. Import rows are handed to the service, never saved directly."""

    organization_code = fields.Field(attribute="organization__code", column_name="organization_code")
    requester_email = fields.Field(attribute="requester__email", column_name="requester_email")
    category_code = fields.Field(attribute="category__code", column_name="category_code")

    class Meta:
        model = SupportRequest
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("reference",)
        skip_diff = True

    def __init__(self, *, actor=None):
        super().__init__()
        self.actor = actor

    def dehydrate_submitted_at(self, obj):
        return obj.submitted_at.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M") if obj.submitted_at else ""

    def _parse(self, row) -> dict:
        errors: dict = {}
        values: dict = {}

        def take(column, parse):
            try:
                values[column] = parse(row.get(column))
            except ValidationError as error:
                errors.update(error.error_dict)

        take("phase", lambda v: _choice(v, Phase.choices, "phase"))
        take("status", lambda v: _choice(v or Status.CLOSED, Status.choices, "status"))
        take(
            "priority",
            lambda v: _choice(v if v not in (None, "") else Priority.NORMAL, Priority.choices, "priority"),
        )
        take("submitted_at", lambda v: _datetime(v, "submitted_at"))
        for column in ("triaged_at", "first_response_at", "resolved_at", "closed_at"):
            take(column, lambda v, c=column: _datetime(v, c))
        for column in ("desired_start", "due_date"):
            take(column, lambda v, c=column: _date(v, c))
        hours = _text(row.get("estimated_hours"))
        try:
            values["estimated_hours"] = Decimal(hours) if hours else None
        except InvalidOperation:
            errors["estimated_hours"] = [ValidationError(_("Enter a number."), code="invalid_number")]
        if values.get("submitted_at") is None and "submitted_at" not in errors:
            errors["submitted_at"] = [ValidationError(_("This column is required."), code="required")]
        organization = Organization.objects.filter(code=_text(row.get("organization_code"))).first()
        if organization is None:
            errors["organization_code"] = [
                ValidationError(_("No organisation has this code."), code="unknown")
            ]
        requester = get_user_model().objects.filter(email__iexact=_text(row.get("requester_email"))).first()
        if requester is None:
            errors["requester_email"] = [
                ValidationError(_("No user has this e-mail address."), code="unknown")
            ]
        category = RequestCategory.objects.filter(code=_text(row.get("category_code"))).first()
        if category is None:
            errors["category_code"] = [ValidationError(_("No category has this code."), code="unknown")]
        if errors:
            raise ValidationError(errors)
        values.update(
            reference=_text(row.get("reference")),
            title=_text(row.get("title")),
            description=_text(row.get("description")),
            organization=organization,
            requester=requester,
            category=category,
            rejection_reason=_text(row.get("rejection_reason")),
        )
        return values

    def import_row(self, row, instance_loader, **kwargs):
        result = self.get_row_result_class()()
        try:
            values = self._parse(row)
            request, created = services.request_import(actor=self.actor, **values)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError({FIELD_TO_COLUMN.get(k, k): v for k, v in error.error_dict.items()})
            else:
                error = ValidationError({NON_FIELD_ERRORS: error.error_list})
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = error
            return result
        result.import_type = RowResult.IMPORT_TYPE_NEW if created else RowResult.IMPORT_TYPE_UPDATE
        result.object_id = request.pk
        result.object_repr = request.reference
        return result


@dataclass
class ReportRow:
    number: int
    outcome: str  # created | updated | rejected
    column: str = ""
    message: str = ""

    @property
    def outcome_label(self) -> str:
        return {"created": _("create"), "updated": _("update"), "rejected": _("rejected")}[self.outcome]


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[ReportRow] = field(default_factory=list)
    error: str = ""

    @property
    def created(self) -> int:
        return len({r.number for r in self.rows if r.outcome == "created"})

    @property
    def updated(self) -> int:
        return len({r.number for r in self.rows if r.outcome == "updated"})

    @property
    def rejected(self) -> int:
        return len({r.number for r in self.rows if r.outcome == "rejected"})

    @property
    def ok(self) -> bool:
        return not self.error and self.rejected == 0


def read_dataset(uploaded) -> tablib.Dataset:
    """An .xlsx workbook's first sheet, or a CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932."""
    name = (getattr(uploaded, "name", "") or "").lower()
    raw = uploaded.read()
    if name.endswith(".xlsx"):
        return tablib.Dataset().load(io.BytesIO(raw), format="xlsx")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The file is neither UTF-8 nor Shift_JIS text."), code="encoding")
    return tablib.Dataset().load(text, format="csv")


def import_requests(*, actor, uploaded, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        dataset = read_dataset(uploaded)
    except ValidationError as error:
        report.error = " ".join(error.messages)
        return report
    except Exception:  # noqa: BLE001 — an unreadable upload is the user's problem, said plainly
        report.error = _("The file could not be read as .xlsx or CSV.")
        return report
    missing = [
        c
        for c in (
            "title",
            "description",
            "organization_code",
            "requester_email",
            "category_code",
            "phase",
            "submitted_at",
        )
        if c not in (dataset.headers or [])
    ]
    if missing:
        report.error = _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}
        return report
    resource = SupportRequestResource(actor=actor)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    for number, row_result in enumerate(result.rows, start=1):
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            for column, errors in row_result.validation_error.error_dict.items():
                for item in errors:
                    report.rows.append(
                        ReportRow(
                            number,
                            "rejected",
                            "" if column == NON_FIELD_ERRORS else column,
                            " ".join(str(m) for m in item),
                        )
                    )
        elif row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            report.rows.append(ReportRow(number, "rejected", "", _("Unexpected error in this row.")))
        else:
            report.rows.append(
                ReportRow(
                    number, "created" if row_result.import_type == RowResult.IMPORT_TYPE_NEW else "updated"
                )
            )
    return report


def export_requests(queryset, *, fmt: str = "csv") -> tuple[bytes, str]:
    dataset = SupportRequestResource().export(
        queryset.select_related("organization", "requester", "category")
    )
    safe = neutralise_dataset(dataset)
    if fmt == "xlsx":
        return safe.export("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return ("\ufeff" + safe.export("csv")).encode("utf-8"), "text/csv; charset=utf-8"
