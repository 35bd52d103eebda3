import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

STATUS_BADGES = {"requested": "primary", "scheduled": "info", "held": "success", "declined": "secondary"}


class EngagementTable(tables.Table):
    starts_at = tables.DateTimeColumn(verbose_name=_("Date"), format="Y-m-d H:i")
    kind = tables.Column(verbose_name=_("Kind"))
    theme = tables.Column(verbose_name=_("Theme"))
    organizations = tables.Column(verbose_name=_("Organisations"), empty_values=(), orderable=False)
    participant_count = tables.Column(verbose_name=_("Participants"))
    satisfaction = tables.Column(verbose_name=_("Satisfaction"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        template_name = "tables/bootstrap5.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ()
        empty_text = _("No engagements match.")

    def render_theme(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("support:engagement_detail", args=[record.pk]), value
        )

    def render_kind(self, value, record):
        return record.get_kind_display()

    def render_organizations(self, record):
        names = [o.localized_name for o in record.organizations.all()]
        if len(names) > 3:
            return _("%(names)s and %(n)s more") % {"names": ", ".join(names[:3]), "n": len(names) - 3}
        return ", ".join(names)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_BADGES.get(record.status, "secondary"),
            record.get_status_display(),
        )
