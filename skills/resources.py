"""Import and export of the skill map, on the core tabular framework (core.tabular).

* Columns: an English code and a translated header each; exports write headers and choice labels in the user's
  language (Japanese by default), imports accept the code or either language's header and label.
* Every import row is read cell by cell (every bad cell reported), then goes through the services, the same
  validation as the pages; `run_import` is a dry run or the all-or-nothing import (core.tabular.run_import).
* Exports neutralise formula-like cells in every format.
"""

import tablib
from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export.fields import Field

from core.tabular import cells
from core.tabular.columns import YES_NO, Column, Columns
from core.tabular.report import CREATED, REJECTED, UNCHANGED, UPDATED, ImportReport
from core.tabular.resource import RowReader, TabularResource
from core.tabular.resource import run_import as run_tabular_import
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

__all__ = [
    "CREATED",
    "REJECTED",
    "UNCHANGED",
    "UPDATED",
    "KIND_LABELS",
    "RESOURCES",
    "export_dataset",
    "run_import",
]

User = get_user_model()


def _col(
    code: str, label: str, *, required: bool = False, aliases: tuple[str, ...] = (), choices: tuple = ()
) -> Column:
    return Column(code, label, required=required, aliases=aliases, choices=choices)


EMAIL = _col("email", pgettext_lazy("import column", "Email address"), required=True)
SKILL_CODE = _col("skill", pgettext_lazy("import column", "Skill code"), aliases=("スキル",))

SOURCE = cells.Choice(AssessmentSource.choices)
STATUS = cells.Choice(AssessmentStatus.choices)
KIND = cells.Choice(StaffKind.choices)


def _level(value) -> int | None:
    return cells.whole_number(
        value, low=1, high=5, message=_("The level must be a whole number from 1 to 5.")
    )


class SkillMapResource(TabularResource):
    """Lookups shared by the skill-map imports: people by e-mail and skills by code, loaded once."""

    def preload(self):
        self.people = {
            p.user.email.lower(): p
            for p in StaffProfile.objects.select_related("user", "job_type").order_by()
        }
        self.skills = {s.code: s for s in Skill.objects.select_related("category").order_by()}

    def lookup_person(self, value) -> StaffProfile:
        return cells.lookup(
            self.people,
            value,
            _("Unknown person: %(email)s"),
            code="unknown_person",
            param="email",
            lower=True,
        )

    def lookup_skill(self, value) -> Skill:
        return cells.lookup(
            self.skills, value, _("Unknown skill code: %(code)s"), code="unknown_skill", param="code"
        )


# --- staff profiles ---------------------------------------------------------------------------------------------

STAFF_COLUMNS = Columns(
    EMAIL,
    _col("display_name", pgettext_lazy("import column", "Name")),
    _col("job_type", pgettext_lazy("import column", "Job type")),
    _col("kind", pgettext_lazy("import column", "Kind"), choices=StaffKind.choices),
    _col("grade", pgettext_lazy("import column", "Grade")),
    _col(
        "capacity_hours_per_week",
        pgettext_lazy("import column", "Capacity (hours/week)"),
        aliases=("稼働上限",),
    ),
    _col("joined_on", pgettext_lazy("import column", "Joined on")),
    _col("active", pgettext_lazy("import column", "Active"), choices=YES_NO),
)


class StaffProfileResource(SkillMapResource):
    columns = STAFF_COLUMNS
    sheet_name = _("Staff profiles")
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

    class Meta(TabularResource.Meta):
        fields = STAFF_COLUMNS.codes

    def dehydrate_active(self, obj):
        return 1 if obj.active else 0

    def preload(self):
        super().preload()
        self.users = {u.email.lower(): u for u in User.objects.order_by()}
        self.job_types = {j.code: j for j in JobType.objects.order_by()}

    def lookup_user(self, value):
        return cells.lookup(
            self.users,
            value,
            _("Unknown person: %(email)s"),
            code="unknown_person",
            param="email",
            lower=True,
        )

    def lookup_job_type(self, value) -> JobType:
        return cells.lookup(
            self.job_types, value, _("Unknown job type: %(code)s"), code="unknown_job_type", param="code"
        )

    def import_one(self, row: RowReader):
        user = row.take("email", self.lookup_user, required=True)
        if user is not None:
            self.duplicate(row, user.email.lower(), "email")
        defaults = {}
        if "job_type" in row:
            defaults["job_type"] = row.take("job_type", self.lookup_job_type)
        if row.text("kind"):
            defaults["kind"] = row.take("kind", KIND)
        if "grade" in row:
            defaults["grade"] = row.text("grade")
        if row.text("capacity_hours_per_week"):
            defaults["capacity_hours_per_week"] = row.take("capacity_hours_per_week", cells.decimal)
        if "joined_on" in row:
            defaults["joined_on"] = row.take("joined_on", cells.past_date)
        if "active" in row:
            defaults["active"] = row.take("active", cells.boolean, default=True)
        row.check()
        existing = self.people.get(user.email.lower())
        before = None
        if existing is not None:
            before = (
                StaffProfile.objects.filter(pk=existing.pk)
                .values(*[f if f != "job_type" else "job_type_id" for f in defaults])
                .first()
            )
        profile, created = services.staff_profile_upsert(actor=self.actor, user=user, defaults=defaults)
        self.people[user.email.lower()] = profile
        if created:
            return CREATED, str(user)
        after = StaffProfile.objects.filter(pk=profile.pk).values(*before.keys()).first() if before else None
        return (UNCHANGED if before == after else UPDATED), str(user)


