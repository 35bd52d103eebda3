"""django-tables2 tables of the skill map. Sorting is allow-listed by the tables' own columns."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from skills.models import StaffProfile


class LevelColumn(tables.Column):
    def render(self, value):
        return format_html('<span class="badge text-bg-primary">L{}</span>', value)


class ExpertTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), accessor="user__display_name", order_by=("user__display_name", "user__email")
    )
    job_type = tables.Column(verbose_name=_("Job type"), accessor="job_type", order_by=("job_type__order",))
    kind = tables.Column(verbose_name=_("Kind"))
    grade = tables.Column(verbose_name=_("Grade"))
    capacity_hours_per_week = tables.Column(
        verbose_name=_("Capacity (h/week)"), attrs={"td": {"class": "text-end"}}
    )
    available_hours = tables.Column(verbose_name=_("Available (h/week)"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = StaffProfile
        fields = ()
        sequence = ("name", "job_type", "kind", "grade", "capacity_hours_per_week", "available_hours", "...")
        empty_text = _("Nobody matches these conditions.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def __init__(self, *args, requirements=(), **kwargs):
        extra = [
            (
                f"level_{index}",
                LevelColumn(verbose_name=f"{skill.localized_name} ≥ {level}", accessor=f"level_{index}"),
            )
            for index, (skill, level) in enumerate(requirements)
        ]
        super().__init__(*args, extra_columns=extra, **kwargs)

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("skills:staff_detail", args=[record.pk]),
            value or record.user.email,
        )

    def value_name(self, value, record):
        return value or record.user.email

    def render_kind(self, record):
        return record.get_kind_display()
