"""Import and export of the skill map (django-import-export resources).

* Every import row goes through the services (the same validation as the pages) inside django-import-export's
  transaction; a dry run rolls everything back, and a real import with any rejected row rolls back too
  (all-or-nothing).
* Each row gets a report line: spreadsheet row number (the header is row 1), what would happen (created, updated,
  unchanged, rejected), and for a rejection the column and the reason.
* Files: .xlsx, or CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932 (what Japanese Excel writes).
* Exports neutralise formula-like cells (core.spreadsheet) in every format.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from core.fiscal import today as local_today
from core.spreadsheet import neutralise_dataset
from skills import services
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    JobType,
    Skill,
    SkillAssessment,
    SkillCategory,
    StaffKind,
    StaffProfile,
)

User = get_user_model()

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
ACTION_LABELS = {
    CREATED: pgettext_lazy("import row", "Created"),
    UPDATED: pgettext_lazy("import row", "Updated"),
    UNCHANGED: pgettext_lazy("import row", "Unchanged"),
    REJECTED: pgettext_lazy("import row", "Rejected"),
}

# Japanese column headings accepted on import (exports use the English keys, which also import).
HEADER_ALIASES = {
    "メールアドレス": "email",
    "氏名": "display_name",
    "スキルコード": "skill",
    "スキル": "skill",
    "レベル": "level",
    "評価区分": "source",
    "状態": "status",
    "評価日": "assessed_on",
    "メモ": "note",
    "資格名": "name",
    "発行機関": "issuer",
    "取得日": "obtained_on",
    "有効期限": "expires_on",
    "認定番号": "credential_id",
    "ジョブタイプ": "job_type",
    "区分": "kind",
    "等級": "grade",
    "稼働上限": "capacity_hours_per_week",
    "着任日": "joined_on",
    "有効": "active",
    "コード": "code",
    "名称": "name",
    "英語名称": "name_en",
    "スキル分野": "category",
    "説明": "description",
}


class RowRejected(ValidationError):
    """A row's problem, tied to a column."""

    def __init__(self, column: str, message, code: str = "invalid"):
        super().__init__({column: ValidationError(message, code=code)})


@dataclass
class ReportLine:
    row: int
    action: str
    column: str = ""
    message: str = ""
    summary: str = ""

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]


@dataclass
class ImportReport:
    lines: list[ReportLine] = field(default_factory=list)
    error: str = ""

    @property
    def rejected(self) -> list[ReportLine]:
        return [line for line in self.lines if line.action == REJECTED]

    def count(self, action: str) -> int:
        return len({line.row for line in self.lines if line.action == action})

    @property
    def ok(self) -> bool:
        return not self.error and not self.rejected

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (CREATED, UPDATED, UNCHANGED, REJECTED)}


# --- parsing cells ------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, column: str, *, required: bool = True, past: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        parsed = value.date()
    elif isinstance(value, dt.date):
        parsed = value
    else:
        text = _text(value)
        if not text:
            if required:
                raise RowRejected(column, _("This column is required."), "required")
            return None
        parsed = None
        for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S"):
            try:
                parsed = dt.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if parsed is None:
            raise RowRejected(
                column, _("Not a date (use YYYY-MM-DD): %(value)s") % {"value": text}, "invalid_date"
            )
    if past and parsed > local_today():
        raise RowRejected(column, _("The date cannot be in the future."), "future_date")
    return parsed


def _level(value, column: str = "level") -> int:
    text = _text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or not 1 <= number <= 5:
        raise RowRejected(column, _("The level must be a whole number from 1 to 5."), "level_out_of_range")
    return int(number)


def _bool(value, column: str, default: bool = True) -> bool:
    text = _text(value).lower()
    if not text:
        return default
    if text in {"1", "true", "yes", "y", "はい", "○", "有効"}:
        return True
    if text in {"0", "false", "no", "n", "いいえ", "×", "無効"}:
        return False
    raise RowRejected(column, _("Use 1 (yes) or 0 (no)."), "invalid_boolean")


def _required(row, column: str) -> str:
    text = _text(row.get(column))
    if not text:
        raise RowRejected(column, _("This column is required."), "required")
    return text


# --- the base resource --------------------------------------------------------------------------------------------


