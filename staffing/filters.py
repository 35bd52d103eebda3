"""Filters of the workload board (kept in the URL; the keys are these declared fields only)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import BootstrapFilterSet
from skills import selectors as skills_selectors


class WorkloadFilter(BootstrapFilterSet):
    job_type = django_filters.ModelChoiceFilter(
        label=_("Job type"),
        field_name="job_type",
        to_field_name="code",
        queryset=lambda request: skills_selectors.job_type_list(),
        empty_label=_("All job types"),
    )
    over_capacity = django_filters.BooleanFilter(
        label=_("Only over capacity"), method="filter_over", widget=forms.CheckboxInput
    )

    def filter_over(self, queryset, name, value):
        return queryset.filter(over_capacity=True) if value else queryset
