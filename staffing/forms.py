"""Forms of the staffing pages: thin parsing; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from support.models import AssignmentRole


def hours_per_week_field(**kwargs) -> forms.DecimalField:
    """Hours per week of an assignment: 0.5 to 80, one decimal (staffing.services checks them again)."""
    options = {"label": _("Hours/week"), "min_value": Decimal("0.5"), "max_value": Decimal("80")}
    return forms.DecimalField(**(options | {"decimal_places": 1, "max_digits": 4} | kwargs))


class CandidateFilterForm(BootstrapFormMixin, forms.Form):
    """Filters of the candidates page (kept in the URL)."""

    include_full = forms.BooleanField(label=_("Include people at capacity"), required=False)
    job_type = forms.ModelChoiceField(
        label=_("Job type"),
        queryset=None,
        required=False,
        empty_label=_("All job types"),
        to_field_name="code",
    )
    limit = forms.TypedChoiceField(
        label=_("Show"),
        choices=[(10, "10"), (20, "20"), (50, "50"), (100, "100")],
        coerce=int,
        required=False,
        empty_value=20,
    )

    def __init__(self, *args, job_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_type"].queryset = job_types


class AssignForm(BootstrapFormMixin, forms.Form):
    """One click: a person, a role, hours per week, and a reason only when exceeding capacity on purpose."""

    staff = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.MEMBER)
    hours = hours_per_week_field()
    override_reason = forms.CharField(
        label=_("Reason for exceeding capacity"), required=False, max_length=500, strip=True
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class BacklogRowForm(BootstrapFormMixin, forms.Form):
    """One row of the backlog plan: the request, the person chosen (blank = leave unassigned), hours."""

    request = forms.CharField(widget=forms.HiddenInput)
    staff = forms.CharField(label=_("Lead"), required=False, widget=forms.Select)
    hours = hours_per_week_field()
    #: The team partner the request's team rule asks for (a member beside the lead); unticked = lead alone.
    partner = forms.CharField(required=False, widget=forms.HiddenInput)
    partner_hours = forms.DecimalField(
        required=False, min_value=Decimal("0.5"), max_value=Decimal("80"), widget=forms.HiddenInput
    )
    with_partner = forms.BooleanField(label=_("With the team partner"), required=False)

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = [("", _("— leave unassigned —")), *staff_choices]


BacklogFormSet = forms.formset_factory(BacklogRowForm, extra=0, max_num=1000, absolute_max=1000)


class BulkActionForm(BootstrapFormMixin, forms.Form):
    """Bulk actions on the request lists (staffing.bulk): the action and what it needs; the rows come as
    `references`. `step` is "choose" (from the list), "preview" (parameters given) or "confirm" (do it)."""

    action = forms.ChoiceField(label=_("Action"), choices=())
    staff = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=(), required=False, initial="auto")
    hours = hours_per_week_field(required=False, initial=Decimal("4"))
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=(), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, strip=True)

    def __init__(self, *args, staff_queryset, **kwargs):
        from staffing.bulk import ACTIONS, AUTO_ROLE
        from support.models import Priority

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(ACTIONS.items())
        self.fields["staff"].queryset = staff_queryset
        self.fields["role"].choices = [
            (AUTO_ROLE, _("Lead if none yet, otherwise member")),
            *AssignmentRole.choices,
        ]
        self.fields["priority"].choices = [("", "---------"), *Priority.choices]

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "action": data["action"],
            "staff": data.get("staff"),
            "role": data.get("role") or "auto",
            "hours": data.get("hours"),
            "priority": data.get("priority"),
            "note": data.get("note") or "",
        }