class ServiceResource(resources.Resource):
    """A resource whose import rows call the services. Subclasses implement `import_one(row) -> (action, obj)`."""

    #: service field name → column, for errors the services raise
    error_columns: dict[str, str] = {}
    #: columns that must be present in the file
    required_columns: tuple[str, ...] = ()

    class Meta:
        instance_loader_class = BaseInstanceLoader
        use_transactions = True
        skip_diff = True
        report_skipped = True
        # Rows are written by the services, each in its own transaction (a savepoint inside the import's
        # transaction), so import-export's extra per-row savepoint is not needed: with use_bulk it leaves it out.
        # Nothing is queued for import-export's own bulk writes, since import_row below never returns an instance.
        use_bulk = True

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.report = ImportReport()
        self.seen: set = set()

    def missing_columns(self, headers) -> list[str]:
        return [column for column in self.required_columns if column not in headers]

    def before_import(self, dataset, **kwargs):
        self.preload()

    def preload(self) -> None:
        """Load lookups once (people by e-mail, skills by code) so that each row costs no extra query."""
        self.people = {
            p.user.email.lower(): p
            for p in StaffProfile.objects.select_related("user", "job_type").order_by()
        }
        self.skills = {s.code: s for s in Skill.objects.select_related("category").order_by()}

    def person(self, row, column: str = "email") -> StaffProfile:
        email = _required(row, column).lower()
        profile = self.people.get(email)
        if profile is None:
            raise RowRejected(column, _("Unknown person: %(email)s") % {"email": email}, "unknown_person")
        return profile

    def skill(self, row, column: str = "skill", *, required: bool = True) -> Skill | None:
        code = _text(row.get(column))
        if not code:
            if required:
                raise RowRejected(column, _("This column is required."), "required")
            return None
        skill = self.skills.get(code)
        if skill is None:
            raise RowRejected(column, _("Unknown skill code: %(code)s") % {"code": code}, "unknown_skill")
        return skill

    def duplicate(self, key, column: str) -> None:
        if key in self.seen:
            raise RowRejected(
                column, _("Duplicate row: the same record appears earlier in the file."), "duplicate_row"
            )
        self.seen.add(key)

    def import_one(self, row) -> tuple[str, str]:
        raise NotImplementedError

    def import_row(self, row, instance_loader, **kwargs):
        row_result = self.get_row_result_class()()
        number = kwargs.get("row_number", 0) + 1  # the header is row 1
        try:
            action, summary = self.import_one(row)
            row_result.import_type = {
                CREATED: RowResult.IMPORT_TYPE_NEW,
                UPDATED: RowResult.IMPORT_TYPE_UPDATE,
                UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
            }[action]
            self.report.lines.append(ReportLine(row=number, action=action, summary=summary))
        except PermissionDenied as error:  # the actor may not import (the services refuse)
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(str(error))
            self.report.lines.append(ReportLine(row=number, action=REJECTED, message=str(error)))
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    column = self.error_columns.get(name, "" if name == "__all__" else name)
                    for item in errors:
                        self.report.lines.append(
                            ReportLine(
                                row=number, action=REJECTED, column=column, message=" ".join(item.messages)
                            )
                        )
            else:
                self.report.lines.append(
                    ReportLine(row=number, action=REJECTED, message=" ".join(error.messages))
                )
        except Exception as error:  # unexpected: the services' own savepoints have rolled the row back
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(str(error))
            self.report.lines.append(ReportLine(row=number, action=REJECTED, message=str(error)))
        return row_result

    def export_dataset(self, queryset) -> tablib.Dataset:
        return neutralise_dataset(self.export(queryset))


# --- staff profiles ---------------------------------------------------------------------------------------------


class StaffProfileResource(ServiceResource):
    email = Field(attribute="user__email", column_name="email")
    display_name = Field(attribute="user__display_name", column_name="display_name")
    job_type = Field(attribute="job_type__code", column_name="job_type")
    kind = Field(attribute="kind", column_name="kind")
    grade = Field(attribute="grade", column_name="grade")
    capacity_hours_per_week = Field(
        attribute="capacity_hours_per_week", column_name="capacity_hours_per_week"
    )
    joined_on = Field(attribute="joined_on", column_name="joined_on")
    active = Field(column_name="active")

    required_columns = ("email",)

    class Meta(ServiceResource.Meta):
        fields = (
            "email",
            "display_name",
            "job_type",
            "kind",
            "grade",
            "capacity_hours_per_week",
            "joined_on",
            "active",
        )

    def dehydrate_active(self, obj):
        return 1 if obj.active else 0

    def preload(self):
        super().preload()
        self.users = {u.email.lower(): u for u in User.objects.order_by()}
        self.job_types = {j.code: j for j in JobType.objects.order_by()}

    def import_one(self, row):
        email = _required(row, "email").lower()
        self.duplicate(email, "email")
        user = self.users.get(email)
        if user is None:
            raise RowRejected("email", _("Unknown person: %(email)s") % {"email": email}, "unknown_person")
        defaults = {}
        if "job_type" in row:
            code = _text(row.get("job_type"))
            if code and code not in self.job_types:
                raise RowRejected(
                    "job_type", _("Unknown job type: %(code)s") % {"code": code}, "unknown_job_type"
                )
            defaults["job_type"] = self.job_types.get(code)
        if _text(row.get("kind")):
            kind = _text(row.get("kind"))
            if kind not in StaffKind.values:
                raise RowRejected("kind", _("Unknown kind: %(value)s") % {"value": kind}, "invalid_choice")
            defaults["kind"] = kind
        if "grade" in row:
            defaults["grade"] = _text(row.get("grade"))
        if _text(row.get("capacity_hours_per_week")):
            try:
                defaults["capacity_hours_per_week"] = Decimal(_text(row.get("capacity_hours_per_week")))
            except InvalidOperation:
                raise RowRejected("capacity_hours_per_week", _("Not a number."), "invalid_number") from None
        if "joined_on" in row:
            defaults["joined_on"] = _date(row.get("joined_on"), "joined_on", required=False)
        if "active" in row:
            defaults["active"] = _bool(row.get("active"), "active")
        existing = self.people.get(email)
        before = None
        if existing is not None:
            before = (
                StaffProfile.objects.filter(pk=existing.pk)
                .values(*[f if f != "job_type" else "job_type_id" for f in defaults])
                .first()
            )
        profile, created = services.staff_profile_upsert(actor=self.actor, user=user, defaults=defaults)
        self.people[email] = profile
        if created:
            return CREATED, str(user)
        after = StaffProfile.objects.filter(pk=profile.pk).values(*before.keys()).first() if before else None
        return (UNCHANGED if before == after else UPDATED), str(user)


