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
    skill = forms.CharField(
        label=_("Reskilling candidates for skill"),
        required=False,
        max_length=100,
        help_text=_("Type part of a skill's name or code and pick it from the list."),
    )

    def group_by_value(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("group_by")) or GROUP_JOB_TYPE

    def level_value(self) -> int:
        return (self.is_valid() and self.cleaned_data.get("level")) or 3

    def skill_value(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("skill")) or ""


class SatisfactionReportForm(BootstrapFormMixin, forms.Form):
    """The satisfaction report's choices (GET fy, q — empty for the whole year —, roll_up)."""

    fy = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, choices=fiscal_year_choices, required=False
    )
    q = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year"))] + QUARTER_CHOICES,
        required=False,
    )
    roll_up = forms.TypedChoiceField(
        label=_("Organisations"),
        coerce=lambda value: value == "1",
        choices=[
            ("1", _("Departments and sections with their bureau or municipality")),
            ("0", _("Each one")),
        ],
        required=False,
        empty_value=True,
    )

    def choices(self) -> tuple[int, int | None, bool]:
        """(fiscal year, quarter or None, roll up): the current fiscal year, the whole year, rolled up by default."""
        fy, _q = default_period()
        if not self.is_bound or not self.is_valid():
            return fy, None, True
        return self.cleaned_data.get("fy") or fy, self.cleaned_data.get("q"), self.cleaned_data["roll_up"]