# --- skills -------------------------------------------------------------------------------------------------------

SKILL_COLUMNS = Columns(
    _col("code", pgettext_lazy("import column", "Skill code"), required=True, aliases=("コード",)),
    _col("name", pgettext_lazy("import column", "Skill name"), required=True, aliases=("名称",)),
    _col("name_en", pgettext_lazy("import column", "English name")),
    _col("category", pgettext_lazy("import column", "Skill category"), required=True),
    _col("description", pgettext_lazy("import column", "Description")),
    _col("active", pgettext_lazy("import column", "Active"), choices=YES_NO),
)


class SkillResource(SkillMapResource):
    columns = SKILL_COLUMNS
    sheet_name = _("Skills")
    code = Field(attribute="code", column_name="code")
    name = Field(attribute="name", column_name="name")
    name_en = Field(attribute="name_en", column_name="name_en")
    category = Field(attribute="category__code", column_name="category")
    description = Field(attribute="description", column_name="description")
    active = Field(column_name="active")

    class Meta(TabularResource.Meta):
        fields = SKILL_COLUMNS.codes

    def dehydrate_active(self, obj):
        return 1 if obj.active else 0

    def preload(self):
        super().preload()
        self.categories = {c.code: c for c in SkillCategory.objects.order_by()}

    def lookup_category(self, value) -> SkillCategory:
        return cells.lookup(
            self.categories,
            value,
            _("Unknown skill category: %(code)s"),
            code="unknown_category",
            param="code",
        )

    def import_one(self, row: RowReader):
        code = row.take("code", required=True)
        if code:
            self.duplicate(row, code, "code")
        defaults = {
            "name": row.take("name", required=True),
            "category": row.take("category", self.lookup_category, required=True),
        }
        for column in ("name_en", "description"):
            if column in row:
                defaults[column] = row.text(column)
        if "active" in row:
            defaults["active"] = row.take("active", cells.boolean, default=True)
        row.check()
        existing = self.skills.get(code)
        unchanged = existing is not None and all(
            getattr(existing, key) == value for key, value in defaults.items()
        )
        skill, created = services.skill_upsert(actor=self.actor, code=code, defaults=defaults)
        self.skills[code] = skill
        return (CREATED if created else UNCHANGED if unchanged else UPDATED), skill.name


# --- assessments ---------------------------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = Columns(
    EMAIL,
    Column(SKILL_CODE.code, SKILL_CODE.label, required=True, aliases=SKILL_CODE.aliases),
    _col("level", pgettext_lazy("import column", "Level"), required=True),
    _col("source", pgettext_lazy("import column", "Assessment source"), choices=AssessmentSource.choices),
    _col("status", pgettext_lazy("import column", "Status"), choices=AssessmentStatus.choices),
    _col("assessed_on", pgettext_lazy("import column", "Assessed on"), required=True),
    _col("assessed_by", pgettext_lazy("import column", "Assessed by")),
    _col("validated_by", pgettext_lazy("import column", "Validated by")),
    _col("validated_on", pgettext_lazy("import column", "Validated on")),
    _col("note", pgettext_lazy("import column", "Note")),
)


