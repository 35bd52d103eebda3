"""Staffing jobs: the backlog plan of a big backlog (staffing.plan_jobs)."""

from celery import shared_task


@shared_task(acks_late=True)
def plan_backlog_job(job_id: int) -> None:
    from staffing import plan_jobs

    plan_jobs.run(job_id)
