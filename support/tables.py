import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.fiscal import TOKYO, today
from support.models import OPEN_STATUSES

STATUS_BADGES = {
    "submitted": "primary",
    "triaged": "info",
    "in_progress": "warning",
    "waiting_on_requester": "secondary",
    "resolved": "success",
    "closed": "dark",
    "rejected": "danger",
    "withdrawn": "light",
}


def _select_label(record):
    return _("Select %(reference)s") % {"reference": record.reference}


class RequestTable(tables.Table):
    #: The bulk actions' row selection (managers only; the views exclude it for everyone else). The checkboxes belong
    #: to the list's bulk form (`form="bulk-form"`), which posts them as `references`.
    select = tables.CheckBoxColumn(
        accessor="reference",
        attrs={
            "td__input": {
                "name": "references",
                "form": "bulk-form",
                "class": "form-check-input",
                "aria-label": _select_label,
            },
            "th__input": {
                "class": "form-check-input",
                "data-select-all": "references",
                "aria-label": _("Select every request on this page"),
            },
        },
    )
    reference = tables.Column(verbose_name=_("Reference"))
    title = tables.Column(verbose_name=_("Title"))
    organization = tables.Column(
        verbose_name=_("Organisation"), accessor="organization", order_by=("organization__code",)
    )
    category = tables.Column(verbose_name=_("Category"), accessor="category", order_by=("category__order",))
    phase = tables.Column(verbose_name=_("Project phase"))
    priority = tables.Column(verbose_name=_("Priority"))
    status = tables.Column(verbose_name=_("Status"))
    submitted_at = tables.Column(verbose_name=_("Submitted"))
    due_date = tables.Column(verbose_name=_("Due date"))
    # --- service levels (sla): the resolution due date, sortable, with the overdue badge ------------------------
    resolution_due = tables.Column(
        verbose_name=_("Resolution due"),
        order_by=("resolution_due", "pk"),
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta:
        template_name = "tables/bootstrap5.html"
        attrs = {"class": "table table-sm table-hover align-middle d-none d-md-table"}
        order_by = ()
        empty_text = _("No requests match.")

    def render_reference(self, value):
        # One reverse() per table instead of one per row (linkify): the list must stay fast at national scale.
        if not hasattr(self, "_detail_url"):
            self._detail_url = reverse("support:request_detail", args=["DX-0000-0000"])
        return format_html('<a href="{}">{}</a>', self._detail_url.replace("DX-0000-0000", value), value)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_BADGES.get(record.status, "secondary"),
            record.get_status_display(),
        )

    def render_priority(self, value, record):
        return record.get_priority_display()

    def render_phase(self, value, record):
        return record.get_phase_display()

    def render_submitted_at(self, value):
        return date_format(value.astimezone(TOKYO).date(), "SHORT_DATE_FORMAT")

    def render_resolution_due(self, value, record):
        if record.is_overdue(self._today()):
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', value.isoformat(), _("Overdue")
            )
        return value.isoformat()

    def _today(self):
        if not hasattr(self, "_today_value"):
            self._today_value = today()
        return self._today_value

    def render_due_date(self, value, record):
        text = date_format(value, "SHORT_DATE_FORMAT")
        if record.status in OPEN_STATUSES and value < today():
            return format_html('<span class="text-danger fw-bold">{}</span>', text)
        return text


class IctRequestTable(RequestTable):
    assignees = tables.Column(verbose_name=_("Assigned"), accessor="pk", orderable=False)
    estimated_hours = tables.Column(verbose_name=_("Est. hours"))

    class Meta(RequestTable.Meta):
        sequence = (
            "select",
            "reference",
            "title",
            "organization",
            "category",
            "phase",
            "priority",
            "status",
            "assignees",
            "estimated_hours",
            "submitted_at",
            "due_date",
            "resolution_due",
        )

    def render_assignees(self, record):
        people = getattr(record, "active_assignments", [])
        if not people:
            return "—"
        return format_html_join(", ", "{}", ((a.staff.user.label,) for a in people))


class TriageTable(RequestTable):
    skills = tables.Column(verbose_name=_("Required skills"), accessor="pk", orderable=False)
    estimated_hours = tables.Column(verbose_name=_("Est. hours"))

    class Meta(RequestTable.Meta):
        sequence = (
            "select",
            "reference",
            "title",
            "organization",
            "category",
            "phase",
            "priority",
            "status",
            "skills",
            "estimated_hours",
            "submitted_at",
            "due_date",
            "resolution_due",
        )

    def render_skills(self, record):
        rows = record.required_skills.all()
        if not rows:
            return "—"
        return format_html_join(", ", "{} ≥ {}", ((r.skill.localized_name, r.min_level) for r in rows))