class SkillAssessmentResource(SkillMapResource):
    columns = ASSESSMENT_COLUMNS
    sheet_name = _("Skill assessments")
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

    class Meta(TabularResource.Meta):
        fields = ASSESSMENT_COLUMNS.codes

    def preload(self):
        super().preload()
        self.to_write: list[SkillAssessment] = []
        self.existing = set(
            SkillAssessment.objects.order_by().values_list(
                "staff_id", "skill_id", "source", "assessed_on", "level"
            )
        )

    def import_one(self, row: RowReader):
        staff = row.take("email", self.lookup_person, required=True)
        skill = row.take("skill", self.lookup_skill, required=True)
        level = row.take("level", _level, required=True)
        assessed_on = row.take("assessed_on", cells.past_date, required=True)
        source = row.take("source", SOURCE, default=AssessmentSource.MANAGER)
        status = row.take("status", STATUS, default=AssessmentStatus.VALIDATED)
        if status not in (None, AssessmentStatus.VALIDATED, AssessmentStatus.PENDING):
            row.error("status", _("Status must be validated or pending."))
        key = None
        if not row.errors:
            key = (staff.pk, skill.pk, source, assessed_on, level)
            self.duplicate(row, key, "email")
        row.check()
        summary = f"{staff} / {skill.code} L{level} ({date_format(assessed_on, 'SHORT_DATE_FORMAT')})"
        if key in self.existing:
            return UNCHANGED, summary
        # Every rule is checked now (a refusal is this row's error); the writes wait until every row has passed.
        self.to_write.append(
            services.assessment_import_check(
                actor=self.actor,
                staff=staff,
                skill=skill,
                level=level,
                source=source,
                assessed_on=assessed_on,
                validated=status == AssessmentStatus.VALIDATED,
                note=row.text("note"),
            )
        )
        return CREATED, summary

    def after_import(self, dataset, result, **kwargs):
        """All rows read and checked: write them in bulk (inside the import's one transaction), unless a row was
        rejected — then the import changes nothing anyway — or this is the dry run: every rule has run on every row
        (the table's one constraint, level 1–5, among them), so the writes the dry run would roll back tell nothing
        more."""
        super().after_import(dataset, result, **kwargs)
        if self.to_write and not self.report.rejected and not self.report.dry_run:
            services.assessment_import_bulk(actor=self.actor, assessments=self.to_write)
        self.to_write = []


# --- certifications -----------------------------------------------------------------------------------------------

CERTIFICATION_COLUMNS = Columns(
    EMAIL,
    _col("name", pgettext_lazy("import column", "Certification"), required=True, aliases=("資格",)),
    _col("issuer", pgettext_lazy("import column", "Issuer")),
    _col("obtained_on", pgettext_lazy("import column", "Obtained on"), required=True),
    _col("expires_on", pgettext_lazy("import column", "Expires on")),
    SKILL_CODE,
    _col("credential_id", pgettext_lazy("import column", "Credential ID")),
)


class CertificationResource(SkillMapResource):
    columns = CERTIFICATION_COLUMNS
    sheet_name = _("Certifications")
    email = Field(attribute="staff__user__email", column_name="email")
    name = Field(attribute="name", column_name="name")
    issuer = Field(attribute="issuer", column_name="issuer")
    obtained_on = Field(attribute="obtained_on", column_name="obtained_on")
    expires_on = Field(attribute="expires_on", column_name="expires_on")
    skill = Field(attribute="skill__code", column_name="skill")
    credential_id = Field(attribute="credential_id", column_name="credential_id")

    error_columns = {"skill": "skill"}

    class Meta(TabularResource.Meta):
        fields = CERTIFICATION_COLUMNS.codes

    def preload(self):
        super().preload()
        self.to_write: list[SkillAssessment] = []
        self.existing = set(Certification.objects.order_by().values_list("staff_id", "name", "obtained_on"))

    def import_one(self, row: RowReader):
        staff = row.take("email", self.lookup_person, required=True)
        name = row.take("name", required=True)
        obtained_on = row.take("obtained_on", cells.past_date, required=True)
        expires_on = row.take("expires_on", cells.date)
        skill = row.take("skill", self.lookup_skill)
        key = None
        if not row.errors:
            key = (staff.pk, name, obtained_on)
            self.duplicate(row, key, "name")
        row.check()
        summary = f"{staff} / {name}"
        if key in self.existing:
            return UNCHANGED, summary
        services.certification_add(
            actor=self.actor,
            staff=staff,
            name=name,
            issuer=row.text("issuer"),
            obtained_on=obtained_on,
            expires_on=expires_on,
            skill=skill,
            credential_id=row.text("credential_id"),
        )
        return CREATED, summary


RESOURCES: dict[str, type[SkillMapResource]] = {
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


def run_import(
    *, actor, kind: str, content: bytes, filename: str, dry_run: bool, progress=None
) -> ImportReport:
    """Dry run or real import of one file. A real import with any rejected row changes nothing."""
    return run_tabular_import(
        RESOURCES[kind](actor=actor), content=content, filename=filename, dry_run=dry_run, progress=progress
    )


def export_dataset(kind: str, queryset, progress=None) -> tablib.Dataset:
    return RESOURCES[kind]().export_dataset(queryset, progress=progress)


def export_queryset(user, kind: str):
    """The rows of `kind` that `user` may export."""
    from django.core.exceptions import PermissionDenied

    from skills import policies, selectors

    if not policies.can_export(user):
        raise PermissionDenied
    if kind == "staff":
        return selectors.staff_profile_list_for(user)
    if kind == "skills":
        return selectors.skill_list(active=None)
    if kind == "assessments":
        return selectors.assessment_export_for(user)
    return selectors.certification_export_for(user)


def export_for(*, user, kind: str, progress=None) -> tablib.Dataset:
    """An export job's rows (core.tabular.export_jobs): scoped to the user and checked again."""
    return export_dataset(kind, export_queryset(user, kind), progress=progress)