# --- skills -------------------------------------------------------------------------------------------------------


class SkillResource(ServiceResource):
    code = Field(attribute="code", column_name="code")
    name = Field(attribute="name", column_name="name")
    name_en = Field(attribute="name_en", column_name="name_en")
    category = Field(attribute="category__code", column_name="category")
    description = Field(attribute="description", column_name="description")
    active = Field(column_name="active")

    required_columns = ("code", "name", "category")

    class Meta(ServiceResource.Meta):
        fields = ("code", "name", "name_en", "category", "description", "active")

    def dehydrate_active(self, obj):
        return 1 if obj.active else 0

    def preload(self):
        super().preload()
        self.categories = {c.code: c for c in SkillCategory.objects.order_by()}

    def import_one(self, row):
        code = _required(row, "code")
        self.duplicate(code, "code")
        name = _required(row, "name")
        category_code = _required(row, "category")
        category = self.categories.get(category_code)
        if category is None:
            raise RowRejected(
                "category",
                _("Unknown skill category: %(code)s") % {"code": category_code},
                "unknown_category",
            )
        defaults = {"name": name, "category": category}
        for column in ("name_en", "description"):
            if column in row:
                defaults[column] = _text(row.get(column))
        if "active" in row:
            defaults["active"] = _bool(row.get("active"), "active")
        existing = self.skills.get(code)
        unchanged = existing is not None and all(
            getattr(existing, key) == value for key, value in defaults.items()
        )
        skill, created = services.skill_upsert(actor=self.actor, code=code, defaults=defaults)
        self.skills[code] = skill
        return (CREATED if created else UNCHANGED if unchanged else UPDATED), skill.name


# --- assessments ---------------------------------------------------------------------------------------------------


class SkillAssessmentResource(ServiceResource):
    email = Field(attribute="staff__user__email", column_name="email")
    skill = Field(attribute="skill__code", column_name="skill")
    level = Field(attribute="level", column_name="level")
    source = Field(attribute="source", column_name="source")
    status = Field(attribute="status", column_name="status")
    assessed_on = Field(attribute="assessed_on", column_name="assessed_on")
    assessed_by = Field(attribute="assessed_by__email", column_name="assessed_by")
    validated_by = Field(attribute="validated_by__email", column_name="validated_by")
    validated_on = Field(attribute="validated_on", column_name="validated_on")
    note = Field(attribute="note", column_name="note")

    required_columns = ("email", "skill", "level", "assessed_on")
    error_columns = {"assessed_on": "assessed_on", "level": "level", "source": "source", "status": "status"}

    class Meta(ServiceResource.Meta):
        fields = (
            "email",
            "skill",
            "level",
            "source",
            "status",
            "assessed_on",
            "assessed_by",
            "validated_by",
            "validated_on",
            "note",
        )

    def preload(self):
        super().preload()
        self.existing = set(
            SkillAssessment.objects.order_by().values_list(
                "staff_id", "skill_id", "source", "assessed_on", "level"
            )
        )

    def import_one(self, row):
        staff = self.person(row)
        skill = self.skill(row)
        level = _level(row.get("level"))
        assessed_on = _date(row.get("assessed_on"), "assessed_on")
        source = _text(row.get("source")) or AssessmentSource.MANAGER
        if source not in AssessmentSource.values:
            raise RowRejected("source", _("Unknown source: %(value)s") % {"value": source}, "invalid_choice")
        status = _text(row.get("status")) or AssessmentStatus.VALIDATED
        if status not in (AssessmentStatus.VALIDATED, AssessmentStatus.PENDING):
            raise RowRejected("status", _("Status must be validated or pending."), "invalid_choice")
        key = (staff.pk, skill.pk, source, assessed_on, level)
        self.duplicate(key, "email")
        summary = f"{staff} / {skill.code} L{level} ({assessed_on:%Y-%m-%d})"
        if key in self.existing:
            return UNCHANGED, summary
        services.assessment_import(
            actor=self.actor,
            staff=staff,
            skill=skill,
            level=level,
            source=source,
            assessed_on=assessed_on,
            validated=status == AssessmentStatus.VALIDATED,
            note=_text(row.get("note")),
        )
        return CREATED, summary


