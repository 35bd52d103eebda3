"""Job plumbing: publish a task only once the transaction that made its data commits, and the progress of a Job row.

* `enqueue_on_commit(task, *args)` — `task.delay(*args)` after the surrounding transaction commits (at once when
  there is none). A rolled-back change never starts a task, and a task never reads data that is not committed yet.
  With no broker configured (make run, make test) Celery runs the task eagerly at that moment, in this process.
* `claim(job_id)` — the task's first move: lock the job row, and go on only if it is not finished (a task delivered
  twice — acks late, a worker killed — finds it finished and does nothing). A step that writes data commits the
  `done` mark in the same transaction as its data, so a redelivered task never writes twice.
* `Progress` / `live` — throttled `done/total` reports in the cache, which the page's progress bar polls.
"""

import logging
import time

from django.core.cache import cache
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


def claim(job_id: int) -> Job | None:
    """Mark the job running if it is queued (or was running when its worker died); None if it is over or gone."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_over:
            return None
        if job.state == JobState.RUNNING:
            logger.warning("Job %s (%s) restarts its %s step after a lost worker", job.pk, job.kind, job.step)
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


def _progress_key(pk: int) -> str:
    return f"dxdesk:job:{pk}:progress"


class Progress:
    """`progress(done, total)`: the rows a running job has done, in the cache (the job's own transaction is not
    visible to the page until it commits), at most every `interval` seconds — a progress bar needs no more."""

    def __init__(self, job: Job, interval: float = 0.5):
        self.job, self.interval, self.last = job, interval, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0 or now - self.last >= self.interval:
            self.last = now
            self.job.done, self.job.total = done, total
            cache.set(_progress_key(self.job.pk), (done, total), 24 * 3600)


def live(job: Job) -> Job:
    """The job with the progress its task reported so far (for a running job)."""
    if job.state == JobState.RUNNING:
        job.done, job.total = cache.get(_progress_key(job.pk)) or (job.done, job.total)
    return job
