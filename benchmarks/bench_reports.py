"""Reports (DESIGN.md §11): HR skill coverage over 5,000 staff ≤ 500 ms; the dashboard over 10 years ≤ 300 ms.

Builds (once; reused on later runs) 5,000 active staff with ~8 validated assessments each over 40 skills, ten job
types with target profiles, and ~2,500 support requests spread over ten fiscal years with milestones, required
skills, satisfaction and assignments. Everything is tagged "bench-rpt" so it is found again instead of duplicated.
"""

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

PREFIX = "bench-rpt"
STAFF = 5000
SKILLS = 40
JOB_TYPES = 10
ASSESSMENTS_PER_PERSON = 8
YEARS = 10
REQUESTS_PER_YEAR = 250
REPEATS = 9
TARGET_COVERAGE_MS = 500
TARGET_DASHBOARD_MS = 300


def _ensure_data() -> dict:
    from accounts.models import Organization, OrganizationKind, User
    from core.fiscal import TOKYO, fiscal_year_of
    from skills.models import (
        AssessmentSource,
        AssessmentStatus,
        Importance,
        JobType,
        Skill,
        SkillAssessment,
        SkillCategory,
        SkillInterest,
        StaffProfile,
        TargetSkill,
    )
    from support.models import (
        Assignment,
        Phase,
        RequestCategory,
        RequiredSkill,
        SatisfactionResponse,
        Status,
        SupportRequest,
    )

    rng = random.Random(2025)
    admin, _ = User.objects.get_or_create(
        email=f"{PREFIX}-admin@example.com", defaults={"is_superuser": True, "is_staff": True}
    )
    if StaffProfile.objects.filter(user__email__startswith=f"{PREFIX}-staff").count() >= STAFF:
        return {"admin": admin, "created": False}
    with transaction.atomic():
        category, _ = SkillCategory.objects.get_or_create(code=PREFIX, defaults={"name": "bench"})
        skills = [
            Skill.objects.get_or_create(
                code=f"{PREFIX}-{n:02d}", defaults={"name": f"スキル{n}", "category": category}
            )[0]
            for n in range(SKILLS)
        ]
        job_types = [
            JobType.objects.get_or_create(code=f"{PREFIX}-{n}", defaults={"name": f"ジョブ{n}"})[0]
            for n in range(JOB_TYPES)
        ]
        for jt in job_types:
            for skill in rng.sample(skills, 5):
                TargetSkill.objects.get_or_create(
                    job_type=jt,
                    skill=skill,
                    defaults={
                        "target_level": rng.randint(2, 4),
                        "importance": rng.choice(list(Importance.values)),
                    },
                )
        org, _ = Organization.objects.get_or_create(
            code=f"{PREFIX}-ORG", defaults={"name": "ベンチ局", "kind": OrganizationKind.BUREAU}
        )
        User.objects.bulk_create(
            [
                User(email=f"{PREFIX}-staff{n}@example.com", display_name=f"職員{n}", organization=org)
                for n in range(STAFF)
            ],
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(email__startswith=f"{PREFIX}-staff").order_by("pk"))
        StaffProfile.objects.bulk_create(
            [
                StaffProfile(
                    user=user,
                    job_type=rng.choice(job_types),
                    capacity_hours_per_week=Decimal(rng.choice([20, 30, 40])),
                )
                for user in users
            ],
            ignore_conflicts=True,
        )
        staff = list(StaffProfile.objects.filter(user__email__startswith=f"{PREFIX}-staff"))
        assessments, interests = [], []
        for person in staff:
            for skill in rng.sample(skills, ASSESSMENTS_PER_PERSON):
                on = dt.date(2018, 4, 1) + dt.timedelta(days=rng.randint(0, 2900))
                assessments.append(
                    SkillAssessment(
                        staff=person, skill=skill, level=rng.randint(1, 5), source=AssessmentSource.MANAGER,
                        status=AssessmentStatus.VALIDATED, assessed_on=on, validated_on=on,
                    )
                )  # fmt: skip
                if rng.random() < 0.3:
                    assessments.append(
                        SkillAssessment(
                            staff=person, skill=skill, level=rng.randint(1, 5), source=AssessmentSource.SELF,
                            status=AssessmentStatus.ADJUSTED, assessed_on=on,
                        )
                    )  # fmt: skip
                if rng.random() < 0.1:
                    interests.append(SkillInterest(staff=person, skill=skill, wants_to_learn=True))
        SkillAssessment.objects.bulk_create(assessments, batch_size=5000)
        SkillInterest.objects.bulk_create(interests, ignore_conflicts=True)

        categories = [
            RequestCategory.objects.get_or_create(code=f"{PREFIX}-{n}", defaults={"name": f"区分{n}"})[0]
            for n in range(12)
        ]
        requests = []
        for year in range(2016, 2016 + YEARS):
            for n in range(REQUESTS_PER_YEAR):
                submitted = dt.datetime(year, 4, 1, 9, tzinfo=TOKYO) + dt.timedelta(
                    days=rng.randint(0, 364), hours=rng.randint(0, 8)
                )
                first = submitted + dt.timedelta(days=rng.randint(0, 10))
                resolved = first + dt.timedelta(days=rng.randint(1, 90)) if rng.random() < 0.9 else None
                requests.append(
                    SupportRequest(
                        reference=f"BR-{year}-{n:04d}", fiscal_year=fiscal_year_of(submitted), title=f"依頼{n}",
                        description="bench", organization=org, requester=admin, category=rng.choice(categories),
                        phase=rng.choice(list(Phase.values)), status=Status.CLOSED if resolved else Status.IN_PROGRESS,
                        submitted_at=submitted, first_response_at=first, triaged_at=first, resolved_at=resolved,
                        due_date=(submitted + dt.timedelta(days=60)).date(), estimated_hours=Decimal(rng.randint(4, 80)),
                    )
                )  # fmt: skip
        SupportRequest.objects.bulk_create(requests, batch_size=1000)
        requests = list(SupportRequest.objects.filter(reference__startswith="BR-"))
        RequiredSkill.objects.bulk_create(
            [
                RequiredSkill(request=request, skill=skill, min_level=rng.randint(2, 4))
                for request in requests
                for skill in rng.sample(skills, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        SatisfactionResponse.objects.bulk_create(
            [
                SatisfactionResponse(request=request, score=rng.randint(1, 5), respondent=admin)
                for request in requests
                if request.resolved_at and rng.random() < 0.7
            ],
            batch_size=5000,
        )
        open_requests = [request for request in requests if request.resolved_at is None]
        Assignment.objects.bulk_create(
            [
                Assignment(
                    request=request,
                    staff=rng.choice(staff),
                    allocated_hours_per_week=Decimal(rng.randint(2, 10)),
                )
                for request in open_requests
            ],
            ignore_conflicts=True,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"admin": admin, "created": True}


def _measure(function) -> dict:
    timings, queries = [], None
    function()  # warm up
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            function()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 1),
        "queries": queries,
    }


def run() -> dict:
    from accounts.roles import roles_of
    from reports.coverage import skill_coverage_for
    from reports.dashboard import dashboard_for
    from reports.demand_supply import skill_demand_supply_for
    from skills.models import SkillAssessment, StaffProfile
    from support.models import SupportRequest

    started = time.perf_counter()
    data = _ensure_data()
    build_seconds = round(time.perf_counter() - started, 1)
    admin = data["admin"]
    roles_of(admin)
    today = dt.date(2026, 3, 31)
    coverage = _measure(lambda: skill_coverage_for(admin, fiscal_year=2025, quarter=4, today=today))
    dashboard = _measure(
        lambda: dashboard_for(admin, fiscal_year=2024, quarter=4, now=dt.datetime(2026, 3, 31, tzinfo=dt.UTC))
    )
    demand = _measure(lambda: skill_demand_supply_for(admin, fiscal_year=2024, today=today))
    return {
        "data": {
            "active_staff": StaffProfile.objects.filter(active=True).count(),
            "assessments": SkillAssessment.objects.count(),
            "requests": SupportRequest.objects.count(),
            "built_now": data["created"],
            "build_seconds": build_seconds,
        },
        "skill_coverage": {
            **coverage,
            "target_ms": TARGET_COVERAGE_MS,
            "met": coverage["p50_ms"] <= TARGET_COVERAGE_MS,
        },
        "dashboard": {
            **dashboard,
            "target_ms": TARGET_DASHBOARD_MS,
            "met": dashboard["p50_ms"] <= TARGET_DASHBOARD_MS,
        },
        "skill_demand_supply": demand,
        "note": (
            "Targets are stated for 5,000 staff and ~2,500 requests over 10 years. Every active profile and every "
            "request in the database counts, so data left by other benchmarks on the same database enlarges the "
            "figures (see data)."
        ),
    }