# --- certifications -----------------------------------------------------------------------------------------------


class CertificationResource(ServiceResource):
    email = Field(attribute="staff__user__email", column_name="email")
    name = Field(attribute="name", column_name="name")
    issuer = Field(attribute="issuer", column_name="issuer")
    obtained_on = Field(attribute="obtained_on", column_name="obtained_on")
    expires_on = Field(attribute="expires_on", column_name="expires_on")
    skill = Field(attribute="skill__code", column_name="skill")
    credential_id = Field(attribute="credential_id", column_name="credential_id")

    required_columns = ("email", "name", "obtained_on")
    error_columns = {"obtained_on": "obtained_on", "expires_on": "expires_on", "name": "name"}

    class Meta(ServiceResource.Meta):
        fields = ("email", "name", "issuer", "obtained_on", "expires_on", "skill", "credential_id")

    def preload(self):
        super().preload()
        self.existing = set(Certification.objects.order_by().values_list("staff_id", "name", "obtained_on"))

    def import_one(self, row):
        staff = self.person(row)
        name = _required(row, "name")
        obtained_on = _date(row.get("obtained_on"), "obtained_on")
        expires_on = _date(row.get("expires_on"), "expires_on", required=False, past=False)
        skill = self.skill(row, required=False)
        key = (staff.pk, name, obtained_on)
        self.duplicate(key, "name")
        summary = f"{staff} / {name}"
        if key in self.existing:
            return UNCHANGED, summary
        services.certification_add(
            actor=self.actor,
            staff=staff,
            name=name,
            issuer=_text(row.get("issuer")),
            obtained_on=obtained_on,
            expires_on=expires_on,
            skill=skill,
            credential_id=_text(row.get("credential_id")),
        )
        return CREATED, summary


RESOURCES: dict[str, type[ServiceResource]] = {
    "staff": StaffProfileResource,
    "skills": SkillResource,
    "assessments": SkillAssessmentResource,
    "certifications": CertificationResource,
}
KIND_LABELS = {
    "staff": _("Staff profiles"),
    "skills": _("Skills"),
    "assessments": _("Skill assessments"),
    "certifications": _("Certifications"),
}


# --- files --------------------------------------------------------------------------------------------------------


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """A .xlsx workbook's first sheet, or a CSV in UTF-8 (BOM or not) or Shift_JIS/CP932."""
    if filename.lower().endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as error:  # openpyxl raises many kinds
            raise ValidationError(_("The file is not a readable .xlsx workbook."), code="bad_file") from error
        dataset.headers = [_text(h) for h in dataset.headers or []]
        return dataset
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The CSV file is neither UTF-8 nor Shift_JIS (CP932)."), code="bad_encoding")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty_file")
    width = len(rows[0])
    dataset = tablib.Dataset(headers=[h.strip() for h in rows[0]])
    for row in rows[1:]:
        dataset.append((row + [""] * width)[:width])
    return dataset


def run_import(*, actor, kind: str, content: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Dry run or real import of one file. A real import with any rejected row changes nothing."""
    resource = RESOURCES[kind](actor=actor)
    try:
        dataset = read_dataset(content, filename)
    except ValidationError as error:
        return ImportReport(error=" ".join(error.messages))
    dataset.headers = [HEADER_ALIASES.get(_text(h), _text(h).lower()) for h in (dataset.headers or [])]
    missing = resource.missing_columns(dataset.headers)
    if missing:
        return ImportReport(error=str(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
    if not len(dataset):
        return ImportReport(error=str(_("The file has no data rows.")))
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    if result.has_errors() and not resource.report.lines:
        resource.report.error = str(_("The import failed; nothing was changed."))
    return resource.report


def export_dataset(kind: str, queryset) -> tablib.Dataset:
    return RESOURCES[kind]().export_dataset(queryset)
