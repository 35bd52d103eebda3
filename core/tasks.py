"""Core tasks: deliver one outbox mail; sweep overdue mail (celery beat); import and export jobs."""

import logging

from celery import shared_task
from django.conf import settings

from core import mail

logger = logging.getLogger("dxdesk.mail")


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_outbox_message(self, pk: int) -> None:
    """Send outbox row `pk` once. On a transport failure the row is kept and the task retried after a backoff.

    Eagerly (no broker) a failed mail is not retried in the request: the sweep (`manage.py send_outbox` or beat)
    sends it later.
    """
    wait = mail.deliver(pk)
    if wait is not None and not (self.request.is_eager or settings.CELERY_TASK_ALWAYS_EAGER):
        raise self.retry(countdown=wait)


@shared_task
def sweep_outbox() -> int:
    """Re-publish every overdue pending mail (a lost publish, a killed worker, a retry that never came)."""
    ids = mail.overdue_ids()
    for pk in ids:
        deliver_outbox_message.delay(pk)
    if ids:
        logger.info("Outbox sweep re-queued %d mail(s)", len(ids))
    return len(ids)


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> None:
    """One step of an import job (the dry run, or the confirmed write): see core.tabular.jobs."""
    from core.tabular import jobs as import_jobs

    import_jobs.run_step(job_id)


@shared_task(acks_late=True)
def run_export_job(job_id: int) -> None:
    """A large export: build the file for its user (see core.tabular.export_jobs)."""
    from core.tabular import export_jobs

    export_jobs.run(job_id)


@shared_task
def purge_old_jobs() -> int:
    """Delete jobs (and their kept upload files) older than JOB_KEEP_DAYS: abandoned dry runs, old plans."""
    import datetime as dt

    from django.utils import timezone

    from core.models import Job

    old = Job.objects.filter(created__lt=timezone.now() - dt.timedelta(days=settings.JOB_KEEP_DAYS))
    for job in old.exclude(file=""):
        job.file.delete(save=False)
    deleted, _ = old.delete()
    return deleted
