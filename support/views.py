"""Pages for support requests. Thin: parse, ask the policy, call a selector or service, render.

Over 400 lines because it holds one short function per page of the whole request lifecycle (list, triage, form,
detail and its seven POST actions, download, import/export); each asks support.policies and calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.confirm import confirm_page, is_confirmed
from core.files import private_download
from core.pagination import CappedCountPaginator
from staffing import policies as staffing_policies
from support import lifecycle, pending_uploads, policies, selectors, services
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
from support.models import Priority, SatisfactionResponse, SavedViewList, Status
from support.selectors_engagements import engagement_of_request_for
from support.sla import context as sla_context
from support.tables import IctRequestTable, RequestTable, TriageTable
from support.views_lists import list_tools
from support.views_satisfaction import satisfaction_follow_up_context
from support.views_watchers import watcher_context

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


def submit_form(request, form, write, *, success: str, invalid: str | None = None) -> bool:
    """The POST-then-redirect shape of the request and engagement pages: a valid form → `write(cleaned_data)` (the
    service) and `success` flashed, or the service's ValidationError messages; an invalid form → `invalid` (a fixed
    hint) or the form's own messages. True when written."""
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
        return False
    messages.success(request, success)
    return True


# --- lists -------------------------------------------------------------------------------------------------------


@login_required
def request_list(request):
    user = request.user
    if not policies.can_list_requests(user):
        raise PermissionDenied
    filterset = RequestFilter(request.GET or None, queryset=selectors.request_list_for(user), user=user)
    table_class = IctRequestTable if policies.sees_all_requests(user) else RequestTable
    tools = list_tools(request, SavedViewList.REQUESTS)
    table = table_class(filterset.qs, exclude=() if tools["can_bulk"] else ("select",))
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
            **tools,
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
    tools = list_tools(request, SavedViewList.TRIAGE)
    table = TriageTable(filterset.qs, exclude=() if tools["can_bulk"] else ("select",))
    RequestConfig(request, paginate=_paginate(request)).configure(table)
    return render(
        request,
        "support/triage_queue.html",
        {"filter": filterset, "table": table, "page_sizes": PAGE_SIZES, "keep_all": True, **tools},
    )


# --- create / edit -----------------------------------------------------------------------------------------------


@login_required
def request_create(request):
    if not policies.can_submit(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None, request.FILES or None, organization=request.user.organization)
    if request.method != "POST":
        pending_uploads.discard(request)  # a fresh form: nothing kept from an abandoned one
        return render(request, "support/request_form.html", {"form": form, "title": _("New support request")})
    still_wanted = request.POST.getlist("kept_upload")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["files"] = [*data.get("files", []), *pending_uploads.take(request, still_wanted)]
        try:
            created = services.request_submit(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error, {"file": "files"})
        else:
            pending_uploads.discard(request)
            messages.success(
                request, _("Request %(reference)s was filed.") % {"reference": created.reference}
            )
            return redirect("support:request_detail", created.reference)
    # Another field's error: keep the chosen files (those that pass the checks) so nobody chooses them again.
    kept, refused = pending_uploads.keep(request, request.FILES.getlist("files"), still_wanted=still_wanted)
    for error in refused:
        if not form.has_error("files"):
            _add_errors(form, error, {"file": "files"})
    return render(
        request,
        "support/request_form.html",
        {"form": form, "title": _("New support request"), "kept_uploads": kept},
    )


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
        **sla_context(support_request),
        "assignments": support_request.active_assignments,
        "required_skills": support_request.required_skills.all() if ict else [],
        "efforts": selectors.effort_list_for(user, support_request) if ict else [],
        "satisfaction": satisfaction,
        "status_form": StatusForm(targets=targets, current=support_request.status) if targets else None,
        "comment_form": CommentForm(allow_internal=policies.can_write_internal(user, support_request))
        if policies.can_comment(user, support_request)
        else None,
        "attachment_form": AttachmentForm(allow_internal=policies.can_write_internal(user, support_request))
        if policies.can_attach(user, support_request)
        else None,
        "effort_form": EffortForm() if policies.can_log_effort(user, support_request) else None,
        "satisfaction_form": SatisfactionForm() if policies.can_rate(user, support_request) else None,
        **satisfaction_follow_up_context(user, support_request),
        **watcher_context(user, support_request),
        "can_withdraw": policies.can_withdraw(user, support_request),
        "withdraw_form": WithdrawForm(),
        "can_edit": policies.can_edit(user, support_request),
        "can_triage": policies.can_triage_request(user, support_request),
        "came_from": engagement_of_request_for(user, support_request),
    }
    return render(request, "support/request_detail.html", context)


