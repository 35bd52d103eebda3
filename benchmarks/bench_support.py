"""Support requests at national scale: 100,000 requests over ten fiscal years (FY2006–FY2015, so they never
collide with demo data), 1,741 municipalities, 200 staff, two required skills per request, a third assigned.

Figures (whole pages through the test client, as an ICT manager; p50/p95 over PAGE_REPEAT runs each):
* list pages at depth 1, 100 and 1,000, with filters, sorts and search, and the triage queue: p50/p95 ms and SQL
  query count — target p95 ≤ 100 ms at any depth, the same number of queries at every depth;
* GraphQL `supportRequests(first: 100)` with organisation, assignees and required skills through /graphql/:
  p50 ms — target ≤ 30 ms on PostgreSQL, ≤ 1.3× a plain JSON view of the same data (benchmarks.json_view), and
  faster than the ordinary resolvers (select_related/prefetch_related, graphene's own field resolution: the
  baseline). The naive resolvers (no select_related/prefetch: one query per row per relation) are a second line.
  The four variants run in turn, round after round, so that the machine's load weighs on each alike;
* EXPLAIN of the main list queries on PostgreSQL (top node and the indexes they read);
* the machine's 1-minute load average before and after.

The data is built once with bulk_create and reused on later runs (it is recognised by its organisation codes).
"""

import datetime as dt
import os
import random
import re
import statistics
import time
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.scale import scaled

N_REQUESTS = scaled(10_000, 100) * 10  # ten fiscal years of as many requests each
N_ORGS = scaled(1_741, 50)
N_STAFF = 200
YEARS = range(2006, 2016)
ORG_PREFIX = "BENCH-MUNI-"
GRAPHQL_WARMUP, GRAPHQL_REPEAT = 3, 40

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


def _load() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def _summary(timings) -> dict:
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "runs": len(timings),
    }


@contextmanager
def _api_list(kind: str):
    """The GraphQL list resolved as `kind`: "ordinary" (select_related/prefetch_related and graphene's resolvers
    over model instances: the baseline) or "naive" (no select_related/prefetch: what graphene does left to
    itself)."""
    from support import selectors
    from support.models import SupportRequest

    original = selectors.request_list_for_api
    original_list = selectors.request_list_for

    def ordinary(user, *, filters=None, **_reads):
        return original_list(user, filters=filters)

    def naive(user, **_kwargs):
        return SupportRequest.objects.order_by("-submitted_at", "-pk")

    selectors.request_list_for_api = ordinary if kind == "ordinary" else naive
    try:
        yield
    finally:
        selectors.request_list_for_api = original


