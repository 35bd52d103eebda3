"""Pages for support requests. Thin: parse, ask the policy, call a selector or service, render.

Over 400 lines because it holds one short function per page of the whole request lifecycle (list, triage, form,
detail and its seven POST actions, download, import/export); each asks support.policies and calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.files import private_download
from core.pagination import CappedCountPaginator
from support import lifecycle, policies, selectors, services
from support.filters import RequestFilter
from support.forms import (
    AttachmentForm,
    CommentForm,
    EffortForm,
    ImportForm,
    RequestEditForm,
    RequestForm,
    RequiredSkillFormSet,
    SatisfactionForm,
    StatusForm,
    TriageForm,
    WithdrawForm,
)
from support.models import Priority, SatisfactionResponse, Status
from support.tables import IctRequestTable, RequestTable, TriageTable
from support.views_satisfaction import satisfaction_follow_up_context

PAGE_SIZES = (25, 50, 100)


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def _paginate(request) -> dict:
    """Pages of the request lists: a count capped at 10,000 ("10,000+") and pages read key-first, so that any page
    of 100,000 requests costs about the same (core.pagination)."""
    return {"per_page": _page_size(request), "paginator_class": CappedCountPaginator}


def _get_request_or_404(user, reference: str):
    found = selectors.request_get_for(user, reference=reference)
    if found is None:
        raise Http404(_("No such request."))
    return found


def _add_errors(form, error: ValidationError, rename: dict | None = None) -> None:
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = rename.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _allowed(request, rule, *args, **kwargs) -> bool:
    """Ask a policy rule before acting: not yours to do → 403 (PermissionDenied propagates); not possible in the
    request's state now → the reason is flashed and the caller redirects."""
    try:
        rule.check(request.user, *args, **kwargs)
    except ValidationError as error:
        _flash_errors(request, error)
        return False
    return True


# --- lists -------------------------------------------------------------------------------------------------------


@login_required
def request_list(request):
    user = request.user
    if not policies.can_list_requests(user):
        raise PermissionDenied
    filterset = RequestFilter(request.GET or None, queryset=selectors.request_list_for(user), user=user)
    table_class = IctRequestTable if policies.sees_all_requests(user) else RequestTable
    table = table_class(filterset.qs)
    RequestConfig(request, paginate=_paginate(request)).configure(table)
    return render(
        request,
        "support/request_list.html",
        {
            "filter": filterset,
            "table": table,
            "page_sizes": PAGE_SIZES,
            "mine": list(selectors.my_assigned_requests(user)[:20]),
            "can_export": policies.can_export(user),
            "can_import": policies.can_import(user),
        },
    )


@login_required
def triage_queue(request):
    user = request.user
    if not policies.can_triage(user):
        raise PermissionDenied
    data = request.GET.copy()
    if "status" not in data and not data.get("_all"):
        data.setlist("status", [Status.SUBMITTED])
    filterset = RequestFilter(data, queryset=selectors.triage_queue_for(user), user=user)
    table = TriageTable(filterset.qs)
    RequestConfig(request, paginate=_paginate(request)).configure(table)
    return render(
        request, "support/triage_queue.html", {"filter": filterset, "table": table, "page_sizes": PAGE_SIZES}
    )


# --- create / edit -----------------------------------------------------------------------------------------------


