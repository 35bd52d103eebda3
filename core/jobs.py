"""Job plumbing: publish a task only once the transaction that made its data commits, and the progress of a Job row.

* `enqueue_on_commit(task, *args)` — `task.delay(*args)` after the surrounding transaction commits (at once when
  there is none). A rolled-back change never starts a task, and a task never reads data that is not committed yet.
  With no broker configured (make run, make test) Celery runs the task eagerly at that moment, in this process.
* `claim(job_id, step)` — the task's first move: lock the job row, and go on only if it is still queued for that step
  (a task delivered twice — acks late, a worker killed — finds it taken or finished and does nothing).
* `Progress` — throttled `done/total` updates the page's progress bar polls.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone

from core.models import Job, JobState

logger = logging.getLogger("dxdesk.jobs")


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def start(*, kind: str, user, step: str, task, params: dict | None = None, **fields) -> Job:
    """Create a queued job and publish `task(job.pk)` once the job row is committed."""
    job = Job.objects.create(kind=kind, user=user, step=step, params=params or {}, **fields)
    enqueue_on_commit(task, job.pk)
    return job


def claim(job_id: int, step: str) -> Job | None:
    """Mark the job running if it is queued (or was running when its worker died) for `step`; else None."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.step != step or job.is_over:
            return None
        if job.state == JobState.RUNNING:
            logger.warning("Job %s (%s) restarts its %s step after a lost worker", job.pk, job.kind, step)
        job.state, job.started, job.done = JobState.RUNNING, timezone.now(), 0
        job.save(update_fields=["state", "started", "done"])
    return job


def queue_step(job: Job, step: str, task) -> None:
    """Queue the job's next step (e.g. the write after a confirmed dry run)."""
    job.state, job.step, job.done, job.finished = JobState.QUEUED, step, 0, None
    job.save(update_fields=["state", "step", "done", "finished"])
    enqueue_on_commit(task, job.pk)


def finish(job: Job, *, result: dict | None = None, error: str = "", **fields) -> None:
    job.state = JobState.FAILED if error else JobState.DONE
    job.error = error
    job.finished = timezone.now()
    if result is not None:
        job.result = result
    for name, value in fields.items():
        setattr(job, name, value)
    job.done = job.total
    job.save()


class Progress:
    """`progress(done)` writes job.done at most every `interval` seconds (a bar needs no more)."""

    def __init__(self, job: Job, total: int, interval: float = 0.5):
        self.job, self.interval, self.last = job, interval, 0.0
        job.total = total
        Job.objects.filter(pk=job.pk).update(total=total)

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.job.done = done
            Job.objects.filter(pk=self.job.pk).update(done=done)
