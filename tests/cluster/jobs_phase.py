"""The worker and the scheduler (present once config/celery.py exists): start them, kill the worker once in the
middle of a job and restart it, and check that no job and no mail was lost or doubled.

Imported after django.setup(). The worker runs one job at a time (--concurrency 1) so that the kill interrupts the
chosen job and nothing else; the broker gives a killed job back after CELERY_VISIBILITY_TIMEOUT seconds, when the
restarted worker picks it up (acks late)."""

import sys
import time
from collections import Counter
from email.utils import getaddresses
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 8  # seconds; set for every process of the cluster (CELERY_VISIBILITY_TIMEOUT)


def present() -> bool:
    return (ROOT / "config" / "celery.py").exists()


def _celery() -> str:
    return str(Path(sys.executable).with_name("celery"))


def wait_log(process, text: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.running:
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        if text in process.log_path.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise RuntimeError(f"{process.name}: no '{text}' after {timeout}s:\n{process.tail()}")


def start_worker(processes, env: dict, name: str):
    worker = processes.start(
        name,
        [
            _celery(),
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--hostname",
            f"{name}@dx-cluster",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
    )
    wait_log(worker, "ready.")
    return worker


def start_beat(processes, env: dict, tmp: Path):
    beat = processes.start(
        "beat",
        [
            _celery(),
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp / "celerybeat-schedule"),
        ],
        env,
    )
    wait_log(beat, "beat: Starting")
    return beat


def wait_running(job_id: int, timeout: float = 60):
    """Until the job's task is running in the worker; returns the job (or None when it finished first)."""
    from core.models import Job, JobState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.state == JobState.RUNNING:
            return job
        if job.is_over:
            return None
        time.sleep(0.05)
    raise RuntimeError(f"job {job_id} never started")


def wait_over(job_id: int, timeout: float = 90):
    from core.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.is_over:
            return job
        time.sleep(0.2)
    return Job.objects.get(pk=job_id)


def kill_and_restart(worker, processes, env: dict, *, running_since: float):
    """SIGKILL the worker's process group, wait out the visibility timeout, start a new worker."""
    worker.kill_now()
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - running_since)))
    return start_worker(processes, env, "worker2")


def wait_outbox_drained(timeout: float = 60) -> int:
    """Seconds-bounded wait until no mail is pending; returns how many still are."""
    from core.models import OutboxMessage, OutboxState

    deadline = time.monotonic() + timeout
    while True:
        pending = OutboxMessage.objects.filter(state=OutboxState.PENDING).count()
        if not pending or time.monotonic() > deadline:
            return pending
        time.sleep(0.3)


def _addresses(values) -> tuple[str, ...]:
    return tuple(sorted(address.lower() for _, address in getaddresses(list(values))))


def mail_sent_exactly_once(sink) -> str | None:
    """Every outbox row is sent, and the mail server got each exactly once (matched on subject and recipients)."""
    from core.models import OutboxMessage, OutboxState

    rows = list(OutboxMessage.objects.values_list("state", "subject", "to"))
    not_sent = Counter(state for state, _, _ in rows if state != OutboxState.SENT)
    outbox = Counter((subject, _addresses(to)) for _, subject, to in rows)
    received = Counter(
        (str(message["Subject"]), _addresses([str(message["To"])])) for message in sink.messages
    )
    problems = []
    if not rows:
        problems.append("the workload queued no mail")
    if not_sent:
        problems.append(f"not sent: {dict(not_sent)}")
    if received != outbox:
        problems.append(
            f"missing {sum((outbox - received).values())}, doubled {sum((received - outbox).values())}"
        )
    return "; ".join(problems) or None
