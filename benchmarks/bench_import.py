"""Import 10,000 skill-assessment rows from a CSV: dry run and real import (DESIGN.md §11: ≤ 5 s of worker time
each, < 100 MB).

Builds (once; reused on later runs) 250 staff profiles and 40 skills with bulk_create, then imports a UTF-8 CSV of
250 × 40 manager assessments through `skills.resources.run_import` — the same path as the import page: every row
through the services' rules (``assessment_import_check``), then the bulk write. The real import runs inside a
transaction that is rolled back, so the benchmark can be repeated on the same data.

Memory: the peak of Python allocations during the real import (tracemalloc, a separate run: tracing slows it) and
the process's peak RSS. A/B: the real import with the bulk write against the same import writing row by row (the
previous path: one INSERT for the assessment and one for its audit event per row), alternately in this process.
"""

import datetime as dt
import os
import random
import resource
import statistics
import time
import tracemalloc

from benchmarks.scale import scaled

STAFF = scaled(250, 5)  # × SKILLS rows: 10,000 at scale 1
SKILLS = 40
PREFIX = "bench-import-"
TARGET_S = 5.0
TARGET_MB = 100.0
AB_ROUNDS = 2


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


def _per_row_resource():
    """The assessment import writing each row as it goes (the path before the bulk write), for the A/B figures."""
    from django.db import transaction

    from core.audit import record
    from skills.resources import SkillAssessmentResource

    class PerRow(SkillAssessmentResource):
        def after_import(self, dataset, result, **kwargs):
            if self.report.rejected:
                return
            for assessment in self.to_write:
                with transaction.atomic(savepoint=False):
                    assessment.save()
                    record(actor=self.actor, verb="skill_assessment.import", target=assessment, data={})
            self.to_write = []

    return PerRow


def _real_import(resource_class, admin, content) -> tuple[float, int]:
    from django.db import transaction

    from core.tabular.resource import run_import
    from skills.models import SkillAssessment

    before = SkillAssessment.objects.count()
    with transaction.atomic():
        started = time.perf_counter()
        report = run_import(resource_class(actor=admin), content=content, filename="a.csv", dry_run=False)
        seconds = time.perf_counter() - started
        written = SkillAssessment.objects.count() - before
        transaction.set_rollback(True)
    assert report.ok and written == len(content.splitlines()) - 1, (report.counts, written)
    return seconds, written


def run() -> dict:
    from skills.resources import CREATED, SkillAssessmentResource, run_import

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

    real_s, written = _real_import(SkillAssessmentResource, admin, content)

    tracemalloc.start()
    _real_import(SkillAssessmentResource, admin, content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20

    per_row = _per_row_resource()
    ab = {"bulk": [], "per_row": []}
    for _ in range(AB_ROUNDS):
        ab["per_row"].append(_real_import(per_row, admin, content)[0])
        ab["bulk"].append(_real_import(SkillAssessmentResource, admin, content)[0])
    return {
        "rows": rows,
        "setup_s": round(setup_s, 2),
        "dry_run_s": round(dry_s, 2),
        "real_import_s": round(real_s, 2),
        "rows_written": written,
        "python_peak_mb_tracemalloc": round(peak_mb, 1),
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "ab_real_import_s_median": {name: round(statistics.median(v), 2) for name, v in ab.items()},
        "load_average": round(os.getloadavg()[0], 2),
        "target_s": TARGET_S,
        "target_mb": TARGET_MB,
        "target_met": dry_s <= TARGET_S and real_s <= TARGET_S and peak_mb < TARGET_MB,
    }
