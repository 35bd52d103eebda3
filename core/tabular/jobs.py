"""Imports as background jobs: upload → validate (the dry-run report) → confirm → write, each step a task.

`start(...)` keeps the uploaded file on a `core.models.Job` (kind "import:<app>") and queues the validate step; the
job page polls the progress and shows the report; `confirm(...)` queues the write step for a job whose dry run was
clean (only its owner, once). `run_step` is the task body: it calls the app's import function, named by a dotted
path in the job (core imports no app), as `runner(actor=…, content=…, filename=…, dry_run=…, progress=…, **args)`,
which returns an ImportReport. The write step marks the job done in the same transaction as the imported rows.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core import jobs
from core.models import Job, JobState
from core.tabular.report import ImportReport, ReportLine

VALIDATE, WRITE = "validate", "write"
logger = logging.getLogger("dxdesk.jobs")


def start(
    *, user, app: str, runner: str, content: bytes, filename: str, args: dict | None = None, **page
) -> Job:
    """Queue the dry run of an uploaded file. `page`: title, confirm_url, again_url (URL names) for the job page."""
    from core.tasks import run_import_job

    with transaction.atomic():
        job = Job(
            kind=f"import:{app}",
            user=user,
            step=VALIDATE,
            filename=filename[:255],
            params={"runner": runner, "args": args or {}, **page},
        )
        job.file.save(f"import-{user.pk}.bin", ContentFile(content), save=False)
        job.save()
        jobs.enqueue_on_commit(run_import_job, job.pk)
    return job


def confirm(*, user, app: str, job_id) -> Job | None:
    """Queue the write of a clean dry run of `user`'s; None if there is no such job (or it was confirmed already)."""
    from core.tasks import run_import_job

    if not str(job_id).isdigit():
        return None
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .filter(pk=job_id, user=user, kind=f"import:{app}", step=VALIDATE, state=JobState.DONE)
            .first()
        )
        if job is None or not as_report(job).ok:
            return None
        jobs.queue_step(job, WRITE, run_import_job)
    return job


def run_step(job_id: int) -> None:
    job = jobs.claim(job_id)
    if job is None:
        return
    with job.file.open("rb") as handle:
        content = handle.read()
    runner = import_string(job.params["runner"])
    dry_run = job.step == VALIDATE
    try:
        with translation.override(job.user.preferred_language or None), transaction.atomic():
            report = runner(
                actor=job.user,
                content=content,
                filename=job.filename,
                dry_run=dry_run,
                progress=jobs.Progress(job),
                **job.params.get("args", {}),
            )
            error = "" if dry_run or report.ok else gettext("The import was refused; nothing was changed.")
            locked = Job.objects.select_for_update().get(pk=job.pk)
            jobs.finish(locked, result=as_dict(report), error=error, total=job.total)
    except Exception:  # a bug, not bad data: the job says so instead of running forever
        logger.exception("Import job %s (%s step) failed", job.pk, job.step)
        with translation.override(job.user.preferred_language or None):
            jobs.finish(job, error=gettext("The import failed; nothing was changed."))
        return
    if not dry_run:
        transaction.on_commit(lambda: job.file.delete(save=False))


def as_dict(report: ImportReport) -> dict:
    return {
        "dry_run": report.dry_run,
        "error": str(report.error),
        "lines": [
            [line.row, line.action, line.column, str(line.column_label), str(line.message), str(line.summary)]
            for line in report.lines
        ],
    }


def as_report(job: Job) -> ImportReport:
    data = job.result or {}
    lines = [ReportLine(*line) for line in data.get("lines", [])]
    return ImportReport(dry_run=data.get("dry_run", True), lines=lines, error=data.get("error", ""))


def errors(job: Job) -> list[dict]:
    """The job's errors: one per bad cell or row (row, column, message), or the whole file's (row None)."""
    report = as_report(job)
    found = [{"row": None, "column": None, "message": report.error}] if report.error else []
    found += [
        {"row": line.row, "column": line.column or None, "message": line.message} for line in report.rejected
    ]
    if job.error and not found:
        found.append({"row": None, "column": None, "message": job.error})
    return found


def for_user(user, job_id) -> Job | None:
    """The import job `job_id` if `user` started it; else None (someone else's job does not exist for them)."""
    if not str(job_id).isdigit() or not getattr(user, "is_authenticated", False):
        return None
    job = Job.objects.filter(pk=job_id, user=user, kind__startswith="import:").first()
    return jobs.live(job) if job else None
