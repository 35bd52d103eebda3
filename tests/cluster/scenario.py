"""The cluster's life once the database is ready: start the processes, run the workload, check the invariants.

Imported after django.setup() (the test process reads the same database as the servers)."""

import json
import math
import sys
from pathlib import Path

import requests

from accounts.models import User
from accounts.tokens import api_token_create
from support.resources import COLUMNS
from tests.cluster import invariants, jobs_phase, workload
from tests.cluster.clients import Tally
from tests.cluster.processes import wait_ready

ROOT = Path(__file__).resolve().parents[2]
STAFF = "staff@example.com"
FILINGS = 24
IMPORT_ROWS = 300  # the write runs a few seconds: long enough to be killed in the middle


def start_web(*, env: dict, ports: list[int], servers: list[str], processes, results) -> list:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    started = []
    for n, port in enumerate(ports, start=1):
        started.append(
            processes.start(
                f"web{n}",
                [gunicorn, "-c", "config/gunicorn.conf.py"],
                {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_PROC_NAME": f"dx-cluster-web{n}"},
            )
        )
    for process, base in zip(started, servers, strict=True):
        wait_ready(process, base)
    ready = [requests.get(f"{base}/readyz", timeout=5).json() for base in servers]
    results.check(
        "both servers ready (database, cache, broker)",
        all(body["status"] == "ok" for body in ready),
        json.dumps(ready),
    )
    static = requests.get(f"{servers[1]}/static/css/app.css", timeout=5)
    results.check(
        "static files served by the app (WhiteNoise)", static.status_code == 200, str(static.status_code)
    )
    return started


def tokens() -> dict[str, str]:
    made = {}
    for role, email in (
        ("requester", "requester@example.com"),
        ("manager", "manager@example.com"),
        ("staff", STAFF),
    ):
        user = User.objects.get(email=email)
        made[role] = api_token_create(actor=user, user=user, name="cluster test")[1]
    return made


def run(*, results, env: dict, servers: list[str], ports: list[int], processes, sink, tmp) -> None:
    start_web(env=env, ports=ports, servers=servers, processes=processes, results=results)
    worker = jobs_phase.start_worker(processes, env, "worker")
    jobs_phase.start_beat(processes, env, tmp)

    since = invariants.snapshot()
    free = invariants.free_hours(STAFF)
    hours = max(1.0, float(free) / 4)  # about four of the requests fit in the person's free hours
    tally = Tally()
    outcome = workload.run(
        servers,
        tokens=tokens(),
        password=env["DEMO_PASSWORD"],
        staff_email=STAFF,
        hours=hours,
        filings=FILINGS,
        import_columns=list(COLUMNS.codes),
        tally=tally,
    )

    results.check("no server error or dropped connection", not tally.failures, "; ".join(tally.failures[:5]))
    results.check(
        "both servers served the workload",
        all(tally.by_server[base] > 20 for base in servers),
        str(dict(tally.by_server)),
    )
    results.check("a session signed in on one server works on the other", outcome.shared_session)
    results.check(
        "every filing got a reference", len(set(outcome.references)) == FILINGS, str(outcome.references)
    )
    problem = invariants.references_unique_without_gaps()
    results.check("references unique, without gaps, per fiscal year", problem is None, problem or "")
    problem = invariants.triaged_once(outcome.references)
    results.check(
        "a request triaged twice at once is triaged once",
        problem is None and outcome.triage_refused == len(outcome.references[::4]),
        problem or f"refused {outcome.triage_refused}",
    )
    fits = math.floor(float(free) / hours + 1e-9)
    results.check(
        "assignments stop at the person's capacity",
        len(outcome.assigned) == min(fits, FILINGS)
        and outcome.over_capacity == FILINGS - len(outcome.assigned),
        f"free {free} h, {hours} h each: {len(outcome.assigned)} assigned, {outcome.over_capacity} refused",
    )
    problem = invariants.nobody_over_capacity()
    results.check("no person over capacity", problem is None, problem or "")
    posted = invariants.comments_on(outcome.references)
    results.check(
        "every comment posted through the web forms was stored once",
        posted == outcome.comments_posted == 36,
        f"{posted} stored, {outcome.comments_posted} posted",
    )
    rated = invariants.satisfactions(outcome.resolved)
    results.check(
        "one satisfaction per request (each rated twice at once)",
        bool(outcome.resolved)
        and all(rated[ref] == 1 for ref in outcome.resolved)
        and outcome.satisfaction_ok == outcome.satisfaction_refused == len(outcome.resolved),
        f"{dict(rated)}; ok {outcome.satisfaction_ok}, refused {outcome.satisfaction_refused}",
    )
    results.check(
        "the export lists every filed request",
        set(outcome.references) <= outcome.exported_references,
        f"{len(set(outcome.references) - outcome.exported_references)} missing",
    )
    job, titles, request_id, worker = jobs_phase.import_killing_the_worker(
        browser=outcome.manager,
        servers=servers,
        rows=outcome.exported_rows,
        columns=list(COLUMNS.codes),
        count=IMPORT_ROWS,
        worker=worker,
        processes=processes,
        env=env,
        results=results,
    )
    imported = invariants.imported(titles)
    results.check(
        "no job lost: the killed import finished after the restart, every row written once",
        job.state == "done" and imported == IMPORT_ROWS,
        f"job {job.state} {job.error[:200]}; {imported} of {IMPORT_ROWS} rows",
    )
    pending = jobs_phase.wait_outbox_drained()
    problem = jobs_phase.mail_sent_exactly_once(sink)
    results.check(
        "every mail in the outbox sent exactly once",
        not pending and problem is None,
        problem or f"{len(sink.messages)} messages",
    )
    problem = invariants.audit_trail_complete(since)
    results.check("every status change and assignment has its audit event", problem is None, problem or "")
    check_logs(results, processes, request_id)


def json_lines(processes, prefix: str) -> list[dict]:
    lines = []
    for process in processes.started:
        if process.name.startswith(prefix):
            for line in process.log_path.read_text(errors="replace").splitlines():
                if line.startswith("{"):
                    lines.append(json.loads(line))
    return lines


def check_logs(results, processes, request_id: str) -> None:
    lines = json_lines(processes, "web")
    access = [line for line in lines if line.get("logger") == "gunicorn.access"]
    app = [line for line in lines if line.get("logger") == "dx.request"]
    joined = {line["request_id"] for line in access} & {line["request_id"] for line in app}
    results.check(
        "JSON logs: access and app lines share request ids",
        bool(access) and bool(app) and len(joined) >= len(app) * 0.9,
        f"{len(access)} access, {len(app)} app, {len(joined)} joined",
    )
    in_jobs = [line for line in json_lines(processes, "worker") if line.get("request_id") == request_id]
    results.check(
        "the request id of the import's confirmation reaches the job's log lines in the worker",
        bool(request_id) and any(line.get("task") for line in in_jobs),
        f"{len(in_jobs)} worker lines with {request_id}",
    )
