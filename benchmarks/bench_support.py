"""Support requests at national scale: 100,000 requests over ten fiscal years (FY2006–FY2015, so they never
collide with demo data), 1,741 municipalities, 200 staff, two required skills per request, a third assigned.

Figures:
* list page (/requests/, as an ICT manager, several filter/sort combinations): p50/p95 ms and SQL query count —
  target p95 ≤ 200 ms, constant queries;
* GraphQL `supportRequests(first: 100)` with organisation, assignees and required skills: p50 ms — target ≤ 30 ms
  on PostgreSQL and ≥ 5× faster than the same query resolved naively (no select_related/prefetch: one query per
  row per relation);
* EXPLAIN of the list query on PostgreSQL, to show the index it uses.

The data is built once with bulk_create and reused on later runs (it is recognised by its organisation codes).
"""

import datetime as dt
import os
import random
import statistics
import time
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

N_REQUESTS = 100_000
N_ORGS = 1_741
N_STAFF = 200
YEARS = range(2006, 2016)
ORG_PREFIX = "BENCH-MUNI-"
GRAPHQL_WARMUP, GRAPHQL_REPEAT = 5, 40

QUERY = """query($first: Int) { supportRequests(first: $first) { totalCount edges { node {
  reference title status organization { code name } requiredSkills { skillCode minLevel }
  assignments { staffName role } } } } }"""


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


@transaction.atomic
def build() -> dict:
    from accounts.models import Organization, OrganizationKind, User
    from accounts.roles import Role, ensure_role_groups
    from accounts.services import user_create
    from core.fiscal import TOKYO
    from seeds.reference_support import load_request_categories
    from skills.models import Skill, SkillCategory, StaffProfile
    from support.models import (
        Assignment,
        Phase,
        RequestCategory,
        RequestSequence,
        RequiredSkill,
        Status,
        SupportRequest,
    )

    ensure_role_groups()
    load_request_categories()
    manager = User.objects.filter(email="bench-support-manager@example.com").first() or user_create(
        actor=None,
        email="bench-support-manager@example.com",
        password=None,
        display_name="bench manager",
        roles=(Role.ICT_STAFF, Role.ICT_MANAGER),
    )
    existing = SupportRequest.objects.filter(fiscal_year__in=list(YEARS)).count()
    if existing >= N_REQUESTS:
        return {"manager": manager, "built": False}
    rng = random.Random(11)
    SupportRequest.objects.filter(fiscal_year__in=list(YEARS)).delete()
    orgs = list(Organization.objects.filter(code__startswith=ORG_PREFIX))
    if len(orgs) < N_ORGS:
        Organization.objects.bulk_create(
            [
                Organization(
                    kind=OrganizationKind.CITY,
                    code=f"{ORG_PREFIX}{i:04d}",
                    name=f"ベンチ市{i}",
                    name_en=f"Bench City {i}",
                )
                for i in range(len(orgs), N_ORGS)
            ]
        )
        orgs = list(Organization.objects.filter(code__startswith=ORG_PREFIX))
    users = {u.organization_id: u for u in User.objects.filter(email__startswith="bench-req-")}
    missing = [o for o in orgs if o.pk not in users]
    if missing:
        new_users = [
            User(email=f"bench-req-{o.code.lower()}@example.com", organization=o, password="!")
            for o in missing
        ]
        User.objects.bulk_create(new_users)
        users = {u.organization_id: u for u in User.objects.filter(email__startswith="bench-req-")}
    group, _ = SkillCategory.objects.get_or_create(code="bench-support", defaults={"name": "ベンチ"})
    skills = list(Skill.objects.filter(code__startswith="bench-sup-"))
    if len(skills) < 40:
        Skill.objects.bulk_create(
            [
                Skill(code=f"bench-sup-{i:02d}", name=f"ベンチスキル{i}", category=group)
                for i in range(len(skills), 40)
            ]
        )
        skills = list(Skill.objects.filter(code__startswith="bench-sup-"))
    staff = list(StaffProfile.objects.filter(user__email__startswith="bench-sup-staff-"))
    if len(staff) < N_STAFF:
        staff_users = [
            User(email=f"bench-sup-staff-{i:03d}@example.com", display_name=f"職員{i}", password="!")
            for i in range(len(staff), N_STAFF)
        ]
        User.objects.bulk_create(staff_users)
        fresh = User.objects.filter(email__startswith="bench-sup-staff-", staff_profile__isnull=True)
        StaffProfile.objects.bulk_create([StaffProfile(user=u, capacity_hours_per_week=40) for u in fresh])
        staff = list(StaffProfile.objects.filter(user__email__startswith="bench-sup-staff-"))
    categories = list(RequestCategory.objects.all())
    statuses = [s.value for s in Status]
    phases = [p.value for p in Phase]
    per_year = N_REQUESTS // len(YEARS)
    requests = []
    for fy in YEARS:
        start = dt.datetime(fy, 4, 1, 9, tzinfo=TOKYO)
        stamps = sorted(start + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)) for _ in range(per_year))
        for number, stamp in enumerate(stamps, start=1):
            org = rng.choice(orgs)
            requests.append(
                SupportRequest(
                    reference=f"DX-{fy}-{number:05d}",
                    fiscal_year=fy,
                    title=f"ベンチ依頼 {fy}-{number}",
                    description="ベンチマーク用",
                    organization=org,
                    requester=users[org.pk],
                    category=rng.choice(categories),
                    phase=rng.choice(phases),
                    priority=rng.randint(0, 3),
                    status=rng.choice(statuses),
                    submitted_at=stamp,
                    due_date=stamp.date() + dt.timedelta(days=60),
                )
            )
        RequestSequence.objects.update_or_create(fiscal_year=fy, defaults={"last_number": per_year})
    SupportRequest.objects.bulk_create(requests, batch_size=5000)
    required, assignments = [], []
    for request in requests:
        for skill in rng.sample(skills, 2):
            required.append(RequiredSkill(request=request, skill=skill, min_level=rng.randint(1, 5)))
        if rng.random() < 0.33:
            assignments.append(
                Assignment(
                    request=request, staff=rng.choice(staff), role="lead", allocated_hours_per_week=Decimal(4)
                )
            )
    RequiredSkill.objects.bulk_create(required, batch_size=10000)
    Assignment.objects.bulk_create(assignments, batch_size=10000)
    return {"manager": manager, "built": True}