@login_required
def request_triage(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_triage_request, support_request):
        return redirect("support:request_detail", reference)
    initial = {
        "priority": support_request.priority,
        "estimated_hours": support_request.estimated_hours,
        "category": support_request.category_id,
    }
    form = TriageForm(request.POST or None, initial=initial)
    # "Suggest for this category": the manager corrected the category; show its skills, save nothing yet.
    resuggest = request.method == "POST" and "resuggest" in request.POST
    category = support_request.category
    if resuggest and form.is_valid() and form.cleaned_data.get("category"):
        category = form.cleaned_data["category"]
    skill_initial = [
        {"skill": r.skill, "min_level": r.min_level, "weight": r.weight, "mandatory": r.mandatory}
        for r in support_request.required_skills.all()
    ]
    # No required skills yet: pre-fill the category's suggestions (profile + history), unless the manager cleared them.
    suggest = resuggest or (not skill_initial and request.GET.get("suggest") != "off")
    suggestions = selectors.category_skill_suggestions(category) if suggest else []
    if suggest:
        skill_initial = [
            {"skill": s.skill, "min_level": s.min_level, "weight": s.weight, "mandatory": s.mandatory}
            for s in suggestions
        ]
    posted = None if resuggest else request.POST or None
    formset = RequiredSkillFormSet(posted, initial=skill_initial, prefix="skills")
    by_code = {s.skill.code: s for s in suggestions}
    rows = [(f, by_code.get(f.skill_code())) for f in formset]
    if request.method == "POST" and not resuggest and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        required = [f.cleaned_data for f in formset if f.cleaned_data.get("skill")]
        accept = data["decision"] == "accept"
        try:
            services.request_triage(
                actor=request.user,
                request=support_request,
                accept=accept,
                priority=data.get("priority") if data.get("priority") is not None else Priority.NORMAL,
                estimated_hours=data.get("estimated_hours"),
                required_skills=required,
                reason=data.get("reason") or "",
                category=data.get("category"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The triage decision was saved."))
            if accept and staffing_policies.can_staff(request.user):
                # Straight on to staffing: the candidates, with the team proposal beside them.
                return redirect("staffing:candidates", reference)
            return redirect("support:request_detail", reference)
    if resuggest:  # the corrected category's form, its errors (if any) not shown before saving
        form = TriageForm(initial={**initial, **{k: v for k, v in request.POST.items() if k in form.fields}})
    return render(
        request,
        "support/triage_form.html",
        {
            "r": support_request,
            "form": form,
            "formset": formset,
            "rows": rows,
            "suggested": bool(suggestions),
            "suggested_category": category,
            "cleared": request.GET.get("suggest") == "off",
        },
    )


@login_required
@require_POST
def request_status(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not lifecycle.actors_of(request.user, support_request):
        raise PermissionDenied  # the move itself is asked of policies.can_move by the service
    submit_form(
        request,
        StatusForm(request.POST, targets=[s.value for s in Status]),
        lambda data: services.request_change_status(
            actor=request.user, request=support_request, to_status=data["status"], note=data["note"]
        ),
        success=_("The status was changed."),
        invalid=_("Choose a status."),
    )
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def request_withdraw(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_withdraw, support_request):
        return redirect("support:request_detail", reference)
    form = WithdrawForm(request.POST)
    form.is_valid()
    if not is_confirmed(request):
        released = len(getattr(support_request, "active_assignments", ()))
        consequences = [_("This request will be withdrawn: the ICT team stops working on it.")]
        if released:
            consequences.append(
                ngettext(
                    "%(count)s staff assignment will be released.",
                    "%(count)s staff assignments will be released.",
                    released,
                )
                % {"count": released}
            )
        consequences.append(_("A withdrawn request cannot be reopened; file a new one if the need returns."))
        return confirm_page(
            request,
            title=_("Withdraw %(reference)s?") % {"reference": reference},
            consequences=consequences,
            button=_("Withdraw this request"),
            cancel_url=reverse("support:request_detail", args=[reference]),
        )
    try:
        services.request_withdraw(
            actor=request.user, request=support_request, note=form.cleaned_data.get("note", "")
        )
        messages.success(request, _("The request was withdrawn."))
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("support:request_detail", reference)


def _post_entry(request, reference: str, form_class, rule, write, field: str, **texts):
    """A comment or an attachment: the form says whether it is internal, the rule decides with that, the service
    writes it (`write(actor, request, <field>, internal)`)."""
    support_request = _get_request_or_404(request.user, reference)
    allow_internal = policies.can_write_internal(request.user, support_request)
    form = form_class(request.POST, request.FILES, allow_internal=allow_internal)
    internal = form.is_valid() and form.cleaned_data.get("internal", False)
    if _allowed(request, rule, support_request, internal=internal):
        submit_form(
            request,
            form,
            lambda data: write(
                actor=request.user,
                request=support_request,
                internal=data.get("internal", False),
                **{field: data[field]},
            ),
            **texts,
        )
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def comment_create(request, reference: str):
    return _post_entry(
        request,
        reference,
        CommentForm,
        policies.can_comment,
        services.comment_add,
        "body",
        success=_("Your comment was added."),
        invalid=_("Write a comment first."),
    )


@login_required
@require_POST
def attachment_upload(request, reference: str):
    return _post_entry(
        request,
        reference,
        AttachmentForm,
        policies.can_attach,
        services.attachment_add,
        "file",
        success=_("The file was attached."),
    )


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
    submit_form(
        request,
        EffortForm(request.POST),
        lambda data: services.effort_log_add(actor=request.user, request=support_request, **data),
        success=_("The effort was logged."),
    )
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def satisfaction_create(request, reference: str):
    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_rate, support_request):
        return redirect("support:request_detail", reference)
    submit_form(
        request,
        SatisfactionForm(request.POST),
        lambda data: services.satisfaction_submit(actor=request.user, request=support_request, **data),
        success=_("Thank you for your rating."),
        invalid=_("Choose a score from 1 to 5."),
    )
    return redirect("support:request_detail", reference)


# --- import / export ---------------------------------------------------------------------------------------------


@login_required
def request_export(request):
    """?format=csv|xlsx; CSV in UTF-8 with BOM, or &encoding=sjis for Shift_JIS (CP932). Headers, labels and dates in
    the user's language. More than EXPORT_JOB_THRESHOLD_ROWS rows: a job builds the file and its page offers it when
    ready."""
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
