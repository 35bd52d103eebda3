"""Expert search over 5,000 staff × 40 skills: query count and time (p50/p95) of one results page.

Builds (once; reused on later runs) 5,000 staff profiles with a validated assessment of each of 40 skills plus
older history and some pending self-assessments, using bulk_create. Target: a page of the expert finder
(count + 25 rows sorted by a level) in a constant number of queries, p95 ≤ 200 ms (DESIGN.md §11, list pages).
"""

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from benchmarks.scale import scaled

STAFF = scaled(5000, 100)
SKILLS = 40
REPEAT = 15
PREFIX = "bench-skill-"
TARGET_P95_MS = 200.0


def _setup():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role, ensure_role_groups
    from accounts.services import user_create
    from skills.models import (
        AssessmentSource,
        AssessmentStatus,
        Skill,
        SkillAssessment,
        SkillCategory,
        StaffProfile,
    )

    User = get_user_model()
    ensure_role_groups()
    reader = User.objects.filter(email=f"{PREFIX}hr@example.com").first() or user_create(
        actor=None, email=f"{PREFIX}hr@example.com", password=None, display_name="bench hr", roles=(Role.HR,)
    )
    category, _ = SkillCategory.objects.get_or_create(code=f"{PREFIX}cat", defaults={"name": "bench"})
    skills = list(Skill.objects.filter(code__startswith=PREFIX).order_by("code"))
    if len(skills) < SKILLS:
        Skill.objects.bulk_create(
            [Skill(code=f"{PREFIX}{i:02d}", name=f"bench {i}", category=category) for i in range(SKILLS)],
            ignore_conflicts=True,
        )
        skills = list(Skill.objects.filter(code__startswith=PREFIX).order_by("code"))
    if StaffProfile.objects.filter(user__email__startswith=f"{PREFIX}p").count() < STAFF:
        rng = random.Random(7)
        users = User.objects.bulk_create(
            [
                User(email=f"{PREFIX}p{i:05d}@example.com", display_name=f"職員 {i:05d}", password="!")
                for i in range(STAFF)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(email__startswith=f"{PREFIX}p").order_by("email"))
        StaffProfile.objects.bulk_create(
            [
                StaffProfile(user=u, capacity_hours_per_week=Decimal(rng.choice((10, 20, 30, 40))))
                for u in users
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        profiles = list(StaffProfile.objects.filter(user__email__startswith=f"{PREFIX}p"))
        today = dt.date.today()
        rows = []
        for profile in profiles:
            for skill in skills:
                level = rng.randint(1, 5)
                rows.append(
                    SkillAssessment(
                        staff=profile,
                        skill=skill,
                        level=max(1, level - 1),
                        source=AssessmentSource.MANAGER,
                        status=AssessmentStatus.VALIDATED,
                        assessed_on=today - dt.timedelta(days=rng.randint(400, 1400)),
                    )
                )
                rows.append(
                    SkillAssessment(
                        staff=profile,
                        skill=skill,
                        level=level,
                        source=AssessmentSource.MANAGER,
                        status=AssessmentStatus.VALIDATED,
                        assessed_on=today - dt.timedelta(days=rng.randint(1, 399)),
                    )
                )
                if rng.random() < 0.1:
                    rows.append(
                        SkillAssessment(
                            staff=profile,
                            skill=skill,
                            level=min(5, level + 1),
                            source=AssessmentSource.SELF,
                            status=AssessmentStatus.PENDING,
                            assessed_on=today,
                        )
                    )
            if len(rows) > 20000:
                SkillAssessment.objects.bulk_create(rows, batch_size=5000)
                rows = []
        SkillAssessment.objects.bulk_create(rows, batch_size=5000)
    return reader, skills


def _page(reader, skills):
    from skills import selectors

    queryset = selectors.expert_search_for(
        reader,
        requirements=[
            selectors.SkillRequirement(skills[3].pk, 3),
            selectors.SkillRequirement(skills[17].pk, 2),
        ],
        available_hours=Decimal(8),
    ).order_by("-level_0", "user__display_name")
    total = queryset.count()
    rows = list(queryset[:25])
    return total, rows


def run() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader, skills = _setup()
    _page(reader, skills)  # warm up
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        total, rows = _page(reader, skills)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        _page(reader, skills)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return {
        "staff": STAFF,
        "skills": SKILLS,
        "matches": total,
        "page_rows": len(rows),
        "queries_per_page": len(ctx.captured_queries),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "target": f"constant queries; p95 <= {TARGET_P95_MS:.0f} ms",
        "met": p95 <= TARGET_P95_MS,
    }
