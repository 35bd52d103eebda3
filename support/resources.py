"""Import and export of support requests (core.tabular), for moving history in from spreadsheets.

* Export: the requests a user may see (.xlsx, CSV in UTF-8 with BOM, or CSV in Shift_JIS), headers, choice labels
  and dates in the user's language (Japanese by default), every formula-like cell neutralised. No comments, notes or effort.
* Import: every row read cell by cell (every bad cell reported), then `services.request_import`; a dry run changes
  nothing and the real import is all-or-nothing (core.tabular.run_import).
"""

import tablib
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import resources
from import_export.fields import Field

from accounts.models import Organization
from core.tabular import cells
from core.tabular.columns import Column, Columns
from core.tabular.report import CREATED, UPDATED, ImportReport
from core.tabular.resource import RowReader, TabularResource
from core.tabular.resource import run_import as run_tabular_import
from support import policies, selectors, services
from support.models import Phase, Priority, RequestCategory, Status, SupportRequest

COLUMNS = Columns(
    Column("reference", pgettext_lazy("import column", "Reference")),
    Column("title", pgettext_lazy("import column", "Title"), required=True),
    Column("description", pgettext_lazy("import column", "Request details"), required=True),
    Column("organization_code", pgettext_lazy("import column", "Organisation code"), required=True),
    Column("requester_email", pgettext_lazy("import column", "Requester e-mail"), required=True),
    Column("category_code", pgettext_lazy("import column", "Category code"), required=True),
    Column("phase", pgettext_lazy("import column", "Phase"), required=True, choices=Phase.choices),
    Column("status", pgettext_lazy("import column", "Status"), choices=Status.choices),
    Column("priority", pgettext_lazy("import column", "Priority"), choices=Priority.choices),
    Column("submitted_at", pgettext_lazy("import column", "Submitted at"), required=True),
    Column("desired_start", pgettext_lazy("import column", "Desired start")),
    Column("due_date", pgettext_lazy("import column", "Due date")),
    Column("estimated_hours", pgettext_lazy("import column", "Estimated hours")),
    Column("triaged_at", pgettext_lazy("import column", "Triaged at")),
    Column("first_response_at", pgettext_lazy("import column", "First response at")),
    Column("resolved_at", pgettext_lazy("import column", "Resolved at")),
    Column("closed_at", pgettext_lazy("import column", "Closed at")),
    Column("rejection_reason", pgettext_lazy("import column", "Rejection reason")),
)
MILESTONES = ("triaged_at", "first_response_at", "resolved_at", "closed_at")
PHASE = cells.Choice(Phase.choices)
STATUS = cells.Choice(Status.choices)
PRIORITY = cells.Choice(Priority.choices)


def _hours(value):
    return cells.decimal(value)


class SupportRequestResource(TabularResource, resources.ModelResource):
    """Columns of the request spreadsheet. Import rows are handed to the service, never saved directly."""

    columns = COLUMNS
    sheet_name = _("Support requests")
    error_columns = {
        "organization": "organization_code",
        "requester": "requester_email",
        "category": "category_code",
    }
    organization_code = Field(attribute="organization__code", column_name="organization_code")
    requester_email = Field(attribute="requester__email", column_name="requester_email")
    category_code = Field(attribute="category__code", column_name="category_code")

    class Meta(TabularResource.Meta):
        model = SupportRequest
        fields = COLUMNS.codes
        export_order = COLUMNS.codes

    def preload(self):
        self.organizations = {o.code: o for o in Organization.objects.order_by()}
        self.categories = {c.code: c for c in RequestCategory.objects.order_by()}
        self.users = {u.email.lower(): u for u in get_user_model().objects.order_by()}

    def lookup_organization(self, value) -> Organization:
        return cells.lookup(self.organizations, value, _("No organisation has this code."))

    def lookup_user(self, value):
        return cells.lookup(self.users, value, _("No user has this e-mail address."), lower=True)

    def lookup_category(self, value) -> RequestCategory:
        return cells.lookup(self.categories, value, _("No category has this code."))

    def import_one(self, row: RowReader):
        values = {
            "organization": row.take("organization_code", self.lookup_organization, required=True),
            "requester": row.take("requester_email", self.lookup_user, required=True),
            "category": row.take("category_code", self.lookup_category, required=True),
            "phase": row.take("phase", PHASE, required=True),
            "status": row.take("status", STATUS, default=Status.CLOSED),
            "priority": row.take("priority", PRIORITY, default=Priority.NORMAL),
            "submitted_at": row.take("submitted_at", cells.datetime, required=True),
            "desired_start": row.take("desired_start", cells.date),
            "due_date": row.take("due_date", cells.date),
            "estimated_hours": row.take("estimated_hours", _hours),
            **{column: row.take(column, cells.datetime) for column in MILESTONES},
        }
        row.check()
        request, created = services.request_import(
            actor=self.actor,
            reference=row.text("reference"),
            title=row.text("title"),
            description=row.text("description"),
            rejection_reason=row.text("rejection_reason"),
            **values,
        )
        return (CREATED if created else UPDATED), request.reference


def import_requests(*, actor, content: bytes, filename: str, dry_run: bool, progress=None) -> ImportReport:
    """Dry run or real import of one file of requests (all-or-nothing)."""
    resource = SupportRequestResource(actor=actor)
    return run_tabular_import(
        resource, content=content, filename=filename, dry_run=dry_run, progress=progress
    )


def export_dataset(queryset, progress=None) -> tablib.Dataset:
    """The requests as a Dataset: headers, labels and dates in the active language (sheet 「支援依頼」)."""
    return SupportRequestResource().export_dataset(
        queryset.select_related("organization", "requester", "category"), progress=progress
    )


def export_queryset(user, filters: dict):
    """The requests `user` may export under the request list's filters (a query string's lists of values)."""
    from django.core.exceptions import PermissionDenied
    from django.http import QueryDict

    from support.filters import RequestFilter

    if not policies.sees_all_requests(user):
        raise PermissionDenied
    data = QueryDict(mutable=True)
    for name, values in filters.items():
        data.setlist(name, values)
    return RequestFilter(data or None, queryset=selectors.request_list_for(user), user=user).qs


def export_requests(*, user, filters: dict, progress=None) -> tablib.Dataset:
    """An export job's rows (core.tabular.export_jobs): the list's filters, scoped and checked again."""
    return export_dataset(export_queryset(user, filters), progress=progress)
