"""Trainings: HR records completions; they show on the profile, can be cited on a self-assessment, and HR sees who
was trained in which skill with the level before and after."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.fiscal import today
from skills import services
from skills.models import SkillAssessment
from skills.selectors.trainings import trained_by_skill, training_counts
from skills.services.trainings import training_record_completion
from skills.training_models import TrainingAttendance, TrainingCourse, TrainingSession, TrainingSkill
from tests.conftest import login


@pytest.fixture
def session(security):
    course = TrainingCourse.objects.create(
        code="jt-security", name="職種別研修(情報セキュリティ)", provider="外部"
    )
    TrainingSkill.objects.create(course=course, skill=security, level=3)
    return TrainingSession.objects.create(course=course, starts_on=today() - dt.timedelta(days=30))


@pytest.mark.django_db
def test_hr_records_a_completion_shown_on_the_profile(hr_user, staff_profile, session):
    response = login(hr_user).post(
        reverse("skills:training_complete"), {"session": session.pk, "staff": staff_profile.pk}
    )
    assert response.status_code == 302
    attendance = TrainingAttendance.objects.get(staff=staff_profile)
    assert attendance.completed_on == today()
    page = login(staff_profile.user).get(reverse("skills:my_skills"))
    assert "職種別研修(情報セキュリティ)" in page.content.decode()


@pytest.mark.django_db
def test_staff_cannot_record_completions(ict_staff, staff_profile, session):
    assert (
        login(ict_staff)
        .post(reverse("skills:training_complete"), {"session": session.pk, "staff": staff_profile.pk})
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        training_record_completion(actor=ict_staff, session=session, staff=staff_profile)
    assert not TrainingAttendance.objects.exists()


@pytest.mark.django_db
def test_completion_before_the_session_is_refused(hr_user, staff_profile, session):
    with pytest.raises(ValidationError):
        training_record_completion(
            actor=hr_user,
            session=session,
            staff=staff_profile,
            completed_on=session.starts_on - dt.timedelta(days=1),
        )
    assert not TrainingAttendance.objects.exists()


@pytest.mark.django_db
def test_a_completed_training_is_evidence_on_a_self_assessment(
    hr_user, staff_profile, manager_profile, session, security
):
    own = training_record_completion(actor=hr_user, session=session, staff=staff_profile)
    assessment = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3, evidence_training=own
    )
    assert SkillAssessment.objects.get(pk=assessment.pk).evidence_training == own
    someone_elses = training_record_completion(actor=hr_user, session=session, staff=manager_profile)
    with pytest.raises(ValidationError):
        services.assessment_record_self(
            actor=staff_profile.user,
            staff=staff_profile,
            skill=security,
            level=3,
            evidence_training=someone_elses,
        )


@pytest.mark.django_db
def test_hr_sees_who_was_trained_and_the_effect_on_levels(
    hr_user, ict_manager, staff_profile, session, security
):
    services.assessment_record_manager(
        actor=ict_manager,
        staff=staff_profile,
        skill=security,
        level=2,
        reason="r",
        assessed_on=today() - dt.timedelta(days=60),
    )
    training_record_completion(
        actor=hr_user, session=session, staff=staff_profile, completed_on=today() - dt.timedelta(days=20)
    )
    services.assessment_record_manager(
        actor=ict_manager, staff=staff_profile, skill=security, level=3, reason="研修後"
    )
    [row] = trained_by_skill()
    assert (row.skill_code, row.level_before, row.level_now, row.change) == ("SEC-RISK", 2, 3, 1)
    assert training_counts(today() - dt.timedelta(days=40), today())["completions"] == 1
    page = login(hr_user).get(reverse("skills:training_list"))
    assert page.status_code == 200 and "情報セキュリティリスク管理" in page.content.decode()
