"""Leave and training days (休暇・研修): the writes (admin, import and seeds go through them, audited) and the
import of a calendar file on the core tabular framework (columns: e-mail, from, to, kind, hours per day, note).

Re-importing the same file changes nothing: a row with the same person, dates and kind is left as it is.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import audit
from core.tabular import cells
from core.tabular.columns import Column, Columns
from core.tabular.report import CREATED, UNCHANGED, ImportReport
from core.tabular.resource import RowReader, TabularResource
from core.tabular.resource import run_import as run_tabular_import
from skills.resources import SkillMapResource
from staffing import policies
from staffing.models import Absence, AbsenceKind

FIELDS = ("staff_id", "starts_on", "ends_on", "kind", "hours_per_day", "note")


def _check(actor) -> None:
    if actor is not None and not policies.can_staff(actor):
        raise PermissionDenied(_("Only ICT managers may record leave and training days."))


def _audit(actor, verb: str, absence: Absence, before=None) -> None:
    audit.record(
        actor=actor,
        verb=verb,
        target=absence.staff,
        data={
            "absence_id": absence.pk,
            "before": before,
            "after": {k: str(getattr(absence, k)) for k in FIELDS} if verb != "absence.delete" else None,
            "internal": True,
        },
    )


@transaction.atomic
def absence_save(*, actor, absence: Absence) -> Absence:
    """Record or change a leave or training period (validated: it cannot end before it starts)."""
    _check(actor)
    before = None
    if absence.pk:
        old = Absence.objects.filter(pk=absence.pk).values(*FIELDS).first()
        before = {k: str(v) for k, v in old.items()} if old else None
    absence.full_clean()
    absence.save()
    _audit(actor, "absence.save", absence, before)
    return absence


@transaction.atomic
def absence_delete(*, actor, absence: Absence) -> None:
    _check(actor)
    before = {k: str(getattr(absence, k)) for k in FIELDS}
    _audit(actor, "absence.delete", absence, before)
    absence.delete()


# --- import ------------------------------------------------------------------------------------------------------

KIND = cells.Choice(AbsenceKind.choices)
ABSENCE_COLUMNS = Columns(
    Column("email", pgettext_lazy("import column", "Email address"), required=True),
    Column("starts_on", pgettext_lazy("import column", "From"), required=True, aliases=("開始日",)),
    Column("ends_on", pgettext_lazy("import column", "To"), required=True, aliases=("終了日",)),
    Column("kind", pgettext_lazy("import column", "Kind")),
    Column("hours_per_day", pgettext_lazy("import column", "Hours per day")),
    Column("note", pgettext_lazy("import column", "Note")),
)


class AbsenceResource(SkillMapResource):
    """People by e-mail, as the skill-map imports look them up (skills.resources)."""

    columns = ABSENCE_COLUMNS
    error_columns = {"staff": "email"}

    class Meta(TabularResource.Meta):
        fields = ABSENCE_COLUMNS.codes

    def preload(self):
        super().preload()
        self.existing = set(
            Absence.objects.order_by().values_list("staff_id", "starts_on", "ends_on", "kind")
        )

    def import_one(self, row: RowReader):
        staff = row.take("email", self.lookup_person, required=True)
        starts_on = row.take("starts_on", cells.date, required=True)
        ends_on = row.take("ends_on", cells.date, required=True)
        kind = row.take("kind", KIND, default=AbsenceKind.LEAVE)
        hours = row.take("hours_per_day", cells.decimal)
        if starts_on and ends_on and ends_on < starts_on:
            row.error("ends_on", _("An absence cannot end before it starts."))
        key = None
        if not row.errors:
            key = (staff.pk, starts_on, ends_on, kind)
            self.duplicate(row, key, "starts_on")
        row.check()
        summary = f"{staff} {starts_on}–{ends_on}"
        if key in self.existing:
            return UNCHANGED, summary
        absence_save(
            actor=self.actor,
            absence=Absence(
                staff=staff,
                starts_on=starts_on,
                ends_on=ends_on,
                kind=kind,
                hours_per_day=hours,
                note=row.text("note"),
            ),
        )
        return CREATED, summary


def run_import(*, actor, content: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Dry run or real import of a leave/training calendar. A real import with any rejected row changes nothing."""
    _check(actor)
    return run_tabular_import(
        AbsenceResource(actor=actor), content=content, filename=filename, dry_run=dry_run
    )
