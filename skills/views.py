"""Pages of the digital skill map. Thin: parse, call a selector or service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.confirm import confirm_page, is_confirmed
from core.fiscal import today
from core.tabular import export_jobs, exports
from core.tabular import jobs as import_jobs
from skills import policies, selectors, services
from skills.filters import ExpertFilter
from skills.forms import (
    AdjustForm,
    CertificationForm,
    ImportForm,
    InterestForm,
    ManagerAssessmentForm,
    SelfAssessmentForm,
    SkillForm,
    TargetSkillForm,
    apply_errors,
)
from skills.resources import KIND_LABELS, RESOURCES, export_dataset, export_queryset
from skills.selectors.trainings import completed_trainings
from skills.tables import ExpertTable

EXPORT_FORMATS = {"csv", "xlsx"}


IMPORT_TITLE = "Import skill data"  # translated on the job page (the msgid is in the skills catalogue)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _as_of(request) -> dt.date | None:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return min(value, today())


# --- my skills ----------------------------------------------------------------------------------------------------


@login_required
def my_skills(request):
    """The signed-in member's own map: targets, levels, pending, gaps, history; self-assess, flags, certifications."""
    _require(policies.can_view_skill_map(request.user))
    staff = selectors.own_staff_profile(request.user)
    forms = {}
    if staff is not None:
        forms = {
            "assess": SelfAssessmentForm(staff=staff, prefix="assess"),
            "interest": InterestForm(prefix="interest"),
            "certification": CertificationForm(prefix="cert"),
        }
    if request.method == "POST":
        _require(staff is not None and policies.can_self_assess(request.user, staff))
        action = request.POST.get("action")
        if action == "assess":
            form = forms["assess"] = SelfAssessmentForm(request.POST, staff=staff, prefix="assess")
            if form.is_valid():
                try:
                    services.assessment_record_self(actor=request.user, staff=staff, **form.cleaned_data)
                    messages.success(request, _("Your self-assessment was recorded and awaits validation."))
                    return redirect("skills:my_skills")
                except ValidationError as error:
                    apply_errors(form, error)
        elif action == "interest":
            form = forms["interest"] = InterestForm(request.POST, prefix="interest")
            if form.is_valid():
                services.interest_set(actor=request.user, staff=staff, **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("skills:my_skills")
        elif action == "certification":
            form = forms["certification"] = CertificationForm(request.POST, prefix="cert")
            if form.is_valid():
                try:
                    services.certification_add(actor=request.user, staff=staff, **form.cleaned_data)
                    messages.success(request, _("The certification was added."))
                    return redirect("skills:my_skills")
                except ValidationError as error:
                    apply_errors(form, error)
        else:
            raise Http404
    context = {"staff": staff, "forms": forms}
    if staff is not None:
        context.update(_profile_context(staff, as_of=None))
    return render(request, "skills/my_skills.html", context, status=400 if request.method == "POST" else 200)


def _profile_context(staff, *, as_of):
    rows = selectors.skill_map(staff, as_of=as_of)
    return {
        "rows": rows,
        "levels": selectors.proficiency_levels(),
        "history": selectors.assessment_history(staff, as_of=as_of),
        "certifications": selectors.certification_list(staff),
        "trainings": completed_trainings(staff),
        "as_of": as_of,
        "today": today(),
        "expiry_warning": today() + dt.timedelta(days=90),
    }


# --- staff profile ------------------------------------------------------------------------------------------------


@login_required
def staff_detail(request, pk: int):
    """A person's whole skill history, with an "as of date" view (?as_of=YYYY-MM-DD)."""
    _require(policies.can_view_skill_map(request.user))
    staff = selectors.staff_profile_get_for(request.user, pk)
    if staff is None:
        raise Http404
    as_of = _as_of(request)
    form = None
    if policies.can_assess_as_manager(request.user, staff):
        form = ManagerAssessmentForm(request.POST or None, prefix="mgr")
        if request.method == "POST" and form.is_valid():
            try:
                services.assessment_record_manager(actor=request.user, staff=staff, **form.cleaned_data)
                messages.success(request, _("Your assessment was recorded."))
                return redirect("skills:staff_detail", pk=staff.pk)
            except ValidationError as error:
                apply_errors(form, error)
    elif request.method == "POST":
        raise PermissionDenied
    context = {"staff": staff, "manager_form": form, **_profile_context(staff, as_of=as_of)}
    return render(
        request, "skills/staff_detail.html", context, status=400 if request.method == "POST" else 200
    )


# --- validation queue ---------------------------------------------------------------------------------------------


@login_required
def validation_queue(request):
    """Pending self-assessments of the pool (never the manager's own), with the current level beside each."""
    _require(policies.can_validate(request.user))
    queue = list(selectors.validation_queue_for(request.user)[:200])
    staff_ids = {a.staff_id for a in queue}
    current = selectors.current_levels(staff_ids=staff_ids, skill_ids={a.skill_id for a in queue})
    for assessment in queue:
        assessment.current_level = current.get((assessment.staff_id, assessment.skill_id))
    return render(
        request,
        "skills/validation_queue.html",
        {"queue": queue, "adjust_form": AdjustForm(), "gaps": selectors.rating_gap_rows_for(request.user)},
    )


@login_required
@require_POST
def validate(request, pk: int):
    _require(policies.can_validate(request.user))
    assessment = selectors.assessment_get_for_validation(request.user, pk)
    if assessment is None:
        raise Http404
    services.assessment_validate(actor=request.user, assessment=assessment)
    messages.success(request, _("Validated."))
    return redirect("skills:validation_queue")


@login_required
@require_POST
def adjust(request, pk: int):
    """The manager's own level for a pending self-assessment, with a reason: a new assessment, never an edit."""
    _require(policies.can_validate(request.user))
    assessment = selectors.assessment_get_for_validation(request.user, pk)
    if assessment is None:
        raise Http404
    form = AdjustForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_record_manager(
                actor=request.user,
                staff=assessment.staff,
                skill=assessment.skill,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                responds_to=assessment,
            )
            messages.success(request, _("Your assessment was recorded."))
            return redirect("skills:validation_queue")
        except ValidationError as error:
            apply_errors(form, error)
    for field_errors in form.errors.values():
        for error in field_errors:
            messages.error(request, error)
    return redirect("skills:validation_queue")


# --- expert finder ------------------------------------------------------------------------------------------------


@login_required
def expert_search(request):
    """People with skills at minimum levels and free hours: a sortable table, exportable (CSV/Excel)."""
    _require(policies.can_search_experts(request.user))
    base = selectors.expert_search_for(request.user)
    search = ExpertFilter(request.GET, queryset=base, user=request.user)
    requirements = search.requirements()
    table = ExpertTable(search.qs, requirements=requirements)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        _require(policies.can_export(request.user))
        RequestConfig(request, paginate=False).configure(table)
        from django_tables2.export import TableExport

        dataset = TableExport(export, table).dataset
        dataset.title = str(_("Talent pool"))  # the sheet's name
        return exports.dataset_response(
            dataset,
            fmt=export,
            encoding=exports.encoding_of(request.GET.get("encoding")),
            basename=f"experts-{today():%Y%m%d}",
        )
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "skills/expert_search.html",
        {"filter": search, "table": table, "can_export": policies.can_export(request.user)},
    )


