"""The skill-map services: the current level, assessment workflow, certifications, and every refusal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.audit import events_for
from core.fiscal import today
from skills import selectors, services
from skills.models import AssessmentSource, AssessmentStatus, SkillAssessment


def error_codes(excinfo) -> set[str]:
    return {e.code for errors in excinfo.value.error_dict.values() for e in errors}


# --- current level --------------------------------------------------------------------------------------------


def test_pending_self_assessment_does_not_change_current_level(staff_profile, security, validated, days_ago):
    validated(staff_profile, security, 2, on=days_ago(30))
    services.assessment_record_self(actor=staff_profile.user, staff=staff_profile, skill=security, level=4)
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 2}


def test_pending_self_assessment_shows_as_pending(staff_profile, security):
    services.assessment_record_self(actor=staff_profile.user, staff=staff_profile, skill=security, level=4)
    assert selectors.pending_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 4}


def test_validation_makes_self_assessment_current(staff_profile, security, ict_manager):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    services.assessment_validate(actor=ict_manager, assessment=own)
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_validated_assessment_leaves_pending_levels(staff_profile, security, ict_manager):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    services.assessment_validate(actor=ict_manager, assessment=own)
    assert selectors.pending_levels(staff_ids=[staff_profile.pk]) == {}


def test_latest_validated_assessment_wins(staff_profile, security, validated, days_ago):
    validated(staff_profile, security, 4, on=days_ago(400))
    validated(staff_profile, security, 2, on=days_ago(10))
    assert selectors.current_levels(staff_ids=[staff_profile.pk])[(staff_profile.pk, security.pk)] == 2


def test_current_level_as_of_past_date(staff_profile, security, validated, days_ago):
    validated(staff_profile, security, 2, on=days_ago(400))
    validated(staff_profile, security, 4, on=days_ago(10))
    levels = selectors.current_levels(staff_ids=[staff_profile.pk], as_of=days_ago(100))
    assert levels[(staff_profile.pk, security.pk)] == 2


def test_current_level_subquery_agrees_with_current_levels(make_profile, security, validated, days_ago):
    """The correlated-subquery form used by the expert search is the same definition as current_levels."""
    a, b, c = make_profile("a@example.com"), make_profile("b@example.com"), make_profile("c@example.com")
    validated(a, security, 4, on=days_ago(300))
    validated(a, security, 2, on=days_ago(3))
    validated(b, security, 1, on=days_ago(3))
    validated(b, security, 5, on=days_ago(3))  # same day: the later row wins
    services.assessment_record_self(actor=c.user, staff=c, skill=security, level=5)
    subquery = dict(
        selectors.staff_profile_list_for(None)
        .model.objects.annotate(level=selectors.current_level_subquery(security.pk))
        .values_list("pk", "level")
    )
    expected = dict.fromkeys((a.pk, b.pk, c.pk))
    expected.update({staff: level for (staff, _skill), level in selectors.current_levels().items()})
    assert {pk: subquery[pk] for pk in expected} == expected


def test_manager_assessment_is_a_new_row_beside_the_self_assessment(staff_profile, security, ict_manager):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=4
    )
    services.assessment_record_manager(
        actor=ict_manager,
        staff=staff_profile,
        skill=security,
        level=3,
        reason="要件定義の経験が不足",
        responds_to=own,
    )
    rows = set(SkillAssessment.objects.filter(staff=staff_profile).values_list("source", "level", "status"))
    assert rows == {
        (AssessmentSource.SELF, 4, AssessmentStatus.ADJUSTED),
        (AssessmentSource.MANAGER, 3, AssessmentStatus.VALIDATED),
    }


def test_manager_assessment_sets_current_level(staff_profile, security, ict_manager):
    services.assessment_record_manager(
        actor=ict_manager, staff=staff_profile, skill=security, level=3, reason="面談"
    )
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_assessment_is_audited(staff_profile, security):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    assert [e.verb for e in events_for(own)] == ["skill_assessment.self"]


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6, -1, "x"])
def test_level_outside_1_to_5_is_refused(staff_profile, security, level):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record_self(
            actor=staff_profile.user, staff=staff_profile, skill=security, level=level
        )
    assert error_codes(excinfo) == {"level_out_of_range"}


def test_refused_level_changes_nothing(staff_profile, security):
    with pytest.raises(ValidationError):
        services.assessment_record_self(
            actor=staff_profile.user, staff=staff_profile, skill=security, level=6
        )
    assert not SkillAssessment.objects.exists()


def test_future_assessment_date_is_refused(staff_profile, security):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record_self(
            actor=staff_profile.user,
            staff=staff_profile,
            skill=security,
            level=3,
            assessed_on=today() + dt.timedelta(days=1),
        )
    assert error_codes(excinfo) == {"future_date"}


def test_self_assessing_someone_else_is_refused(staff_profile, manager_profile, security):
    with pytest.raises(PermissionDenied):
        services.assessment_record_self(
            actor=staff_profile.user, staff=manager_profile, skill=security, level=3
        )


def test_hr_cannot_self_assess_for_staff(staff_profile, security, hr_user):
    with pytest.raises(PermissionDenied):
        services.assessment_record_self(actor=hr_user, staff=staff_profile, skill=security, level=3)


def test_retired_skill_cannot_be_assessed(staff_profile, security, admin_user):
    services.skill_retire(actor=admin_user, skill=security)
    security.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record_self(
            actor=staff_profile.user, staff=staff_profile, skill=security, level=3
        )
    assert error_codes(excinfo) == {"skill_retired"}


def test_retired_skill_keeps_its_history(staff_profile, security, validated, admin_user, days_ago):
    validated(staff_profile, security, 3, on=days_ago(5))
    services.skill_retire(actor=admin_user, skill=security)
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_staff_cannot_validate(staff_profile, manager_profile, security, ict_staff):
    own = services.assessment_record_self(
        actor=manager_profile.user, staff=manager_profile, skill=security, level=3
    )
    with pytest.raises(PermissionDenied):
        services.assessment_validate(actor=ict_staff, assessment=own)


def test_hr_cannot_validate(staff_profile, security, hr_user):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    with pytest.raises(PermissionDenied):
        services.assessment_validate(actor=hr_user, assessment=own)


def test_manager_cannot_validate_own_self_assessment(manager_profile, security, ict_manager):
    own = services.assessment_record_self(actor=ict_manager, staff=manager_profile, skill=security, level=3)
    with pytest.raises(PermissionDenied):
        services.assessment_validate(actor=ict_manager, assessment=own)


def test_manager_cannot_assess_themselves(manager_profile, security, ict_manager):
    with pytest.raises(PermissionDenied):
        services.assessment_record_manager(
            actor=ict_manager, staff=manager_profile, skill=security, level=5, reason="自分"
        )


def test_validating_twice_is_refused(staff_profile, security, ict_manager):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    services.assessment_validate(actor=ict_manager, assessment=own)
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_validate(actor=ict_manager, assessment=own)
    assert error_codes(excinfo) == {"not_pending"}


def test_manager_assessment_needs_a_reason(staff_profile, security, ict_manager):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record_manager(
            actor=ict_manager, staff=staff_profile, skill=security, level=3, reason=" "
        )
    assert error_codes(excinfo) == {"reason_required"}


def test_evidence_must_be_own_certification(staff_profile, manager_profile, security, ict_manager, days_ago):
    cert = services.certification_add(
        actor=ict_manager, staff=manager_profile, name="情報処理安全確保支援士", obtained_on=days_ago(10)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record_self(
            actor=staff_profile.user,
            staff=staff_profile,
            skill=security,
            level=3,
            evidence_certification=cert,
        )
    assert error_codes(excinfo) == {"evidence_other_person"}


# --- certifications and interests ------------------------------------------------------------------------------


def test_unexpired_certification_counts_as_evidence(staff_profile, security, days_ago):
    services.certification_add(
        actor=staff_profile.user,
        staff=staff_profile,
        name="情報処理安全確保支援士",
        obtained_on=days_ago(100),
        expires_on=today() + dt.timedelta(days=30),
        skill=security,
    )
    assert selectors.certified_skills(staff_ids=[staff_profile.pk]) == {staff_profile.pk: {security.pk}}


def test_expired_certification_stops_counting(staff_profile, security, days_ago):
    services.certification_add(
        actor=staff_profile.user,
        staff=staff_profile,
        name="情報処理安全確保支援士",
        obtained_on=days_ago(1000),
        expires_on=days_ago(1),
        skill=security,
    )
    assert selectors.certified_skills(staff_ids=[staff_profile.pk]) == {}


def test_certification_counted_on_a_past_date(staff_profile, security, days_ago):
    services.certification_add(
        actor=staff_profile.user,
        staff=staff_profile,
        name="AWS Certified Security",
        obtained_on=days_ago(1000),
        expires_on=days_ago(1),
        skill=security,
    )
    assert selectors.certified_skills(staff_ids=[staff_profile.pk], on=days_ago(10)) == {
        staff_profile.pk: {security.pk}
    }


def test_certification_expiring_before_obtained_is_refused(staff_profile, days_ago):
    with pytest.raises(ValidationError) as excinfo:
        services.certification_add(
            actor=staff_profile.user,
            staff=staff_profile,
            name="PMP",
            obtained_on=days_ago(5),
            expires_on=days_ago(10),
        )
    assert error_codes(excinfo) == {"expires_before_obtained"}


def test_certification_obtained_in_future_is_refused(staff_profile):
    with pytest.raises(ValidationError) as excinfo:
        services.certification_add(
            actor=staff_profile.user,
            staff=staff_profile,
            name="PMP",
            obtained_on=today() + dt.timedelta(days=3),
        )
    assert error_codes(excinfo) == {"future_date"}


def test_hr_cannot_add_certification(staff_profile, hr_user, days_ago):
    with pytest.raises(PermissionDenied):
        services.certification_add(actor=hr_user, staff=staff_profile, name="PMP", obtained_on=days_ago(5))


def test_interest_set(staff_profile, data_skill):
    services.interest_set(
        actor=staff_profile.user, staff=staff_profile, skill=data_skill, wants_to_learn=True, can_mentor=False
    )
    assert selectors.interests(staff_ids=[staff_profile.pk]) == {
        (staff_profile.pk, data_skill.pk): (True, False)
    }


def test_interest_of_someone_else_is_refused(staff_profile, data_skill, ict_manager):
    with pytest.raises(PermissionDenied):
        services.interest_set(
            actor=ict_manager, staff=staff_profile, skill=data_skill, wants_to_learn=True, can_mentor=False
        )


# --- taxonomy and profiles --------------------------------------------------------------------------------------


def test_taxonomy_edit_refused_to_manager(ict_manager, category):
    with pytest.raises(PermissionDenied):
        services.skill_upsert(actor=ict_manager, code="NEW", defaults={"name": "新", "category": category})


def test_taxonomy_edit_by_admin(admin_user, category):
    skill, created = services.skill_upsert(
        actor=admin_user, code="SEC-NEW", defaults={"name": "ゼロトラスト", "category": category}
    )
    assert (created, skill.name) == (True, "ゼロトラスト")


def test_target_level_outside_range_refused(admin_user, job_type, data_skill):
    with pytest.raises(ValidationError) as excinfo:
        services.target_skill_set(actor=admin_user, job_type=job_type, skill=data_skill, target_level=7)
    assert error_codes(excinfo) == {"level_out_of_range"}


def test_staff_profile_upsert_refused_to_hr(hr_user, ict_staff):
    with pytest.raises(PermissionDenied):
        services.staff_profile_upsert(actor=hr_user, user=ict_staff, defaults={"grade": "主任"})


def test_staff_profile_upsert_updates(staff_profile, ict_manager):
    services.staff_profile_upsert(actor=ict_manager, user=staff_profile.user, defaults={"grade": "課長代理"})
    staff_profile.refresh_from_db()
    assert staff_profile.grade == "課長代理"
