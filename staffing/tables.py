"""django-tables2 tables of the staffing pages (sortable on the declared columns only: allow-listed)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class WorkloadTable(tables.Table):
    """People × hours; over-capacity rows highlighted."""

    name = tables.Column(
        verbose_name=_("Name"), accessor="user__display_name", order_by=("user__display_name", "user__email")
    )
    job_type = tables.Column(
        verbose_name=_("Job type"), accessor="job_type", order_by=("job_type__name",), default="—"
    )
    capacity = tables.Column(verbose_name=_("Capacity (hours/week)"), accessor="capacity_hours_per_week")
    allocated = tables.Column(verbose_name=_("Allocated (hours/week)"))
    free = tables.Column(verbose_name=_("Free (hours/week)"))
    assignment_count = tables.Column(verbose_name=_("Active assignments"))
    load = tables.Column(verbose_name=_("Load"))

    class Meta:
        template_name = "tables/bootstrap5.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        row_attrs = {"class": lambda record: "over-capacity" if record.over_capacity else ""}
        orderable = True
        empty_text = _("Nobody in the talent pool yet.")

    def render_load(self, value, record):
        percent = round(value * 100)
        over = record.over_capacity
        css = "bg-danger" if over else ("bg-warning" if percent >= 80 else "bg-success")
        badge = (
            format_html('<span class="badge text-bg-danger">{}</span>', _("over capacity")) if over else ""
        )
        return format_html(
            '<div class="d-flex align-items-center gap-2"><div class="progress flex-grow-1" style="min-width:6rem" '
            'role="progressbar" aria-label="{}" aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
            '<div class="progress-bar {}" style="width: {}%"></div></div><span>{}%</span>{}</div>',
            _("Load"),
            percent,
            css,
            min(percent, 100),
            percent,
            badge,
        )


class MyAssignmentsTable(tables.Table):
    reference = tables.TemplateColumn(
        verbose_name=_("Reference"),
        accessor="request__reference",
        template_code="<a href=\"{% url 'support:request_detail' record.request.reference %}\">{{ value }}</a>",
    )
    title = tables.Column(verbose_name=_("Title"), accessor="request__title")
    organization = tables.Column(
        verbose_name=_("Requesting organisation"),
        accessor="request__organization",
        order_by=("request__organization__name",),
    )
    status = tables.Column(verbose_name=_("Status"), accessor="request__status")
    role = tables.Column(verbose_name=_("Role"))
    allocated_hours_per_week = tables.Column(verbose_name=_("Hours/week"))
    assigned_at = tables.DateTimeColumn(verbose_name=_("Assigned at"), format="Y-m-d")

    class Meta:
        template_name = "tables/bootstrap5.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        orderable = True
        empty_text = _("You have no active assignments.")

    def render_status(self, record):
        return record.request.get_status_display()

    def render_role(self, record):
        return record.get_role_display()
