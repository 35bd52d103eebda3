"""Forms of the skill map. Thin: they parse input; the services validate and write."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from core.fiscal import today
from core.forms import BootstrapFormMixin
from core.tabular.forms import TableFileField
from skills import selectors
from skills.models import Certification, Importance, JobType, Skill, SkillCategory
from skills.resources import KIND_LABELS
from skills.selectors.trainings import completed_trainings
from skills.training_models import TrainingAttendance

LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]


def level_choices():
    names = selectors.proficiency_levels()
    return [(n, f"{n} — {names[n].localized_name}" if n in names else str(n)) for n in range(1, 6)]


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown fields become form-wide errors)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


class FieldSetupMixin:
    """Runs `setup_fields()` (querysets, choices) right after Django builds the fields, before BootstrapFormMixin
    styles them. Order of bases: BootstrapFormMixin, FieldSetupMixin, forms.Form.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()

    def setup_fields(self) -> None:
        pass


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.category.localized_name} / {obj.localized_name} ({obj.code})"


class SelfAssessmentForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    skill = SkillChoiceField(label=_("Skill"), queryset=Skill.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=LEVEL_CHOICES)
    assessed_on = forms.DateField(label=_("Assessed on"), required=False, initial=today)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_certification = forms.ModelChoiceField(
        label=_("Evidence: certification"), queryset=Certification.objects.none(), required=False
    )
    evidence_reference = forms.CharField(
        label=_("Evidence: request reference"),
        required=False,
        max_length=32,
        help_text=_("e.g. DX-2025-0042"),
    )
    evidence_training = forms.ModelChoiceField(
        label=_("Evidence: training completed"), queryset=TrainingAttendance.objects.none(), required=False
    )

    def __init__(self, *args, staff=None, **kwargs):
        self.staff = staff
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["skill"].queryset = selectors.skill_list()
        self.fields["level"].choices = level_choices()
        if self.staff is not None:
            self.fields["evidence_certification"].queryset = selectors.certification_list(self.staff)
            self.fields["evidence_training"].queryset = completed_trainings(self.staff)


class InterestForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    skill = SkillChoiceField(label=_("Skill"), queryset=Skill.objects.none())
    wants_to_learn = forms.BooleanField(label=_("Wants to learn"), required=False)
    can_mentor = forms.BooleanField(label=_("Can mentor"), required=False)

    def setup_fields(self):
        self.fields["skill"].queryset = selectors.skill_list()


class CertificationForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    name = forms.CharField(label=_("Certification"), max_length=200)
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    obtained_on = forms.DateField(label=_("Obtained on"))
    expires_on = forms.DateField(label=_("Expires on"), required=False)
    skill = SkillChoiceField(label=_("Skill evidenced"), queryset=Skill.objects.none(), required=False)
    credential_id = forms.CharField(label=_("Credential ID"), max_length=100, required=False)

    def setup_fields(self):
        self.fields["skill"].queryset = selectors.skill_list()


class ManagerAssessmentForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    skill = SkillChoiceField(label=_("Skill"), queryset=Skill.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=LEVEL_CHOICES)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def setup_fields(self):
        self.fields["skill"].queryset = selectors.skill_list()
        self.fields["level"].choices = level_choices()


class AdjustForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    """The manager's own level for a pending self-assessment (a new assessment)."""

    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=LEVEL_CHOICES)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SkillForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    category = forms.ModelChoiceField(label=_("Skill category"), queryset=SkillCategory.objects.all())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, required=False)


class TargetSkillForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    job_type = forms.ModelChoiceField(label=_("Job type"), queryset=JobType.objects.all())
    skill = SkillChoiceField(label=_("Skill"), queryset=Skill.objects.none())
    target_level = forms.TypedChoiceField(label=_("Target level"), coerce=int, choices=LEVEL_CHOICES)
    importance = forms.TypedChoiceField(
        label=_("Importance"), coerce=int, choices=Importance.choices, initial=Importance.IMPORTANT
    )

    def setup_fields(self):
        self.fields["skill"].queryset = selectors.skill_list()


class ImportForm(BootstrapFormMixin, FieldSetupMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=list(KIND_LABELS.items()))
    file = TableFileField()
