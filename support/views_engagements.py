"""Pages of the municipal pillar: engagements (list, record, detail, schedule / decline / outcome, materials),
asking for an outreach consultation, and the 360° view of an organisation (the coverage list is a report:
reports/views_progress.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ModelForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.files import private_download
from support import engagement_policies as policies
from support import selectors_engagements as selectors
from support.engagement_forms import (
    DeclineForm,
    EngagementEditForm,
    EngagementFilter,
    EngagementForm,
    OutcomeForm,
    OutreachRequestForm,
    ScheduleForm,
)
from support.engagement_tables import EngagementTable
from support.services import engagements as services
from support.views import PAGE_SIZES, _add_errors, _allowed, _page_size, submit_form


def _get_or_404(user, pk):
    engagement = selectors.engagement_get_for(user, pk)
    if engagement is None:
        raise Http404(_("No such engagement."))
    return engagement


@login_required
def engagement_list(request):
    user = request.user
    if not policies.can_list_engagements(user):
        raise PermissionDenied
    filterset = EngagementFilter(request.GET or None, queryset=selectors.engagement_list_for(user))
    table = EngagementTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": _page_size(request)}).configure(table)
    return render(
        request,
        "support/engagement_list.html",
        {
            "filter": filterset,
            "table": table,
            "page_sizes": PAGE_SIZES,
            "can_record": policies.can_record_engagement(user),
            "can_request_outreach": policies.can_request_outreach(user),
            "outreach_queue": list(selectors.outreach_queue()) if policies.sees_all_engagements(user) else [],
        },
    )


@login_required
def engagement_create(request):
    policies.can_record_engagement.check(request.user)
    form = EngagementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The engagement was recorded."))
            return redirect("support:engagement_detail", engagement.pk)
    return render(request, "support/engagement_form.html", {"form": form, "title": _("Record an engagement")})


@login_required
def engagement_edit(request, pk: int):
    engagement = _get_or_404(request.user, pk)
    if not _allowed(request, policies.can_edit_engagement, engagement):
        return redirect("support:engagement_detail", pk)
    form = EngagementEditForm(request.POST or None, request.FILES or None, instance=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(actor=request.user, engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The engagement was updated."))
            return redirect("support:engagement_detail", pk)
    return render(
        request,
        "support/engagement_form.html",
        {"form": form, "title": _("Edit the engagement"), "engagement": engagement},
    )


@login_required
def outreach_request(request):
    policies.can_request_outreach.check(request.user)
    form = OutreachRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.outreach_request(
                actor=request.user,
                theme=form.cleaned_data["theme"],
                description=form.cleaned_data["description"],
                proposed_dates=form.proposed_dates(),
            )
        except ValidationError as error:
            _add_errors(form, error, rename={"proposed_dates": "date_1"})
        else:
            messages.success(request, _("Your request for an outreach consultation was sent."))
            return redirect("support:engagement_detail", engagement.pk)
    return render(
        request,
        "support/engagement_form.html",
        {"form": form, "title": _("Ask for an outreach consultation")},
    )


@login_required
def engagement_detail(request, pk: int):
    user = request.user
    engagement = _get_or_404(user, pk)
    return render(
        request,
        "support/engagement_detail.html",
        {
            "engagement": engagement,
            "materials": list(engagement.materials.all()),
            "requests": list(selectors.requests_of_engagement_for(user, engagement)),
            "schedule_form": ScheduleForm() if policies.can_schedule_engagement(user, engagement) else None,
            "decline_form": DeclineForm() if policies.can_decline_engagement(user, engagement) else None,
            "can_edit": policies.can_edit_engagement(user, engagement),
            "outcome_form": OutcomeForm(instance=engagement)
            if policies.can_record_outcome(user, engagement)
            else None,
        },
    )


def _engagement_post(rule, form_class, service, **texts):
    """A POST on an engagement page (schedule, decline, outcome): the rule, then the form and the service
    (`service(actor=, engagement=, **cleaned_data)`), then back to the engagement. A model form edits a copy of
    its own (the service re-reads the engagement under lock)."""

    @login_required
    @require_POST
    def view(request, pk: int):
        engagement = _get_or_404(request.user, pk)
        if _allowed(request, rule, engagement):
            own = {"instance": _get_or_404(request.user, pk)} if issubclass(form_class, ModelForm) else {}
            submit_form(
                request,
                form_class(request.POST, request.FILES, **own),
                lambda data: service(actor=request.user, engagement=engagement, **data),
                **texts,
            )
        return redirect("support:engagement_detail", pk)

    return view


engagement_schedule, engagement_decline, engagement_outcome = (
    _engagement_post(rule, form_class, service, success=success, invalid=invalid)
    for rule, form_class, service, success, invalid in (
        (policies.can_schedule_engagement, ScheduleForm, services.engagement_schedule,
         gettext_lazy("The engagement was scheduled."), gettext_lazy("Give the date and time.")),
        (policies.can_decline_engagement, DeclineForm, services.engagement_decline,
         gettext_lazy("The request was declined."), gettext_lazy("Say why the request is declined.")),
        (policies.can_record_outcome, OutcomeForm, services.engagement_record_outcome,
         gettext_lazy("The outcome was recorded."), None),
    )
)  # fmt: skip


@login_required
def engagement_material(request, pk: int, material: int):
    engagement = _get_or_404(request.user, pk)
    found = selectors.material_get_for(request.user, engagement, material)
    if found is None:
        raise Http404(_("No such file."))
    return private_download(found.file, filename=found.original_name, content_type=found.content_type)


@login_required
def organization_overview(request, code: str):
    overview = selectors.organization_overview_for(request.user, code)
    if overview is None:
        raise Http404(_("No such organisation."))
    return render(request, "support/organization_overview.html", {"o": overview})
