"""Large exports as background jobs: past `EXPORT_JOB_THRESHOLD_ROWS` rows the download is built by a task.

`respond(...)` is what an export view returns: the file at once for a small export, else a queued job (kind
"export:<app>") and a redirect to its page, which polls the progress and offers the file when it is ready. The
task calls the app's builder, named by a dotted path in the job (core imports no app), as
`builder(user=…, progress=…, **args) -> tablib.Dataset`; the builder scopes the rows to the user and checks the
permission again (the job may run after a role was taken away). The file is kept on the job (deleted with it
after JOB_KEEP_DAYS); only the user who asked for it can download it.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core import jobs
from core.models import Job, JobState
from core.tabular import exports

KIND_PREFIX = "export:"
BUILD = "build"
logger = logging.getLogger("dxdesk.jobs")


def too_big(rows: int) -> bool:
    return rows > settings.EXPORT_JOB_THRESHOLD_ROWS


def options(request) -> dict:
    """The format and CSV encoding a download request asks for (?format=csv|xlsx, &encoding=sjis)."""
    return {
        "fmt": exports.format_of(request.GET.get("format")),
        "encoding": exports.encoding_of(request.GET.get("encoding")),
    }


def respond(request, *, rows: int, build, app: str, builder: str, args: dict, basename: str, title: str):
    """The download now (`build()` → Dataset) for up to the threshold's rows, else a job and its page."""
    chosen = options(request)
    if not too_big(rows):
        return exports.dataset_response(build(), basename=basename, **chosen)
    job = start(
        user=request.user,
        app=app,
        builder=builder,
        args=args,
        filename=f"{basename}.{chosen['fmt']}",
        title=title,
        **chosen,
    )
    return redirect("core:export_job", job.pk)


def start(
    *, user, app: str, builder: str, args: dict, filename: str, title: str, fmt: str, encoding: str
) -> Job:
    """Queue the export; `args` (JSON) are passed to the builder, `title` is shown (translated) on the job page."""
    from core.tasks import run_export_job

    with transaction.atomic():
        job = Job.objects.create(
            kind=f"{KIND_PREFIX}{app}",
            user=user,
            step=BUILD,
            filename=filename[:255],
            params={"builder": builder, "args": args, "format": fmt, "encoding": encoding, "title": title},
        )
        jobs.enqueue_on_commit(run_export_job, job.pk)
    return job


def run(job_id: int) -> None:
    """The task body: build the rows, write the file onto the job, mark it done (or failed, saying so)."""
    job = jobs.claim(job_id)
    if job is None:
        return
    params = job.params
    try:
        with translation.override(job.user.preferred_language or None):
            builder = import_string(params["builder"])
            dataset = builder(user=job.user, progress=jobs.Progress(job), **params.get("args", {}))
            body, content_type = exports.dataset_bytes(dataset, params["format"], params["encoding"])
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.file:  # a redelivered task: the earlier run's file goes
                locked.file.delete(save=False)
            locked.file.save(f"export-{job.user_id}.{params['format']}", ContentFile(body), save=False)
            rows = len(dataset)
            jobs.finish(
                locked, result={"rows": rows, "content_type": content_type, "bytes": len(body)}, total=rows
            )
    except Exception as error:  # noqa: BLE001 — a refusal or a bug: the job says so instead of running forever
        logger.exception("Export job %s failed", job.pk)
        from django.core.exceptions import PermissionDenied

        with translation.override(job.user.preferred_language or None):
            message = (
                gettext("You may no longer export these rows.")
                if isinstance(error, PermissionDenied)
                else gettext("The export failed.")
            )
            jobs.finish(job, error=message)


def for_user(user, job_id) -> Job | None:
    """The export job `job_id` if `user` started it; else None (someone else's job does not exist for them)."""
    if not str(job_id).isdigit() or not getattr(user, "is_authenticated", False):
        return None
    job = Job.objects.filter(pk=job_id, user=user, kind__startswith=KIND_PREFIX).first()
    return jobs.live(job) if job else None


def ready(job: Job) -> bool:
    return job.state == JobState.DONE and bool(job.file)


def download(job: Job) -> FileResponse:
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.result.get("content_type", "application/octet-stream"),
    )
