"""Pages of staffing: thin — parse, call a selector or service, render.

Managers only for candidates, team, assign/release, backlog plan and workload; anyone else gets 404 (not found and
forbidden look the same). "My assignments" is for the ICT side.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from core.confirm import confirm_page, is_confirmed
from skills import selectors as skills_selectors
from staffing import calendar, demand, plan_jobs, policies, selectors, services
from staffing.filters import WorkloadFilter
from staffing.forms import AssignForm, BacklogFormSet, CandidateFilterForm
from staffing.reasons import hours_text
from staffing.tables import MyAssignmentsTable, WorkloadTable


def _manager_or_404(user) -> None:
    if not policies.can_staff(user):
        raise Http404


def _request_or_404(user, reference: str):
    _manager_or_404(user)
    support_request = selectors.request_for_staffing(user, reference)
    if support_request is None:
        raise Http404
    return support_request


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_GET
def candidates(request, reference: str):
    """候補者: ranked candidates with reasons, filters, one-click assign/release, and the team proposal."""
    support_request = _request_or_404(request.user, reference)
    job_types = skills_selectors.job_type_list()
    filter_form = CandidateFilterForm(request.GET or None, job_types=job_types)
    include_full, job_type, limit = False, None, selectors.DEFAULT_LIMIT
    if filter_form.is_valid():
        include_full = filter_form.cleaned_data["include_full"]
        job_type = filter_form.cleaned_data["job_type"]
        limit = filter_form.cleaned_data["limit"] or selectors.DEFAULT_LIMIT
    rows = selectors.candidates_for(
        request.user, support_request, include_full=include_full, job_type=job_type, limit=limit
    )
    return render(
        request,
        "staffing/candidates.html",
        {
            "r": support_request,
            "rows": rows,
            "filter_form": filter_form,
            "assignments": selectors.active_assignments_of(support_request),
            "can_be_staffed": policies.can_be_staffed(support_request),
            "default_hours": demand.hours_per_week_for(support_request),
            "required": list(support_request.required_skills.all()),
            "include_full": include_full,
            "levels": skills_selectors.proficiency_levels(),
        },
    )


@login_required
@require_GET
def team(request, reference: str):
    """チーム編成案 for one request (a fragment for htmx, a page otherwise)."""
    support_request = _request_or_404(request.user, reference)
    include_full = request.GET.get("include_full") in ("1", "on", "true")
    proposal = selectors.team_proposal_for(request.user, support_request, include_full=include_full)
    template = "staffing/_team.html" if request.headers.get("HX-Request") else "staffing/team.html"
    return render(
        request,
        template,
        {"r": support_request, "team": proposal, "can_be_staffed": policies.can_be_staffed(support_request)},
    )


@login_required
@require_POST
def assign(request, reference: str):
    """One click: assign a person as lead or member with hours (and a reason when exceeding capacity)."""
    support_request = _request_or_404(request.user, reference)
    back = _safe_next(request, reverse("staffing:candidates", args=[support_request.reference]))
    form = AssignForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(back)
    staff = selectors.staff_for_assignment(request.user, pk=form.cleaned_data["staff"])
    if staff is None:
        raise Http404
    try:
        assignment = services.assignment_create(
            actor=request.user,
            request=support_request,
            staff=staff,
            role=form.cleaned_data["role"],
            hours=form.cleaned_data["hours"],
            override_reason=form.cleaned_data["override_reason"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request,
            _("%(name)s was assigned to %(reference)s as %(role)s (%(hours)s h/week).")
            % {
                "name": staff.user.display_name,
                "reference": support_request.reference,
                "role": assignment.get_role_display(),
                "hours": assignment.allocated_hours_per_week,
            },
        )
    return redirect(back)


@login_required
@require_POST
def release(request, pk: int):
    """One click: release an assignment (its hours free up at once)."""
    _manager_or_404(request.user)
    assignment = selectors.assignment_get_for(request.user, pk)
    if assignment is None:
        raise Http404
    back = _safe_next(request, reverse("staffing:candidates", args=[assignment.request.reference]))
    if not is_confirmed(request):
        values = {
            "name": assignment.staff.user.display_name,
            "reference": assignment.request.reference,
            "role": assignment.get_role_display(),
            "hours": hours_text(assignment.allocated_hours_per_week),
        }
        return confirm_page(
            request,
            title=_("Release %(name)s from %(reference)s?") % values,
            consequences=[
                _("%(name)s stops being %(role)s on %(reference)s.") % values,
                _("Their %(hours)s h/week free up at once; the assignment stays in the request's history.")
                % values,
            ],
            button=_("Release"),
            cancel_url=back,
        )
    try:
        services.assignment_release(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request,
            _("%(name)s was released from %(reference)s.")
            % {"name": assignment.staff.user.display_name, "reference": assignment.request.reference},
        )
    return redirect(back)


def _backlog_forms(plan, data=None):
    initial, choices = [], []
    for row in plan.rows:
        options = [(str(a.staff.pk), _alternative_label(a)) for a in row.alternatives]
        if row.staff is not None and str(row.staff.pk) not in {value for value, _label in options}:
            options.insert(0, (str(row.staff.pk), row.staff.user.display_name))
        choices.append(options)
        partner = row.partners[0] if row.partners else None
        initial.append(
            {
                "request": row.request.reference,
                "staff": str(row.staff.pk) if row.staff else "",
                "hours": row.hours,
                "partner": str(partner.staff.pk) if partner else "",
                "partner_hours": partner.hours if partner else None,
                "with_partner": partner is not None,
            }
        )
    formset = BacklogFormSet(data=data, initial=initial, prefix="rows", form_kwargs={"staff_choices": ()})
    for form, options in zip(formset.forms, choices, strict=False):
        form.fields["staff"].widget.choices = [("", _("— leave unassigned —")), *options]
    return formset


def _alternative_label(alternative) -> str:
    return _("%(name)s (fit score %(fit)s, %(free)s h free)") % {
        "name": alternative.staff.user.display_name,
        "fit": f"{alternative.fit:.2f}",
        "free": f"{alternative.free:g}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def backlog_plan(request):
    """一括割当案: the proposal table; adjust per row (another person, or none) and apply all at once."""
    if not policies.can_plan_backlog(request.user):
        raise Http404
    job = plan_jobs.current_job(request.user) if plan_jobs.is_big(request.user) else None
    if (
        job is not None and not job.finished_ok
    ):  # a big backlog: a job plans it; the page polls until it is done
        return render(request, "staffing/backlog_plan.html", {"job": job})
    plan = selectors.backlog_plan_for(request.user, computed=plan_jobs.computed(job) if job else None)
    row_errors: dict[int, list[str]] = {}
    if request.method == "POST":
        formset = _backlog_forms(plan, data=request.POST)
        if formset.is_valid():
            items, problems = _plan_items(request.user, formset)
            if problems:
                row_errors = problems
            elif not items:
                messages.error(request, _("The plan is empty: choose at least one row to apply."))
            elif not is_confirmed(request):
                return confirm_page(
                    request,
                    title=_("Apply the backlog plan?"),
                    consequences=_plan_consequences(items),
                    button=_("Apply all"),
                    cancel_url=reverse("staffing:backlog_plan"),
                )
            else:
                try:
                    created = services.backlog_plan_apply(actor=request.user, items=items)
                except ValidationError as error:
                    row_errors = _row_errors(error, [index for index, _item in items_index(formset)])
                    messages.error(
                        request, _("Nothing was assigned: fix the rows marked below and apply again.")
                    )
                else:
                    messages.success(
                        request, _("%(count)s assignments were made from the plan.") % {"count": len(created)}
                    )
                    return redirect("staffing:backlog_plan")
    else:
        formset = _backlog_forms(plan)
    rows = list(zip(plan.rows, formset.forms, strict=False))
    return render(
        request,
        "staffing/backlog_plan.html",
        {
            "plan": plan,
            "formset": formset,
            "rows": [(i, row, form, row_errors.get(i, [])) for i, (row, form) in enumerate(rows)],
            "planned_count": len(plan.planned),
        },
    )


#: Rows of a plan listed one by one on its confirmation page; the rest are counted.
CONFIRM_ROWS = 20


def _plan_consequences(items) -> list[str]:
    people = sum(1 + len(item.partners) for item in items)
    lines = [
        ngettext(
            "%(count)s assignment will be made at once (every row or none), for %(requests)s requests.",
            "%(count)s assignments will be made at once (every row or none), for %(requests)s requests.",
            people,
        )
        % {"count": people, "requests": len(items)}
    ]
    for item in items[:CONFIRM_ROWS]:
        values = {
            "reference": item.request.reference,
            "name": item.staff.user.display_name,
            "hours": hours_text(item.hours),
        }
        line = _("%(reference)s: %(name)s as lead, %(hours)s h/week") % values
        for partner, hours in item.partners:
            line += _("; %(name)s as member, %(hours)s h/week") % {
                "name": partner.user.display_name,
                "hours": hours_text(hours),
            }
        lines.append(line)
    if len(items) > CONFIRM_ROWS:
        lines.append(_("… and %(count)s more requests.") % {"count": len(items) - CONFIRM_ROWS})
    lines.append(_("Each request moves to “in progress” with its lead; each person is told by mail."))
    lines.append(_("Everyone's free hours drop by what they are given."))
    return lines


def items_index(formset):
    """(form index, cleaned row) of the rows with a person chosen, in table order."""
    return [(i, form.cleaned_data) for i, form in enumerate(formset.forms) if form.cleaned_data.get("staff")]


def _plan_items(user, formset):
    items, problems = [], {}
    for i, data in items_index(formset):
        support_request = selectors.request_for_staffing(user, data["request"])
        staff = selectors.staff_for_assignment(user, pk=data["staff"]) if data["staff"].isdigit() else None
        if support_request is None or staff is None:
            problems[i] = [_("This row refers to a request or person that no longer exists.")]
            continue
        partners = ()
        partner_pk = data.get("partner") or ""
        if data.get("with_partner") and partner_pk.isdigit() and partner_pk != data["staff"]:
            partner = selectors.staff_for_assignment(user, pk=partner_pk)
            if partner is not None:
                partners = ((partner, data.get("partner_hours") or data["hours"]),)
        items.append(
            services.PlanItem(request=support_request, staff=staff, hours=data["hours"], partners=partners)
        )
    return items, problems


def _row_errors(error: ValidationError, form_indexes: list[int]) -> dict[int, list[str]]:
    """Map the service's `items.<n>` errors (n = position among applied rows) back to table rows."""
    result: dict[int, list[str]] = {}
    error_dict = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    for key, errors in error_dict.items():
        if key.startswith("items."):
            position = int(key.split(".", 1)[1])
            result.setdefault(form_indexes[position], []).extend(m for e in errors for m in e.messages)
        else:
            result.setdefault(-1, []).extend(m for e in errors for m in e.messages)
    return result


