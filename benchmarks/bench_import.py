"""Import 10,000 skill-assessment rows from a CSV: dry run and real import (DESIGN.md §11: ≤ 15 s each).

Builds (once; reused on later runs) 250 staff profiles and 40 skills with bulk_create, then imports a UTF-8 CSV of
250 × 40 manager assessments through `skills.resources.run_import` — the same path as the import page: every row
through the services and their validation. The real import runs inside a transaction that is rolled back, so the
benchmark can be repeated on the same data.
"""

import datetime as dt
import random
import time

STAFF = 250
SKILLS = 40
PREFIX = "bench-import-"
TARGET_S = 15.0


def _setup():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role, ensure_role_groups
    from accounts.services import user_create
    from skills.models import Skill, SkillCategory, StaffProfile

    User = get_user_model()
    ensure_role_groups()
    admin = User.objects.filter(email=f"{PREFIX}admin@example.com").first() or user_create(
        actor=None,
        email=f"{PREFIX}admin@example.com",
        password=None,
        display_name="bench admin",
        roles=(Role.ADMIN,),
    )
    category, _ = SkillCategory.objects.get_or_create(code=f"{PREFIX}cat", defaults={"name": "bench"})
    skills = [
        Skill.objects.get_or_create(code=f"BI-{n:02d}", defaults={"name": f"技能{n}", "category": category})[
            0
        ]
        for n in range(SKILLS)
    ]
    emails = [f"{PREFIX}p{n:04d}@example.com" for n in range(STAFF)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=email, display_name=f"職員{n}")
            for n, email in enumerate(emails)
            if email not in existing
        ]
    )
    users = User.objects.filter(email__in=emails)
    StaffProfile.objects.bulk_create(
        [StaffProfile(user=user, capacity_hours_per_week=20) for user in users], ignore_conflicts=True
    )
    return admin, emails, skills


def _csv(emails, skills) -> bytes:
    rng = random.Random(7)
    today = dt.date.today()
    lines = ["email,skill,level,source,status,assessed_on,note"]
    for email in emails:
        for skill in skills:
            day = today - dt.timedelta(days=rng.randint(1, 700))
            lines.append(
                f"{email},{skill.code},{rng.randint(1, 5)},manager,validated,{day.isoformat()},面談による確認"
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def run() -> dict:
    from django.db import transaction

    from skills.models import SkillAssessment
    from skills.resources import CREATED, run_import

    started = time.perf_counter()
    admin, emails, skills = _setup()
    content = _csv(emails, skills)
    setup_s = time.perf_counter() - started
    rows = len(content.splitlines()) - 1

    started = time.perf_counter()
    dry = run_import(
        actor=admin, kind="assessments", content=content, filename="assessments.csv", dry_run=True
    )
    dry_s = time.perf_counter() - started
    assert dry.ok and dry.count(CREATED) == rows, dry.counts

    before = SkillAssessment.objects.count()
    with transaction.atomic():
        started = time.perf_counter()
        real = run_import(
            actor=admin, kind="assessments", content=content, filename="assessments.csv", dry_run=False
        )
        real_s = time.perf_counter() - started
        written = SkillAssessment.objects.count() - before
        transaction.set_rollback(True)
    assert real.ok and written == rows, (real.counts, written)
    return {
        "rows": rows,
        "setup_s": round(setup_s, 2),
        "dry_run_s": round(dry_s, 2),
        "real_import_s": round(real_s, 2),
        "rows_written": written,
        "target_s": TARGET_S,
        "target_met": dry_s <= TARGET_S and real_s <= TARGET_S,
    }