# --- export / import ----------------------------------------------------------------------------------------------


@login_required
def export(request, kind: str):
    """?format=csv|xlsx; CSV in UTF-8 with BOM, or &encoding=sjis for Shift_JIS (CP932). Headers, labels and dates in
    the user's language. More than EXPORT_JOB_THRESHOLD_ROWS rows: a job builds the file and its page offers it when
    ready."""
    _require(policies.can_export(request.user))
    if kind not in RESOURCES:
        raise Http404
    queryset = export_queryset(request.user, kind)
    return export_jobs.respond(
        request,
        rows=queryset.count(),
        build=lambda: export_dataset(kind, queryset),
        app="skills",
        builder="skills.resources.export_for",
        args={"kind": kind},
        basename=f"skills-{kind}-{today():%Y%m%d}",
        title=gettext_noop("Export skill data"),
    )


@login_required
def import_upload(request):
    """Step 1: upload a file; a job checks it (dry run) and its page shows every row's outcome and every error."""
    _require(policies.can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        job = import_jobs.start(
            user=request.user,
            app="skills",
            runner="skills.resources.run_import",
            content=upload.read(),
            filename=upload.name,
            args={"kind": kind},
            title=IMPORT_TITLE,
            confirm_url="skills:import_confirm",
            again_url="skills:import",
        )
        return redirect("core:import_job", job.pk)
    return render(request, "skills/import_upload.html", {"form": form, "kinds": KIND_LABELS})


@login_required
@require_POST
def import_confirm(request):
    """Step 2: a job imports the file checked in step 1 (kept server-side) — all or nothing."""
    _require(policies.can_import(request.user))
    job = import_jobs.confirm(user=request.user, app="skills", job_id=request.POST.get("token", ""))
    if job is None:
        messages.error(request, _("The import expired; upload the file again."))
        return redirect("skills:import")
    return redirect("core:import_job", job.pk)


# --- taxonomy (admins) --------------------------------------------------------------------------------------------


@login_required
def taxonomy(request):
    """Categories, skills (active and retired), level wording, job types and their target profiles."""
    _require(policies.can_edit_taxonomy(request.user))
    skill_form = SkillForm(request.POST or None, prefix="skill")
    target_form = TargetSkillForm(request.POST or None, prefix="target")
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "skill" and skill_form.is_valid():
                data = dict(skill_form.cleaned_data)
                code = data.pop("code")
                data["order"] = data.get("order") or 0
                services.skill_upsert(actor=request.user, code=code, defaults=data)
                messages.success(request, _("The skill was saved."))
                return redirect("skills:taxonomy")
            if action == "target" and target_form.is_valid():
                services.target_skill_set(actor=request.user, **target_form.cleaned_data)
                messages.success(request, _("The target profile was saved."))
                return redirect("skills:taxonomy")
        except ValidationError as error:
            apply_errors(skill_form if action == "skill" else target_form, error)
    return render(
        request,
        "skills/taxonomy.html",
        {
            "categories": selectors.skill_category_list(with_skills=True, active_only=False),
            "levels": selectors.proficiency_levels(),
            "job_types": selectors.job_type_list(active=None),
            "skill_form": skill_form if action == "skill" else SkillForm(prefix="skill"),
            "target_form": target_form if action == "target" else TargetSkillForm(prefix="target"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def skill_retire(request, code: str):
    _require(policies.can_edit_taxonomy(request.user))
    skill = selectors.skill_by_code(code)
    if skill is None:
        raise Http404
    if request.POST.get("reactivate"):
        services.skill_reactivate(actor=request.user, skill=skill)
        messages.success(request, _("The skill is active again."))
    elif not is_confirmed(request):
        impact = selectors.skill_retire_impact(skill)
        values = {"skill": skill.name, **impact}
        return confirm_page(
            request,
            title=_("Retire the skill %(skill)s?") % values,
            consequences=[
                _("%(skill)s leaves the lists: nobody can newly assess it, require it or target it.")
                % values,
                _(
                    "Kept as history: the assessments of %(people)s people, %(job_types)s job type targets, "
                    "%(categories)s category profile lines and %(open_requests)s open requests that require it."
                )
                % values,
                _("You can reactivate it later."),
            ],
            button=_("Retire"),
            cancel_url=reverse("skills:taxonomy") + f"#skill-{skill.code}",
        )
    else:
        services.skill_retire(actor=request.user, skill=skill)
        messages.success(request, _("The skill was retired; its history is kept."))
    return redirect(reverse("skills:taxonomy") + f"#skill-{skill.code}")
