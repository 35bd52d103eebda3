"""Filters of the request lists (django-filter). Every key is declared here: nothing else from the URL is used."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from core.filters import BootstrapFilterSet
from core.fiscal import fiscal_year_label, fiscal_year_of, today
from support import selectors
from support.models import Phase, Priority, Status

FIRST_FISCAL_YEAR = 2015


def fiscal_year_choices():
    """Every fiscal year from the current one back to the first, newest first, after an "all years" choice."""
    current = fiscal_year_of(today())
    return [("", "---------")] + [
        (year, fiscal_year_label(year)) for year in range(current, FIRST_FISCAL_YEAR - 1, -1)
    ]


class CheckboxWidget(forms.CheckboxInput):
    """A checkbox that is on unless the form was sent with it off: a hidden "0" goes first, so a GET form sends
    "0" alone when unchecked and "0", "1" when checked; a link without the key leaves it on."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<input type="hidden" name="{}" value="0">', name) + super().render(
            name, value, attrs, renderer
        )

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return True
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return values[-1] not in ("0", "false", "False", "")


class RequestFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        distinct=False,  # a plain column filter: no join, no duplicates, so no SELECT DISTINCT
    )
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=None, to_field_name="code")
    phase = django_filters.ChoiceFilter(label=_("Project phase"), choices=Phase.choices)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices)
    organization_kind = django_filters.ChoiceFilter(
        label=_("Organisation kind"), field_name="organization__kind", choices=OrganizationKind.choices
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organization.objects.order_by("kind", "code"),
        to_field_name="code",
        method="filter_organization",
    )
    suborganizations = django_filters.BooleanFilter(
        label=_("Include sub-organisations"), method="filter_nothing", widget=CheckboxWidget
    )
    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), choices=fiscal_year_choices, coerce=int
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = selectors.category_list(active_only=False)

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__iexact=value) | Q(title__icontains=value))

    def filter_organization(self, queryset, name, value):
        """An organisation's requests; with 「下位組織を含む」 (on unless turned off) its departments' or sections'
        too."""
        if not value:
            return queryset
        with_children = self.form.cleaned_data.get("suborganizations", True) is not False
        return selectors.of_organization(queryset, value, include_sub_organizations=with_children)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_organization

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue(today())