@login_required
def request_create(request):
    if not policies.can_submit(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            created = services.request_submit(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error, {"file": "files"})
        else:
            messages.success(
                request, _("Request %(reference)s was filed.") % {"reference": created.reference}
            )
            return redirect("support:request_detail", created.reference)
    return render(request, "support/request_form.html", {"form": form, "title": _("New support request")})


@login_required
def request_edit(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_edit, support_request):
        return redirect("support:request_detail", reference)
    manager = policies.can_triage(request.user)
    form = RequestEditForm(request.POST or None, instance=support_request, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(actor=request.user, request=support_request, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The request was updated."))
            return redirect("support:request_detail", reference)
    return render(
        request,
        "support/request_form.html",
        {
            "form": form,
            "title": _("Edit %(reference)s") % {"reference": reference},
            "support_request": support_request,
        },
    )


# --- detail ------------------------------------------------------------------------------------------------------


@login_required
def request_detail(request, reference: str):
    user = request.user
    support_request = _get_request_or_404(user, reference)
    ict = policies.sees_internal(user)
    targets = lifecycle.allowed_targets(user, support_request)
    targets = [t for t in targets if t not in (Status.WITHDRAWN, Status.TRIAGED, Status.REJECTED)]
    try:
        satisfaction = support_request.satisfaction
    except SatisfactionResponse.DoesNotExist:
        satisfaction = None
    context = {
        "r": support_request,
        "ict": ict,
        "timeline": selectors.timeline_for(user, support_request),
        "attachments": selectors.attachment_list_for(user, support_request),
        "durations": selectors.durations(support_request),
        "assignments": support_request.active_assignments,
        "required_skills": support_request.required_skills.all() if ict else [],
        "efforts": selectors.effort_list_for(user, support_request) if ict else [],
        "satisfaction": satisfaction,
        "status_form": StatusForm(targets=targets) if targets else None,
        "comment_form": CommentForm(allow_internal=policies.can_write_internal(user, support_request))
        if policies.can_comment(user, support_request)
        else None,
        "attachment_form": AttachmentForm(allow_internal=policies.can_write_internal(user, support_request))
        if policies.can_attach(user, support_request)
        else None,
        "effort_form": EffortForm() if policies.can_log_effort(user, support_request) else None,
        "satisfaction_form": SatisfactionForm() if policies.can_rate(user, support_request) else None,
        **satisfaction_follow_up_context(user, support_request),
        "can_withdraw": policies.can_withdraw(user, support_request),
        "withdraw_form": WithdrawForm(),
        "can_edit": policies.can_edit(user, support_request),
        "can_triage": policies.can_triage_request(user, support_request),
    }
    return render(request, "support/request_detail.html", context)


@login_required
def request_triage(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_triage_request, support_request):
        return redirect("support:request_detail", reference)
    initial = {"priority": support_request.priority, "estimated_hours": support_request.estimated_hours}
    form = TriageForm(request.POST or None, initial=initial)
    skill_initial = [
        {"skill": r.skill, "min_level": r.min_level, "weight": r.weight, "mandatory": r.mandatory}
        for r in support_request.required_skills.all()
    ]
    # No required skills yet: pre-fill the category's suggestions (profile + history), unless the manager cleared them.
    suggest = not skill_initial and request.GET.get("suggest") != "off"
    suggestions = selectors.category_skill_suggestions(support_request.category) if suggest else []
    if suggest:
        skill_initial = [
            {"skill": s.skill, "min_level": s.min_level, "weight": s.weight, "mandatory": s.mandatory}
            for s in suggestions
        ]
    formset = RequiredSkillFormSet(request.POST or None, initial=skill_initial, prefix="skills")
    by_code = {s.skill.code: s for s in suggestions}
    rows = [(f, by_code.get(f.skill_code())) for f in formset]
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        required = [f.cleaned_data for f in formset if f.cleaned_data.get("skill")]
        try:
            services.request_triage(
                actor=request.user,
                request=support_request,
                accept=data["decision"] == "accept",
                priority=data.get("priority") if data.get("priority") is not None else Priority.NORMAL,
                estimated_hours=data.get("estimated_hours"),
                required_skills=required,
                reason=data.get("reason") or "",
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The triage decision was saved."))
            return redirect("support:request_detail", reference)
    return render(
        request,
        "support/triage_form.html",
        {
            "r": support_request,
            "form": form,
            "formset": formset,
            "rows": rows,
            "suggested": bool(suggestions),
            "cleared": request.GET.get("suggest") == "off",
        },
    )


@login_required
@require_POST
def request_status(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not lifecycle.actors_of(request.user, support_request):
        raise PermissionDenied  # the move itself is asked of policies.can_move by the service
    form = StatusForm(request.POST, targets=[s.value for s in Status])
    if form.is_valid():
        try:
            services.request_change_status(
                actor=request.user,
                request=support_request,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The status was changed."))
        except ValidationError as error:
            _flash_errors(request, error)
    else:
        messages.error(request, _("Choose a status."))
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def request_withdraw(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_withdraw, support_request):
        return redirect("support:request_detail", reference)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.request_withdraw(
            actor=request.user, request=support_request, note=form.cleaned_data.get("note", "")
        )
        messages.success(request, _("The request was withdrawn."))
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def comment_create(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    form = CommentForm(
        request.POST, allow_internal=policies.can_write_internal(request.user, support_request)
    )
    internal = form.is_valid() and form.cleaned_data.get("internal", False)
    if not _allowed(request, policies.can_comment, support_request, internal=internal):
        return redirect("support:request_detail", reference)
    if form.is_valid():
        try:
            services.comment_add(
                actor=request.user,
                request=support_request,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
            )
            messages.success(request, _("Your comment was added."))
        except ValidationError as error:
            _flash_errors(request, error)
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def attachment_upload(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    form = AttachmentForm(
        request.POST, request.FILES, allow_internal=policies.can_write_internal(request.user, support_request)
    )
    internal = form.is_valid() and form.cleaned_data.get("internal", False)
    if not _allowed(request, policies.can_attach, support_request, internal=internal):
        return redirect("support:request_detail", reference)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                request=support_request,
                file=form.cleaned_data["file"],
                internal=form.cleaned_data.get("internal", False),
            )
            messages.success(request, _("The file was attached."))
        except ValidationError as error:
            _flash_errors(request, error)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("support:request_detail", reference)


@login_required
def attachment_download(request, reference: str, pk: int):
    support_request = _get_request_or_404(request.user, reference)
    attachment = selectors.attachment_get_for(request.user, support_request, pk)
    if attachment is None or not policies.can_view_entry(request.user, attachment):
        raise Http404(_("No such file."))
    return private_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def effort_create(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_log_effort, support_request):
        return redirect("support:request_detail", reference)
    form = EffortForm(request.POST)
    if form.is_valid():
        try:
            services.effort_log_add(actor=request.user, request=support_request, **form.cleaned_data)
            messages.success(request, _("The effort was logged."))
        except ValidationError as error:
            _flash_errors(request, error)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def satisfaction_create(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_rate, support_request):
        return redirect("support:request_detail", reference)
    form = SatisfactionForm(request.POST)
    if form.is_valid():
        try:
            services.satisfaction_submit(actor=request.user, request=support_request, **form.cleaned_data)
            messages.success(request, _("Thank you for your rating."))
        except ValidationError as error:
            _flash_errors(request, error)
    else:
        messages.error(request, _("Choose a score from 1 to 5."))
    return redirect("support:request_detail", reference)


# --- import / export ---------------------------------------------------------------------------------------------


@login_required
def request_export(request):
    """?format=csv|xlsx; CSV in UTF-8 with BOM, or &encoding=sjis for Shift_JIS (CP932). Japanese headers.
    More than EXPORT_JOB_THRESHOLD_ROWS rows: a job builds the file and its page offers it when ready."""
    from core.tabular import export_jobs
    from support.resources import export_dataset, export_queryset

    filters = {name: values for name, values in request.GET.lists() if name not in ("format", "encoding")}
    queryset = export_queryset(request.user, filters)
    return export_jobs.respond(
        request,
        rows=queryset.count(),
        build=lambda: export_dataset(queryset),
        app="support",
        builder="support.resources.export_requests",
        args={"filters": filters},
        basename="support-requests",
        title=gettext_noop("Export requests"),
    )


@login_required
def request_import(request):
    """Step 1: upload a file; a job checks it (dry run) and its page shows every row's outcome and every error."""
    from core.tabular import jobs as import_jobs

    if not policies.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_jobs.start(
            user=request.user,
            app="support",
            runner="support.resources.import_requests",
            content=upload.read(),
            filename=upload.name,
            title="Import requests",  # translated on the job page
            confirm_url="support:request_import_confirm",
            again_url="support:request_import",
        )
        return redirect("core:import_job", job.pk)
    return render(request, "support/import.html", {"form": form})


@login_required
@require_POST
def request_import_confirm(request):
    """Step 2: a job imports the file checked in step 1 (kept server-side) — all or nothing."""
    from core.tabular import jobs as import_jobs

    if not policies.can_import(request.user):
        raise PermissionDenied
    job = import_jobs.confirm(user=request.user, app="support", job_id=request.POST.get("token", ""))
    if job is None:
        messages.error(request, _("The import expired; upload the file again."))
        return redirect("support:request_import")
    return redirect("core:import_job", job.pk)
