from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.tabular.forms import TableFileField
from support import selectors
from support.attachments import ALLOWED_EXTENSIONS
from support.models import Priority, SupportRequest
from support.services._common import EDITABLE_FIELDS, MANAGER_FIELDS

ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


FILE_HELP = _("PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG; up to 20 MB each.")


def _engagement_label(engagement) -> str:
    when = engagement.starts_at.date().isoformat() if engagement.starts_at else "—"
    return f"{when} {engagement}"


class RequestForm(BootstrapFormMixin, forms.ModelForm):
    files = MultipleFileField(
        label=_("Attachments (specifications etc.)"), required=False, help_text=FILE_HELP
    )

    class Meta:
        model = SupportRequest
        fields = list(EDITABLE_FIELDS)  # what the requesting side may write (support.services)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "desired_start": forms.DateInput(),
            "due_date": forms.DateInput(),
        }

    def __init__(self, *args, organization=None, **kwargs):
        from support.selectors_engagements import engagements_linkable_to

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_list()
        for name in ("category", "phase"):
            self.fields[name].required = True
        if organization is None and self.instance.pk:
            organization = self.instance.organization
        linkable = engagements_linkable_to(getattr(organization, "pk", None))
        self.fields["engagement"].queryset = linkable
        self.fields["engagement"].help_text = _(
            "When this request came out of one of your organisation's engagements (a study session, a round "
            "table, an outreach consultation …), pick it."
        )
        self.fields["engagement"].label_from_instance = _engagement_label

    def clean(self):
        data = super().clean()
        start, due = data.get("desired_start"), data.get("due_date")
        if start and due and due < start:
            self.add_error(
                "due_date", forms.ValidationError(_("The due date cannot be before the desired start."))
            )
        return data

    def _post_clean(self):
        # The service validates the instance (and issues the reference); skip ModelForm's own instance checks.
        pass


class RequestEditForm(RequestForm):
    class Meta(RequestForm.Meta):
        fields = [*EDITABLE_FIELDS, *MANAGER_FIELDS]

    def __init__(self, *args, manager: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["files"]
        if not manager:
            del self.fields["priority"]
            del self.fields["estimated_hours"]


class TriageForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        initial="accept",
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=selectors.category_list(),
        help_text=_(
            "Correct it if the requester chose another one: the suggested skills follow the category."
        ),
        required=False,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL, required=False
    )
    estimated_hours = forms.DecimalField(
        label=_("Estimated hours"), max_digits=7, decimal_places=1, min_value=0, required=False
    )
    reason = forms.CharField(
        label=_("Reason for rejection (shown to the requester)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", forms.ValidationError(_("Give the requester a reason."), code="reason_required")
            )
        return data


class RequiredSkillForm(BootstrapFormMixin, forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Skill"), queryset=selectors.active_skills(), required=False, to_field_name="code"
    )
    min_level = forms.TypedChoiceField(
        label=_("Minimum level"), choices=[(n, n) for n in range(1, 6)], coerce=int, initial=3
    )
    weight = forms.TypedChoiceField(
        label=_("Weight"), choices=[(n, n) for n in range(1, 6)], coerce=int, initial=1
    )
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A row of the table has no visible label per control: each says what it is and on which row.
        row = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = (
                _("%(field)s (row %(row)s)") % {"field": field.label, "row": int(row) + 1}
                if row.isdigit()
                else str(field.label)
            )

    def skill_code(self) -> str | None:
        """The skill this row names now (what was posted, or the initial suggestion), as its code."""
        return self["skill"].value() or None


RequiredSkillFormSet = formset_factory(RequiredSkillForm, extra=3, max_num=20, validate_max=True)


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note (shown to the requester)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, targets=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        from support.models import Status

        choices = [(t, Status(t).label) for t in targets] or [(s.value, s.label) for s in Status]
        # The first, selected choice changes nothing: a move (reopening a resolved request above all) is explicit.
        keep = (
            _("— No change (now: %(status)s) —") % {"status": Status(current).label}
            if current
            else _("— Choose a status —")
        )
        self.fields["status"].choices = [("", keep), *choices]
        self.fields["status"].initial = ""


class CommentForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(label=_("Internal note (never shown to the requester)"), required=False)

    def __init__(self, *args, allow_internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_internal:
            del self.fields["internal"]


class AttachmentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=FILE_HELP, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    internal = forms.BooleanField(label=_("Internal (ICT side only)"), required=False)

    def __init__(self, *args, allow_internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_internal:
            del self.fields["internal"]


class EffortForm(BootstrapFormMixin, forms.Form):
    worked_on = forms.DateField(label=_("Date"), widget=forms.DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=2, min_value=0.25, max_value=24)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


def _optional_score(label) -> forms.TypedChoiceField:
    """A 1–5 answer that may be left out (the satisfaction dimensions)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("No answer"))] + [(n, n) for n in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class SatisfactionForm(BootstrapFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Satisfaction (1 = poor, 5 = excellent)"),
        choices=[(n, n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    frequency = _optional_score(_("Frequency of support (1 = too rare, 5 = just right)"))
    quality = _optional_score(_("Quality of support (1 = poor, 5 = excellent)"))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FollowUpForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. called the requester, met the department, changed the staff on the case."),
    )


class WithdrawForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Reason (optional)"), required=False)


class ImportForm(BootstrapFormMixin, forms.Form):
    file = TableFileField()
