"""The worker and the scheduler (present once config/celery.py exists): start them, kill the worker once in the
middle of a job and restart it, and check that no job and no mail was lost or doubled.

Imported after django.setup(). The worker runs one job at a time (--concurrency 1) so that the kill interrupts the
chosen job and nothing else; the broker gives a killed job back after CELERY_VISIBILITY_TIMEOUT seconds, when the
restarted worker picks it up (acks late)."""

import csv
import io
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


def _words(text: str) -> str:
    """The subject without the folding whitespace a mail transfer adds."""
    return " ".join(text.split())


def _addresses(values) -> tuple[str, ...]:
    return tuple(sorted(address.lower() for _, address in getaddresses(list(values))))


def mail_sent_exactly_once(sink) -> str | None:
    """Every outbox row is sent, and the mail server got each exactly once (matched on subject and recipients)."""
    from core.models import OutboxMessage, OutboxState

    rows = list(OutboxMessage.objects.values_list("state", "subject", "to"))
    not_sent = Counter(state for state, _, _ in rows if state != OutboxState.SENT)
    outbox = Counter((_words(subject), _addresses(to)) for _, subject, to in rows)
    received = Counter(
        (_words(str(message["Subject"])), _addresses([str(message["To"])])) for message in sink.messages
    )
    problems = []
    if not rows:
        problems.append("the workload queued no mail")
    if not_sent:
        problems.append(f"not sent: {dict(not_sent)}")
    if received != outbox:
        missing, doubled = outbox - received, received - outbox
        problems.append(
            f"missing {sum(missing.values())} (e.g. {next(iter(missing), None)}), "
            f"doubled {sum(doubled.values())} (e.g. {next(iter(doubled), None)})"
        )
    return "; ".join(problems) or None


def import_csv(rows: list[list[str]], columns: list[str], count: int) -> tuple[bytes, list[str]]:
    """A request import of `count` new rows made from exported ones (no reference: the import issues them)."""
    at = {name: index for index, name in enumerate(columns)}
    header, exported = rows[0], rows[1:]
    titles, body = [], []
    for n in range(count):
        row = list(exported[n % len(exported)])
        row[at["reference"]] = ""
        row[at["title"]] = f"cluster import {n:05d}"
        titles.append(row[at["title"]])
        body.append(row)
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode("utf-8-sig"), titles


def import_killing_the_worker(*, browser, servers, rows, columns, count, worker, processes, env, results):
    """Dry run through one server, confirm through the other; SIGKILL the worker while the write runs, restart it,
    and check the job still finishes with every row written once. Returns (job, titles, confirm request id)."""
    from core.models import JobState

    content, titles = import_csv(rows, columns, count)
    upload = browser.post(
        servers[1], "/requests/import/", files={"file": ("cluster.csv", content, "text/csv")}
    )
    job_id = int(upload.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    dry_run = wait_over(job_id)
    page = browser.get(servers[0], f"/jobs/imports/{job_id}/status/")
    results.check(
        "the import's dry run ran as a job; its progress page answers on the other server",
        dry_run.state == JobState.DONE and page.status_code == 200,
        f"{dry_run.state} {dry_run.error[:200]} / {page.status_code}",
    )
    confirm = browser.post(servers[0], "/requests/import/confirm/", {"token": str(job_id)})
    request_id = confirm.headers.get("X-Request-ID", "")
    running = wait_running(job_id)
    killed_mid_job = running is not None
    if killed_mid_job:
        running_since = time.monotonic()
        worker = kill_and_restart(worker, processes, env, running_since=running_since)
    job = wait_over(job_id)
    results.check(
        "the worker was killed (SIGKILL) in the middle of the import",
        killed_mid_job,
        "killed while the write was running" if killed_mid_job else "the job finished before the kill",
    )
    return job, titles, request_id, worker
