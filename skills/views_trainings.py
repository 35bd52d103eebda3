"""Pages about trainings: the catalogue with its sessions (the pool and HR), and who was trained in which skill with
the effect on levels (HR, ICT managers); HR and managers record completions there."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import BootstrapFormMixin
from skills import training_policies as policies
from skills.models import StaffProfile
from skills.selectors import trainings as selectors
from skills.services.trainings import training_record_completion
from skills.training_models import TrainingSession


class CompletionForm(BootstrapFormMixin, forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Session"), queryset=TrainingSession.objects.select_related("course")
    )
    staff = forms.ModelChoiceField(
        label=gettext_lazy("Staff"), queryset=StaffProfile.objects.filter(active=True).select_related("user")
    )
    completed_on = forms.DateField(
        label=gettext_lazy("completed on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


@login_required
def training_list(request):
    if not policies.can_view_trainings(request.user):
        raise PermissionDenied
    records = policies.can_view_training_records(request.user)
    return render(
        request,
        "skills/training_list.html",
        {
            "courses": selectors.course_list(),
            "trained": selectors.trained_by_skill() if records else None,
            "form": CompletionForm() if policies.can_record_training_completion(request.user) else None,
        },
    )


@login_required
@require_POST
def training_complete(request):
    policies.can_record_training_completion.check(request.user)
    form = CompletionForm(request.POST)
    if form.is_valid():
        try:
            training_record_completion(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The completion was recorded."))
    else:
        messages.error(request, _("Choose a session and a person."))
    return redirect("skills:training_list")
