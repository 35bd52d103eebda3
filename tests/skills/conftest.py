"""Skill-map fixtures: a small taxonomy and staff profiles, built through the services."""

import datetime as dt

import pytest

from core.fiscal import today
from skills import services


@pytest.fixture
def category(db):
    obj, _ = services.skill_category_upsert(
        actor=None, code="security", defaults={"name": "セキュリティ", "name_en": "Security", "order": 1}
    )
    return obj


@pytest.fixture
def other_category(db):
    obj, _ = services.skill_category_upsert(
        actor=None, code="cloud", defaults={"name": "クラウド", "name_en": "Cloud", "order": 2}
    )
    return obj


@pytest.fixture
def security(category):
    obj, _ = services.skill_upsert(
        actor=None,
        code="SEC-RISK",
        defaults={
            "name": "情報セキュリティリスク管理",
            "name_en": "Security risk management",
            "category": category,
        },
    )
    return obj


@pytest.fixture
def cloud(other_category):
    obj, _ = services.skill_upsert(
        actor=None,
        code="INF-CLOUD",
        defaults={"name": "クラウド設計", "name_en": "Cloud design", "category": other_category},
    )
    return obj


@pytest.fixture
def data_skill(other_category):
    obj, _ = services.skill_upsert(
        actor=None,
        code="DAT-VIZ",
        defaults={"name": "データ可視化", "name_en": "Data visualisation", "category": other_category},
    )
    return obj


@pytest.fixture
def job_type(security, cloud):
    obj, _ = services.job_type_upsert(
        actor=None,
        code="security-specialist",
        defaults={"name": "セキュリティスペシャリスト", "name_en": "Security specialist"},
    )
    services.target_skill_set(actor=None, job_type=obj, skill=security, target_level=4, importance=3)
    services.target_skill_set(actor=None, job_type=obj, skill=cloud, target_level=3, importance=2)
    return obj


@pytest.fixture
def staff_profile(ict_staff, job_type):
    profile, _ = services.staff_profile_upsert(
        actor=None, user=ict_staff, defaults={"job_type": job_type, "capacity_hours_per_week": 20}
    )
    return profile


@pytest.fixture
def manager_profile(ict_manager, job_type):
    profile, _ = services.staff_profile_upsert(
        actor=None, user=ict_manager, defaults={"job_type": job_type, "capacity_hours_per_week": 30}
    )
    return profile


@pytest.fixture
def make_profile(make_user, job_type):
    """make_profile("a@example.com", capacity=20) → an active StaffProfile of a new ICT staff user."""
    from accounts.roles import Role

    def make(email: str, *, capacity=20, display_name=None, job=None):
        user = make_user(email, Role.ICT_STAFF, display_name=display_name or email.split("@")[0])
        profile, _ = services.staff_profile_upsert(
            actor=None, user=user, defaults={"job_type": job or job_type, "capacity_hours_per_week": capacity}
        )
        return profile

    return make


@pytest.fixture
def days_ago():
    def make(n: int) -> dt.date:
        return today() - dt.timedelta(days=n)

    return make


@pytest.fixture
def validated(ict_manager):
    """validated(profile, skill, level, on=date) → a manager assessment (validated at once)."""

    def make(profile, skill, level, on=None, reason="レビュー"):
        return services.assessment_record_manager(
            actor=None if profile.user_id == ict_manager.pk else ict_manager,
            staff=profile,
            skill=skill,
            level=level,
            reason=reason,
            assessed_on=on,
        )

    return make
