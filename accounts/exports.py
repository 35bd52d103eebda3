"""Downloads of the accounts audit (core.tabular: .xlsx, CSV in UTF-8 with BOM or Shift_JIS; headers and dates in the
user's language)."""

import tablib
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tables import event_details
from core.tabular.columns import Column, Columns

AUDIT_COLUMNS = Columns(
    Column("created", _("Time")),
    Column("verb", _("Event")),
    Column("actor", _("Actor")),
    Column("target", _("Target")),
    Column("source_address", _("Source address")),
    Column("details", _("Details")),
)


def audit_events_dataset(queryset) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[column.header for column in AUDIT_COLUMNS], title=str(_("Accounts audit"))
    )
    for event in queryset.iterator(chunk_size=2000):
        dataset.append(
            [
                timezone.localtime(event.created).replace(microsecond=0),
                event.verb,
                event.actor.email if event.actor_id else "",
                f"{event.target_type.model}:{event.target_id}" if event.target_type_id else "",
                (event.data or {}).get("source_address", ""),
                event_details(event),
            ]
        )
    return dataset
