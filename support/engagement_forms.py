"""Forms and filters of the engagement pages."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.filters import BootstrapFilterSet
from core.forms import BootstrapFormMixin
from skills.models import StaffProfile
from support.engagement_models import Engagement, EngagementKind, EngagementStatus
from support.filters import fiscal_year_choices
from support.forms import FILE_HELP, MultipleFileField

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EngagementForm(BootstrapFormMixin, forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME, required=False)
    organizations = forms.ModelMultipleChoiceField(
        label=_("organisations taking part"),
        queryset=Organization.objects.filter(active=True).order_by("kind", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("staff who ran it"),
        queryset=StaffProfile.objects.filter(active=True).select_related("user"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    files = MultipleFileField(label=_("Materials"), required=False, help_text=FILE_HELP)

    class Meta:
        model = Engagement
        fields = [
            "kind",
            "theme",
            "starts_at",
            "ends_at",
            "organizations",
            "description",
            "participant_count",
            "participant_names",
            "staff",
            "outcomes",
            "follow_ups",
            "satisfaction",
        ]


class EngagementEditForm(EngagementForm):
    """Correcting a recorded engagement (outcomes have their own form)."""

    class Meta(EngagementForm.Meta):
        fields = [
            name
            for name in EngagementForm.Meta.fields
            if name not in ("outcomes", "follow_ups", "satisfaction")
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("organizations", list(self.instance.organizations.all()))
            self.initial.setdefault("staff", list(self.instance.staff.all()))


class OutreachRequestForm(BootstrapFormMixin, forms.Form):
    theme = forms.CharField(label=_("theme"), max_length=200)
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    date_1 = forms.DateField(label=_("Proposed date 1"), widget=forms.DateInput(attrs={"type": "date"}))
    date_2 = forms.DateField(
        label=_("Proposed date 2"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    date_3 = forms.DateField(
        label=_("Proposed date 3"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def proposed_dates(self):
        return [self.cleaned_data.get(f"date_{n}") for n in (1, 2, 3)]


class ScheduleForm(BootstrapFormMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason for declining"), widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(BootstrapFormMixin, forms.ModelForm):
    files = MultipleFileField(label=_("Materials"), required=False, help_text=FILE_HELP)

    class Meta:
        model = Engagement
        fields = ["participant_count", "participant_names", "outcomes", "follow_ups", "satisfaction"]


class EngagementFilter(BootstrapFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EngagementKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EngagementStatus.choices)
    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), choices=fiscal_year_choices, coerce=int
    )
    q = django_filters.CharFilter(label=_("Search"), field_name="theme", lookup_expr="icontains")