def _queries_of(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


LIST_URLS = [
    "/requests/",
    "/requests/?page=100",
    "/requests/?page=1000",
    "/requests/?status=in_progress",
    "/requests/?status=in_progress&page=100",
    "/requests/?fiscal_year=2015&category=spec-review",
    "/requests/?sort=due_date&per_page=100",
    "/requests/?sort=due_date&page=1000",
    "/requests/?sort=-organization&page=100",
    "/requests/?overdue=on&organization_kind=municipality_city",
    "/requests/?overdue=on&organization_kind=municipality_city&page=100",
    "/requests/?q=2012-4321",
    "/requests/?q=2015-9",
    "/requests/triage/",
    "/requests/triage/?page=100",
    "/requests/triage/?_all=1&page=1000",
]
PAGE_REPEAT = 30


def _list_pages(client) -> dict:
    page = {}
    for url in LIST_URLS:
        client.get(url)  # warm up
        count = _queries_of(lambda u=url: client.get(u))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page[url] = {**_summary(_time(lambda u=url: client.get(u), PAGE_REPEAT)), "queries": count}
    return page


def _explain() -> dict:
    """Plans of the list's main queries: the capped count, a deep page's keys, a search (top node + indexes)."""
    if connection.vendor != "postgresql":
        return {}
    from core.pagination import COUNT_CAP
    from support.models import SupportRequest

    newest = SupportRequest.objects.order_by("-submitted_at", "-pk")
    queries = {
        "count_capped_inner": newest.order_by().values("pk")[: COUNT_CAP + 1],
        "keys_page_1000": newest.values("pk")[24975:25001],
        "keys_in_progress_page_100": newest.filter(status="in_progress").values("pk")[2475:2501],
        # a frequent term: the planner walks the order's index and stops at 26 matches
        "search_frequent_term": newest.filter(
            Q(reference__iexact="2015-9") | Q(title__icontains="2015-9")
        ).values("pk")[:26],
        # a rare one (one request): the trigram index on UPPER(title) OR the UPPER(reference) index
        "search_rare_term": newest.filter(
            Q(reference__iexact="2012-4321") | Q(title__icontains="2012-4321")
        ).values("pk")[:26],
        "triage_submitted": newest.filter(status="submitted")
        .order_by("submitted_at", "pk")
        .values("pk")[:26],
    }
    plans = {}
    for name, queryset in queries.items():
        lines = queryset.explain().splitlines()
        plans[name] = {
            "top": lines[0].strip(),
            "indexes": sorted(
                {m for line in lines for m in re.findall(r"(?:using|Index Scan on) (\w+)", line)}
            ),
        }
    return plans


def _graphql(client) -> dict:
    from django.test import override_settings

    variants = ("graphql", "ordinary", "naive", "json")
    timings = {name: [] for name in variants}
    counts = {}

    def call(name):
        if name == "json":
            response = client.get("/bench/requests.json", {"first": 100})
        else:
            response = client.post(
                "/graphql/", {"query": QUERY, "variables": {"first": 100}}, content_type="application/json"
            )
        return response

    def timed(name):
        started = time.perf_counter()
        response = call(name)
        timings[name].append((time.perf_counter() - started) * 1000)
        body = response.json()  # checked after the timing: server time only
        assert "errors" not in body and len(body["data"]["supportRequests"]["edges"]) == 100, body
        return body

    def run(name, fn):
        if name in ("ordinary", "naive"):
            with _api_list(name):
                return fn(name)
        return fn(name)

    with override_settings(ROOT_URLCONF="benchmarks.json_view"):
        answers = {}
        for name in variants:
            for _ in range(GRAPHQL_WARMUP):
                run(name, call)
            counts[name] = _queries_of(lambda n=name: run(n, call))
            answers[name] = run(name, timed)["data"]
        timings = {name: [] for name in variants}
        assert answers["graphql"] == answers["ordinary"] == answers["json"], (
            "the variants must answer the same"
        )
        for round_number in range(GRAPHQL_REPEAT):
            for name in variants:
                if name == "naive" and round_number % 5:
                    continue  # 500 queries each: a few rounds are enough
                run(name, timed)
    p50 = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "graphql_first100_p50_ms": round(p50["graphql"], 1),
        "graphql_first100_p95_ms": round(_percentile(timings["graphql"], 0.95), 1),
        "graphql_first100_queries": counts["graphql"],
        "graphql_repetitions": GRAPHQL_REPEAT,
        "graphql_ordinary_p50_ms": round(p50["ordinary"], 1),
        "graphql_ordinary_queries": counts["ordinary"],
        "graphql_naive_p50_ms": round(p50["naive"], 1),
        "graphql_naive_queries": counts["naive"],
        "json_view_p50_ms": round(p50["json"], 1),
        "json_view_p95_ms": round(_percentile(timings["json"], 0.95), 1),
        "json_view_queries": counts["json"],
        "graphql_speedup_over_ordinary": round(p50["ordinary"] / p50["graphql"], 2),
        "graphql_speedup_over_naive": round(p50["naive"] / p50["graphql"], 1),
        "graphql_cost_vs_json_view": round(p50["graphql"] / p50["json"], 2),
        "graphql_target": "p50 <= 30 ms on PostgreSQL, <= 1.3x the plain JSON view, faster than ordinary",
        "graphql_target_met": p50["graphql"] <= 30
        and p50["graphql"] <= 1.3 * p50["json"]
        and p50["graphql"] < p50["ordinary"],
    }


BASELINES = {
    "list pages": "whole pages through django.test.Client (session, middleware, template), signed in as an ICT "
    "manager, after one warm-up request; p50/p95 over PAGE_REPEAT runs",
    "graphql_ordinary": "the same GraphQL query over request_list_for (select_related organisation/category/"
    "requester, prefetch_related active assignments and required skills) with graphene's resolvers over model "
    "instances: what an ordinary optimised graphene-django list does",
    "graphql_naive": "the same GraphQL query over SupportRequest.objects (no select_related/prefetch: one query "
    "per row per relation)",
    "json_view": "benchmarks.json_view: the same dicts from one optimised queryset plus the count, JsonResponse, "
    "through the same client and middleware",
}


def run() -> dict:
    load_before = _load()
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

    load_at_pages = _load()
    page = _list_pages(client)
    list_p95 = max(figures["p95_ms"] for figures in page.values())
    graphql = _graphql(client)
    return {
        "requests": N_REQUESTS,
        "data_built_now": made["built"],
        "build_seconds": build_seconds,
        "load_average_1min_before": load_before,
        "load_average_1min_at_pages": load_at_pages,
        "load_average_1min_after": _load(),
        "baselines": BASELINES,
        "list_pages": page,
        "list_worst_p95_ms": list_p95,
        "list_queries_by_depth_constant": len({page[u]["queries"] for u in LIST_URLS[:3]}) == 1,
        "list_target": "p95 <= 100 ms at any page depth, constant queries",
        "list_target_met": list_p95 <= 100,
        **graphql,
        "explain": _explain(),
    }
