import json

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent


def event_details(event: AuditEvent) -> str:
    """The event's data without the source address (a column of its own), as compact JSON."""
    data = {key: value for key, value in (event.data or {}).items() if key != "source_address"}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) if data else ""


class AuditEventTable(tables.Table):
    created = tables.DateTimeColumn(verbose_name=_("Time"), format="Y-m-d H:i:s")
    verb = tables.Column(verbose_name=_("Event"))
    actor = tables.Column(verbose_name=_("Actor"), accessor="actor__email", default="—", orderable=False)
    target = tables.Column(verbose_name=_("Target"), empty_values=(), orderable=False)
    source_address = tables.Column(
        verbose_name=_("Source address"), accessor="data__source_address", default="", orderable=False
    )
    details = tables.Column(verbose_name=_("Details"), empty_values=(), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ("created", "verb", "actor", "target", "source_address", "details")
        template_name = "tables/bootstrap5.html"
        attrs = {"class": "table table-sm table-hover align-middle small"}
        order_by = ()
        empty_text = _("No events match.")

    def render_target(self, record):
        if not record.target_type_id:
            return "—"
        return f"{record.target_type.model}:{record.target_id}"

    def render_details(self, record):
        return event_details(record)
