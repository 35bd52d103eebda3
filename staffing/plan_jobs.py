"""The backlog plan as a background job, for big backlogs (more than BACKLOG_PLAN_JOB_THRESHOLD open requests).

The page starts a `plan:backlog` job (core.models.Job) for the manager, polls until it is done, then shows the stored
plan — as long as it is for the same backlog (the same requests in the same order); a changed backlog starts a new
job. Smaller backlogs are planned inline, as before.
"""

import logging
from dataclasses import asdict

from django.conf import settings

from core import jobs
from core.models import Job, JobState
from staffing import matching, selectors

KIND = "plan:backlog"
logger = logging.getLogger("dxdesk.jobs")


def is_big(user) -> bool:
    return selectors.backlog_requests_for(user).count() > settings.BACKLOG_PLAN_JOB_THRESHOLD


def serialize(request_ids: list[int], plan: matching.BacklogPlan) -> dict:
    return {"request_ids": request_ids, "plan": asdict(plan)}


def deserialize(result: dict) -> tuple[list[int], matching.BacklogPlan]:
    data = result["plan"]
    plan = matching.BacklogPlan(
        assignments=tuple(matching.PlannedAssignment(**a) for a in data["assignments"]),
        total_fit=data["total_fit"],
        unassigned_request_ids=tuple(data["unassigned_request_ids"]),
        alternatives=tuple(tuple(matching.Alternative(**o) for o in row) for row in data["alternatives"]),
        method=data.get("method", "heuristic"),
        bound=data.get("bound"),
        optimality_gap=data.get("optimality_gap"),
        partners=tuple(matching.PlannedAssignment(**a) for a in data.get("partners", ())),
    )
    return list(result["request_ids"]), plan


def current_job(user) -> Job:
    """The user's plan job for today's backlog: the latest one if it is running or still matches; else a new one."""
    from staffing.tasks import plan_backlog_job

    job = Job.objects.filter(user=user, kind=KIND).order_by("-created", "-id").first()
    if job is not None and not job.is_over:
        return job
    if job is not None and job.finished_ok:
        backlog = list(selectors.backlog_requests_for(user).values_list("pk", flat=True))
        if job.result.get("request_ids") == backlog:
            return job
    return jobs.start(kind=KIND, user=user, step="plan", task=plan_backlog_job)


def run(job_id: int) -> None:
    """The task body: compute the plan for the job's user and store it (idempotent: a finished job is left alone)."""
    job = jobs.claim(job_id)
    if job is None:
        return
    try:
        request_ids, plan = selectors.backlog_plan_compute(job.user)
    except Exception:  # a bug, not data: the job says so instead of running forever
        logger.exception("Backlog plan job %s failed", job.pk)
        jobs.finish(job, error="The backlog plan could not be computed.")
        return
    jobs.finish(job, result=serialize(request_ids, plan), total=len(request_ids))


def computed(job: Job):
    return deserialize(job.result) if job.state == JobState.DONE else None
