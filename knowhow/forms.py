from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganizationKind
from knowhow.models import Case
from support.models import Phase, RequestCategory


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "problem", "actions", "lessons", "documents", "show_organization"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
            "documents": forms.Textarea(attrs={"rows": 2}),
        }


class CaseFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=RequestCategory.objects.order_by("order", "code"),
        required=False,
        to_field_name="code",
    )
    phase = forms.ChoiceField(
        label=_("Project phase"), choices=[("", "---------"), *Phase.choices], required=False
    )
    skill = forms.CharField(label=_("Skill code"), required=False, max_length=40)
    organization_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "---------"), *OrganizationKind.choices],
        required=False,
    )
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), required=False, min_value=2000, max_value=2100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["search"],
            "category": data["category"].code if data["category"] else "",
            "phase": data["phase"],
            "skill": data["skill"].strip().upper(),
            "organization_kind": data["organization_kind"],
            "fiscal_year": data["fiscal_year"],
        }


class LinkForm(forms.Form):
    other = forms.CharField(label=_("Related request (reference)"), max_length=20)