@login_required
@require_GET
def workload(request):
    """Workload board: people × hours, over-capacity highlighted."""
    if not policies.can_view_workload(request.user):
        raise Http404
    queryset = selectors.workload_for(request.user)
    filterset = WorkloadFilter(request.GET or None, queryset=queryset, request=request)
    table = WorkloadTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    rows = list(queryset)
    shown = [row.record for row in table.page.object_list] if table.page else []
    ahead = calendar.board_weeks(shown)  # the next weeks of the people on this page: two queries
    return render(
        request,
        "staffing/workload.html",
        {
            "table": table,
            "weeks_ahead": [(p, ahead[p.pk]) for p in shown],
            "week_starts": [w.starts_on for w in next(iter(ahead.values()), [])],
            "filter": filterset,
            "over_count": sum(1 for r in rows if r.over_capacity),
            "people": len(rows),
        },
    )


@login_required
@require_GET
def my_assignments(request):
    """My assignments: the ICT staff member's active assignments and load."""
    if not policies.can_view_own_assignments(request.user):
        raise Http404
    load = selectors.my_load_for(request.user)
    table = MyAssignmentsTable(selectors.my_assignments_for(request.user))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "staffing/my_assignments.html",
        {
            "profile": load.staff if load else None,
            "table": table,
            "allocated": hours_text(load.allocated) if load else "0",
            "capacity": hours_text(load.capacity) if load else "0",
            "load_percent": round(load.load * 100) if load else 0,
            "over": load is not None and load.over_capacity,
        },
    )
