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


def test_ten_job_types_with_targets(taxonomy):
    assert [JobType.objects.count(), JobType.objects.filter(targets__isnull=True).count()] == [10, 0]


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
