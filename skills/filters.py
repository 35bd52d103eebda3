"""The expert finder's filters (django-filter). Keys are allow-listed by the FilterSet itself."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from skills import selectors
from skills.models import JobType, Skill, StaffKind

REQUIREMENT_SLOTS = 3
LEVELS = [(n, f"≥ {n}") for n in range(1, 6)]


class ExpertSearchForm(BootstrapFormMixin, forms.Form):
    pass


class ExpertFilter(django_filters.FilterSet):
    """Skills with a minimum current level (up to three), job type, kind, free hours per week, name."""

    q = django_filters.CharFilter(label=_("Name or e-mail"), method="noop")
    job_type = django_filters.ModelChoiceFilter(
        label=_("Job type"), queryset=JobType.objects.all(), method="noop"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=StaffKind.choices, method="noop")
    available_hours = django_filters.NumberFilter(
        label=_("Available ≥ (h/week)"), method="noop", min_value=0, max_value=80
    )
    skill_1 = django_filters.ModelChoiceFilter(
        label=_("Skill 1"), queryset=Skill.objects.none(), to_field_name="code", method="noop"
    )
    min_1 = django_filters.TypedChoiceFilter(label=_("Level"), choices=LEVELS, coerce=int, method="noop")
    skill_2 = django_filters.ModelChoiceFilter(
        label=_("Skill 2"), queryset=Skill.objects.none(), to_field_name="code", method="noop"
    )
    min_2 = django_filters.TypedChoiceFilter(label=_("Level"), choices=LEVELS, coerce=int, method="noop")
    skill_3 = django_filters.ModelChoiceFilter(
        label=_("Skill 3"), queryset=Skill.objects.none(), to_field_name="code", method="noop"
    )
    min_3 = django_filters.TypedChoiceFilter(label=_("Level"), choices=LEVELS, coerce=int, method="noop")

    class Meta:
        form = ExpertSearchForm
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        self.user = user
        super().__init__(data, *args, **kwargs)
        skills = selectors.skill_list()
        for index in range(1, REQUIREMENT_SLOTS + 1):
            self.filters[f"skill_{index}"].queryset = skills
        self.filters["job_type"].queryset = selectors.job_type_list().prefetch_related(None)

    def noop(self, queryset, name, value):
        return queryset

    def requirements(self) -> list[tuple[Skill, int]]:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        result = []
        for index in range(1, REQUIREMENT_SLOTS + 1):
            skill = data.get(f"skill_{index}")
            if skill is not None:
                result.append((skill, int(data.get(f"min_{index}") or 1)))
        return result

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.expert_search_for(
            self.user,
            requirements=[
                selectors.SkillRequirement(skill.pk, level) for skill, level in self.requirements()
            ],
            job_type_id=data["job_type"].pk if data.get("job_type") else None,
            kind=data.get("kind") or None,
            available_hours=data.get("available_hours"),
            search=data.get("q") or None,
        )
