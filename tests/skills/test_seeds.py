"""Skill taxonomy seed and the demo talent pool."""

import pytest

from seeds.reference_skills import load_skill_taxonomy
from skills import selectors
from skills.models import AssessmentStatus, JobType, Skill, SkillAssessment, StaffProfile


@pytest.fixture
def taxonomy(db):
    return load_skill_taxonomy()


def test_taxonomy_has_30_to_45_skills(taxonomy):
    assert 30 <= Skill.objects.count() <= 45


def test_taxonomy_every_skill_has_both_names_and_description(taxonomy):
    assert (
        not Skill.objects.filter(name="").exists()
        | Skill.objects.filter(name_en="").exists()
        | (Skill.objects.filter(description="").exists())
    )


def test_eleven_job_types_with_targets(taxonomy):
    assert [JobType.objects.count(), JobType.objects.filter(targets__isnull=True).count()] == [11, 0]


def test_the_job_types_the_seeds_name_are_there_with_the_lead_recruiter(taxonomy):
    """The posts of the デジタルシフト推進担当課長 recruited (the seeds' recruitment notes) and the ICT職 tracks."""
    names = set(JobType.objects.values_list("name", flat=True))
    assert {
        "プロジェクトマネージャ",
        "ITコンサルタント",
        "システムアーキテクト",
        "UI/UXデザイナー",
        "リードリクルーター",
        "セキュリティスペシャリスト",
        "データサイエンティスト",
    } <= names
    recruiter = JobType.objects.get(code="lead-recruiter")
    assert recruiter.targets.filter(skill__code="STR-TALENT", target_level__gte=4).exists()


def test_taxonomy_load_is_idempotent(taxonomy):
    assert load_skill_taxonomy() == {"skills created": 0, "job types created": 0}


def test_levels_have_japanese_and_english_wording(taxonomy):
    assert [(level.level, bool(level.name_en)) for level in selectors.proficiency_levels().values()] == [
        (n, True) for n in range(1, 6)
    ]


@pytest.fixture
def demo(db):
    from seeds.demo import load_demo
    from seeds.reference import load_reference

    load_reference()
    return load_demo(password="demo-pass-2025", scale=0.05)


def test_tiny_demo_has_a_pool(demo):
    assert StaffProfile.objects.count() >= 8  # six pool members and the two demo accounts


def test_demo_staff_has_pending_security_self_assessment(demo):
    assert selectors.pending_levels(
        staff_ids=StaffProfile.objects.filter(user__email="staff@example.com").values_list("pk", flat=True),
        skill_ids=Skill.objects.filter(code="SEC-RISK").values_list("pk", flat=True),
    )


def test_demo_history_is_validated_and_in_the_past(demo):
    from core.fiscal import today

    assert not SkillAssessment.objects.filter(assessed_on__gt=today()).exists() and (
        SkillAssessment.objects.filter(status=AssessmentStatus.VALIDATED).count() > 20
    )


def test_tiny_pool_has_ict_officers_as_the_majority_and_a_specialist(demo):
    from skills.models import StaffKind

    kinds = list(StaffProfile.objects.values_list("kind", flat=True))
    assert kinds.count(StaffKind.ICT_OFFICER) > kinds.count(StaffKind.SPECIALIST) >= 1


@pytest.fixture
def full_pool(db):
    """The pool step at scale 1, after the reference data and the demo accounts."""
    import random

    from seeds.demo.accounts import create_demo_accounts
    from seeds.demo.skills import create_talent_pool
    from seeds.reference import load_reference

    load_reference()
    rng = random.Random(2025)
    create_demo_accounts(password="demo-pass-2025", rng=rng)
    create_talent_pool(password="demo-pass-2025", rng=rng, scale=1)


def test_full_pool_follows_the_seeds(full_pool):
    """ICT officers are the majority; a dozen or two デジタルシフト推進担当課長, hired at the April, October or November
    intakes (on the 1st); every job type, the リードリクルーター included, has someone."""
    from skills.models import StaffKind

    specialists = StaffProfile.objects.filter(kind=StaffKind.SPECIALIST)
    officers = StaffProfile.objects.filter(kind=StaffKind.ICT_OFFICER)
    assert 12 <= specialists.count() <= 25 < officers.count()
    assert {(d.month, d.day) for d in specialists.values_list("joined_on", flat=True)} <= {
        (4, 1),
        (10, 1),
        (11, 1),
    }
    assert set(specialists.values_list("grade", flat=True)) == {"デジタルシフト推進担当課長"}
    assert set(StaffProfile.objects.values_list("job_type__code", flat=True)) == set(
        JobType.objects.values_list("code", flat=True)
    )
    assert specialists.filter(job_type__code="lead-recruiter").exists()
