"""Job pages: an import job's progress (polled by htmx every second while it runs) and, when done, its report; an
export job's progress and, when done, its file (for the user who asked for it only)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import JobState
from core.tabular import export_jobs
from core.tabular import jobs as import_jobs


def _context(request, pk: int) -> dict:
    job = import_jobs.for_user(request.user, pk)
    if job is None:  # someone else's job does not exist for you
        raise Http404
    report = import_jobs.as_report(job) if job.is_over else None
    clean_dry_run = job.step == import_jobs.VALIDATE and job.finished_ok and report.ok
    return {
        "job": job,
        "title": _(job.params.get("title", "Import")),
        "report": report,
        "token": job.pk if clean_dry_run else "",
        "confirm_url": reverse(job.params["confirm_url"]),
        "again_url": reverse(job.params["again_url"]),
        "failed": job.step == import_jobs.WRITE and job.state == JobState.FAILED,
        "imported": job.step == import_jobs.WRITE and job.finished_ok,
    }


@login_required
def import_job(request, pk: int):
    return render(request, "tabular/job.html", _context(request, pk))


@login_required
def import_job_status(request, pk: int):
    return render(request, "tabular/_job_status.html", _context(request, pk))


def _export_context(request, pk: int) -> dict:
    job = export_jobs.for_user(request.user, pk)
    if job is None:  # someone else's job does not exist for you
        raise Http404
    return {
        "job": job,
        "title": _(job.params.get("title", "Export")),
        "ready": export_jobs.ready(job),
        "status_template": "tabular/_export_job_status.html",
    }


@login_required
def export_job(request, pk: int):
    return render(request, "tabular/job.html", _export_context(request, pk))


@login_required
def export_job_status(request, pk: int):
    return render(request, "tabular/_export_job_status.html", _export_context(request, pk))


@login_required
def export_job_download(request, pk: int):
    job = _export_context(request, pk)["job"]
    if not export_jobs.ready(job):
        raise Http404
    return export_jobs.download(job)