def _time(fn, repeat):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


@contextmanager
def _naive():
    """Resolve the list without select_related/prefetch_related: what graphene does left to itself."""
    from support import selectors
    from support.models import SupportRequest

    originals = selectors.request_list_for, selectors.request_list_for_api

    def naive(user, **kwargs):
        return SupportRequest.objects.order_by("-submitted_at", "-pk")

    selectors.request_list_for = selectors.request_list_for_api = naive
    try:
        yield
    finally:
        selectors.request_list_for, selectors.request_list_for_api = originals


def run() -> dict:
    started = time.perf_counter()
    made = build()
    build_seconds = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        # Planner statistics and the visibility map, as autovacuum keeps them in production (freshly bulk-loaded
        # tables have no visibility map, so counts could not use an index-only scan). Outside a transaction.
        # Every table: the list joins organisations and users, whose statistics matter to the plan as much.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    from django.core import signals
    from django.db import reset_queries

    signals.request_started.disconnect(reset_queries)  # keep the captured queries of each request
    client = Client(SERVER_NAME="localhost")
    client.force_login(made["manager"])

    urls = [
        "/requests/",
        "/requests/?status=in_progress",
        "/requests/?fiscal_year=2015&category=spec-review",
        "/requests/?sort=due_date&per_page=100",
        "/requests/?overdue=on&organization_kind=municipality_city",
        "/requests/triage/",
    ]
    page = {}
    all_timings = []
    for url in urls:
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)  # read now: the log does not survive later requests
        assert response.status_code == 200, (url, response.status_code)
        timings = _time(lambda u=url: client.get(u), 15)
        all_timings += timings
        page[url] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(_percentile(timings, 0.95), 1),
            "queries": count,
        }
    list_p95 = round(_percentile(all_timings, 0.95), 1)

    responses = []

    def post():
        responses.append(
            client.post(
                "/graphql/", {"query": QUERY, "variables": {"first": 100}}, content_type="application/json"
            )
        )

    def gql():
        post()
        return check()

    def check():
        """Every answer so far is a full page without errors (read after the timing: server time only)."""
        for response in responses:
            body = response.json()
            assert "errors" not in body and len(body["data"]["supportRequests"]["edges"]) == 100, body
        responses.clear()

    for _ in range(GRAPHQL_WARMUP):
        gql()
    with CaptureQueriesContext(connection) as queries:
        gql()
    gql_count = len(queries)
    optimized = _time(post, GRAPHQL_REPEAT)
    check()
    with _naive():
        gql()
        with CaptureQueriesContext(connection) as naive_queries:
            gql()
        naive_count = len(naive_queries)
        naive = _time(post, 5)
        check()
    p50, naive_p50 = statistics.median(optimized), statistics.median(naive)

    explain = ""
    if connection.vendor == "postgresql":
        from support.models import SupportRequest

        explain = (
            SupportRequest.objects.filter(status="in_progress")
            .order_by("-submitted_at", "-pk")[:25]
            .explain()
        )

    return {
        "requests": N_REQUESTS,
        "data_built_now": made["built"],
        "build_seconds": build_seconds,
        "list_pages": page,
        "list_p95_ms": list_p95,
        "list_target": "p95 <= 200 ms, constant queries",
        "list_target_met": list_p95 <= 200,
        "graphql_first100_p50_ms": round(p50, 1),
        "graphql_repetitions": GRAPHQL_REPEAT,
        "graphql_first100_p95_ms": round(_percentile(optimized, 0.95), 1),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "graphql_first100_queries": gql_count,
        "graphql_naive_p50_ms": round(naive_p50, 1),
        "graphql_naive_queries": naive_count,
        "graphql_speedup": round(naive_p50 / p50, 1),
        "graphql_target": "p50 <= 30 ms on PostgreSQL and >= 5x faster than naive",
        "graphql_target_met": p50 <= 30 and naive_p50 / p50 >= 5,
        "explain_list_in_progress": explain.splitlines()[:6] if explain else [],
    }
