"""Reference data for support requests: the 12 categories (支援区分) of the glossary, Japanese and English, and
each category's skill profile (data/category_skills.csv: the skills a request of the category usually needs, drawn
from the seeds' descriptions — a spec review needs procurement and architecture, a government-cloud migration cloud,
network and ガバメントクラウド, a website web, accessibility and UI/UX, user tests UX research …)."""

import csv
from pathlib import Path

from django.db import transaction

from core.audit import record
from skills.models import Skill
from support import services, sla
from support.models import CategorySkill, Priority, RequestCategory, ServiceLevel

PROFILES = Path(__file__).resolve().parent / "data" / "category_skills.csv"

CATEGORIES = (
    # code, 日本語, English
    ("spec-review", "仕様書の技術的確認", "Specification review"),
    ("procurement", "調達・契約支援", "Procurement and contract support"),
    ("project-support", "プロジェクト推進支援", "Project support"),
    ("business-system", "業務システム導入", "Business-system introduction"),
    ("website", "Webサイト構築", "Website"),
    ("user-testing", "ユーザーテスト支援", "User testing"),
    ("security-bcp", "情報セキュリティ・BCP", "Security and BCP"),
    ("cloud-network", "クラウド・ネットワーク", "Cloud and network"),
    ("data-visualisation", "データ活用・可視化", "Data and visualisation"),
    ("lowcode-rpa", "ローコード・RPA", "Low-code and RPA"),
    ("study-session", "勉強会・研修", "Study session"),
    ("consultation", "技術相談", "General consultation"),
)


@transaction.atomic
def load_request_categories() -> dict[str, int]:
    """Create or update the categories by code. Running it twice changes nothing."""
    created = 0
    for order, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        category = RequestCategory.objects.filter(code=code).first()
        wanted = {"name": name, "name_en": name_en, "order": order}
        if category is None:
            category = RequestCategory(code=code, **wanted)
            category.full_clean()
            category.save()
            record(actor=None, verb="request_category.create", target=category, data={"code": code})
            created += 1
        elif any(getattr(category, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(category, key, value)
            category.full_clean()
            category.save()
    return {"request categories created": created}


def category_profile_rows() -> dict[str, list[dict]]:
    """category code → its profile lines as in data/category_skills.csv (skill code, min_level, weight, mandatory)."""
    profiles: dict[str, list[dict]] = {}
    with open(PROFILES, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            profiles.setdefault(row["category"], []).append(
                {
                    "skill": row["skill"],
                    "min_level": int(row["min_level"]),
                    "weight": int(row["weight"]),
                    "mandatory": row["mandatory"] == "1",
                }
            )
    return profiles


@transaction.atomic
def load_category_skill_profiles() -> dict[str, int]:
    """Seed the profile of every category that has none yet: a profile an administrator has edited (or emptied on
    purpose, leaving one line) is theirs and is never overwritten. Running it twice changes nothing."""
    skills = {skill.code: skill for skill in Skill.objects.all()}
    seeded = set(CategorySkill.objects.values_list("category__code", flat=True))
    created = 0
    for category in RequestCategory.objects.exclude(code__in=seeded):
        for line in category_profile_rows().get(category.code, ()):
            skill = skills.get(line["skill"])
            if skill is not None:
                services.category_skill_set(
                    actor=None,
                    category=category,
                    skill=skill,
                    min_level=line["min_level"],
                    weight=line["weight"],
                    mandatory=line["mandatory"],
                )
                created += 1
    return {"category skills created": created}


#: Default service levels in business days (開庁日): priority → (first response, triage, resolution); then the
#: categories whose work runs on another clock. Administrators change them in the admin; the loader only adds
#: the ones missing, never overwriting an edited level.
SERVICE_LEVELS = {
    Priority.URGENT: (1, 1, 5),
    Priority.HIGH: (1, 2, 10),
    Priority.NORMAL: (2, 3, 20),
    Priority.LOW: (3, 5, 40),
}
CATEGORY_SERVICE_LEVELS = {
    # A specification review answers a procurement timetable: resolved within two weeks at normal priority.
    ("spec-review", Priority.NORMAL): (2, 3, 10),
    # A study session is held when it is scheduled, often a term later.
    ("study-session", Priority.NORMAL): (2, 3, 60),
    ("study-session", Priority.LOW): (3, 5, 60),
}


@transaction.atomic
def load_service_levels() -> dict[str, int]:
    """Add the default service levels that are missing, then recompute the open requests' due dates once. Running
    it twice changes nothing."""
    categories = {category.code: category for category in RequestCategory.objects.all()}
    existing = set(ServiceLevel.objects.values_list("priority", "category__code"))
    wanted = [((priority, None), days) for priority, days in SERVICE_LEVELS.items()] + [
        ((priority, code), days)
        for (code, priority), days in CATEGORY_SERVICE_LEVELS.items()
        if code in categories
    ]
    created = 0
    for (priority, code), (first_response, triage, resolution) in wanted:
        if (priority, code) in existing:
            continue
        level = ServiceLevel(
            priority=priority,
            category=categories[code] if code else None,
            first_response_days=first_response,
            triage_days=triage,
            resolution_days=resolution,
        )
        services.service_level_save(actor=None, level=level, recompute=False)
        created += 1
    recomputed = sla.recompute() if created else 0
    return {"service levels created": created, "due dates recomputed": recomputed}
