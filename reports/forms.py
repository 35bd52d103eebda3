from django import forms
from django.utils.translation import gettext_lazy as _

from core import fiscal
from core.forms import BootstrapFormMixin
from reports.coverage import GROUP_JOB_TYPE, GROUP_ORGANIZATION
from reports.periods import default_period

FIRST_FISCAL_YEAR = 2015


def fiscal_year_choices() -> list[tuple[int, str]]:
    current, _quarter = default_period()
    return [(year, fiscal.fiscal_year_label(year)) for year in range(current + 1, FIRST_FISCAL_YEAR - 1, -1)]


QUARTER_CHOICES = [(1, _("Q1 (April–June)")), (2, _("Q2 (July–September)")), (3, _("Q3 (October–December)")),
                   (4, _("Q4 (January–March)"))]  # fmt: skip


class PeriodForm(BootstrapFormMixin, forms.Form):
    """The period selector of the reports (GET parameters fy, q; allow-listed)."""

    fy = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, choices=fiscal_year_choices, required=False
    )
    q = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=QUARTER_CHOICES, required=False)

    def period(self) -> tuple[int, int]:
        """The chosen fiscal year and quarter; the current ones for whatever is missing or invalid."""
        fy, q = default_period()
        if self.is_valid():
            fy = self.cleaned_data.get("fy") or fy
            q = self.cleaned_data.get("q") or q
        return fy, q


class CoverageForm(PeriodForm):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        choices=[(GROUP_JOB_TYPE, _("Job type")), (GROUP_ORGANIZATION, _("Organisation"))],
        required=False,
    )
    level = forms.TypedChoiceField(
        label=_("Level in the group table"),
        coerce=int,
        choices=[(n, f"≥ L{n}") for n in range(1, 6)],
        required=False,
    )
    skill = forms.SlugField(label=_("Reskilling candidates for skill"), required=False, max_length=40)

    def group_by_value(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("group_by")) or GROUP_JOB_TYPE

    def level_value(self) -> int:
        return (self.is_valid() and self.cleaned_data.get("level")) or 3

    def skill_value(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("skill")) or ""
