"""The concurrent workload, spread over both servers: filing, triage (with duplicate races), assignment against one
person's capacity, comments through the web forms, resolution, satisfaction (double submissions), an export.
The import (a job the worker runs, killed once) is in jobs_phase.py."""

import csv
import io
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.cluster.clients import Api, Browser, Tally, payload_errors

SUBMIT = """mutation($title: String!, $description: String!) {
  submitSupportRequest(title: $title, description: $description, category: "spec-review", phase: PROCUREMENT,
                       dueDate: "2099-03-31", contact: "内線 1234") {
    supportRequest { reference } errors { code } } }"""
TRIAGE = """mutation($reference: String!) {
  triageSupportRequest(reference: $reference, accept: true, priority: NORMAL, estimatedHours: "8") {
    supportRequest { status } errors { code } } }"""
ASSIGN = """mutation($request: ID!, $staff: ID!, $hours: Float!) {
  assignStaff(request: $request, staff: $staff, role: LEAD, hours: $hours) {
    assignment { id request { status } } errors { code } } }"""
STATUS = """mutation($reference: String!, $status: SupportRequestStatus!) {
  changeSupportRequestStatus(reference: $reference, status: $status, note: "cluster") {
    supportRequest { status } errors { code } } }"""
SATISFACTION = """mutation($reference: String!) {
  submitSatisfaction(reference: $reference, score: 4, comment: "ありがとうございました") {
    supportRequest { status } errors { code } } }"""


@dataclass
class Outcome:
    references: list[str] = field(default_factory=list)
    triage_refused: int = 0
    assigned: list[str] = field(default_factory=list)
    over_capacity: int = 0
    comments_posted: int = 0
    resolved: list[str] = field(default_factory=list)
    satisfaction_ok: int = 0
    satisfaction_refused: int = 0
    exported_references: set[str] = field(default_factory=set)
    exported_rows: list[list[str]] = field(default_factory=list)
    manager: Browser | None = None  # the manager's signed-in browser session, for the import
    shared_session: bool = False


def run(
    servers: list[str],
    *,
    tokens: dict[str, str],
    password: str,
    staff_email: str,
    hours: float,
    filings: int,
    import_columns: list[str],
    tally: Tally,
    threads: int = 8,
) -> Outcome:
    a, b = servers
    nth = itertools.cycle(servers)
    outcome = Outcome()
    requester, manager, staff = (Api(tokens[role], tally) for role in ("requester", "manager", "staff"))
    pool = ThreadPoolExecutor(max_workers=threads)

    # Sessions live in Redis: signed in on one server, the next page comes from the other.
    web_requester, web_manager = Browser(tally), Browser(tally)
    web_requester.login(a, "requester@example.com", password)
    web_manager.login(b, "manager@example.com", password)
    outcome.shared_session = (
        web_requester.get(b, "/requests/").status_code == 200
        and web_manager.get(a, "/requests/").status_code == 200
    )

    def submit(i, base):
        data = requester.execute(base, SUBMIT, title=f"cluster {i:03d}", description="負荷試験の依頼です。")
        return data["submitSupportRequest"]["supportRequest"]["reference"]

    outcome.references = list(pool.map(submit, range(filings), itertools.islice(nth, filings)))

    # Triage every request; a quarter are triaged twice at once, once through each server.
    jobs = [(ref, base) for ref, base in zip(outcome.references, nth, strict=False)]
    jobs += [(ref, b if base == a else a) for ref, base in jobs[::4]]
    triage = list(
        pool.map(lambda job: payload_errors(manager.execute(job[1], TRIAGE, reference=job[0])), jobs)
    )
    outcome.triage_refused = sum(1 for errors in triage if errors)

    # Everyone wants the same person as lead: only as many as fit in their free hours may succeed.
    def assign(ref, base):
        data = manager.execute(base, ASSIGN, request=ref, staff=staff_email, hours=hours)
        return ref, payload_errors(data)

    for ref, errors in pool.map(assign, outcome.references, nth):
        if not errors:
            outcome.assigned.append(ref)
        elif errors == ["over_capacity"]:
            outcome.over_capacity += 1
        else:
            raise RuntimeError(f"assigning {ref}: {errors}")

    # Comments through the web forms of both servers (session + CSRF).
    def comment(job):
        (ref, n), base = job
        response = web_requester.post(base, f"/requests/{ref}/comments/", {"body": f"追記 {n}"})
        return response.status_code == 302

    comment_jobs = list(zip(itertools.product(outcome.references[:12], range(3)), nth, strict=False))
    outcome.comments_posted = sum(pool.map(comment, comment_jobs))

    # The lead resolves their requests; then the requester rates each twice at once, through each server.
    def resolve(ref, base):
        errors = payload_errors(staff.execute(base, STATUS, reference=ref, status="RESOLVED"))
        if errors == ["invalid_transition"]:  # still triaged: start first
            staff.execute(base, STATUS, reference=ref, status="IN_PROGRESS")
            errors = payload_errors(staff.execute(base, STATUS, reference=ref, status="RESOLVED"))
        return ref, errors

    outcome.resolved = [ref for ref, errors in pool.map(resolve, outcome.assigned, nth) if not errors]
    ratings = list(
        pool.map(
            lambda job: payload_errors(requester.execute(job[1], SATISFACTION, reference=job[0])),
            [(ref, server) for ref in outcome.resolved for server in servers],
        )
    )
    outcome.satisfaction_ok = sum(1 for errors in ratings if not errors)
    outcome.satisfaction_refused = len(ratings) - outcome.satisfaction_ok

    # Export from one server (the import phase builds its file from these rows).
    exported = web_manager.get(a, "/requests/export/?format=csv")
    outcome.exported_rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    at = {name: index for index, name in enumerate(import_columns)}
    outcome.exported_references = {row[at["reference"]] for row in outcome.exported_rows[1:]}
    outcome.manager = web_manager
    pool.shutdown()
    return outcome
