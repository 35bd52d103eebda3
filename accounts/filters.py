import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from core.filters import BootstrapFilterSet
from core.models import AuditEvent


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditEventFilter(BootstrapFilterSet):
    """The accounts audit page's filters; the query itself is accounts.selectors.audit_event_list."""

    verb = django_filters.CharFilter(label=_("Event (or its start, e.g. auth.)"), method="filter_all")
    actor = django_filters.CharFilter(label=_("Actor e-mail"), method="filter_all")
    since = django_filters.DateFilter(label=_("From"), method="filter_all")
    until = django_filters.DateFilter(label=_("To (inclusive)"), method="filter_all")
    source_address = django_filters.CharFilter(label=_("Source address"), method="filter_all")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_all(self, queryset, name, value):
        return queryset  # every filter is applied together in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        until = data.get("until")
        return selectors.audit_event_list(
            verb=data.get("verb"),
            actor=data.get("actor"),
            since=_day_start(data["since"]) if data.get("since") else None,
            until=_day_start(until + datetime.timedelta(days=1)) if until else None,
            source_address=data.get("source_address"),
        )
