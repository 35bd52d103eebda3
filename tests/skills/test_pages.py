"""Pages of the skill map: who may open what, and what each page does."""

import pytest
from django.urls import reverse

from skills import selectors, services
from skills.models import SkillAssessment
from tests.world import in_job

ROLE_FIXTURES = ["requester", "ict_staff", "ict_manager", "hr_user", "admin_user"]

# url name → roles allowed to GET it
PAGE_MATRIX = {
    "skills:my_skills": {"ict_staff", "ict_manager", "hr_user", "admin_user"},
    "skills:validation_queue": {"ict_manager", "admin_user"},
    "skills:expert_search": {"ict_staff", "ict_manager", "hr_user", "admin_user"},
    "skills:taxonomy": {"admin_user"},
    "skills:import": {"admin_user"},
}


@pytest.mark.parametrize("role", ROLE_FIXTURES)
@pytest.mark.parametrize("name", sorted(PAGE_MATRIX))
def test_page_access_matrix(request, client_for, name, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse(name))
    assert (response.status_code == 200) == (role in PAGE_MATRIX[name])


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_staff_detail_access(request, client_for, staff_profile, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("skills:staff_detail", args=[staff_profile.pk]))
    assert (response.status_code == 200) == (role != "requester")


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_export_access(request, client_for, staff_profile, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("skills:export", args=["assessments"]))
    assert (response.status_code == 200) == (role in {"ict_manager", "hr_user", "admin_user"})


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("skills:my_skills"))
    assert response.status_code == 302


def test_unknown_staff_profile_is_404(client_for, ict_manager, db):
    assert client_for(ict_manager).get(reverse("skills:staff_detail", args=[999999])).status_code == 404


# --- my skills ----------------------------------------------------------------------------------------------------


def test_my_skills_shows_target_profile(client_for, staff_profile, security):
    response = client_for(staff_profile.user).get(reverse("skills:my_skills"))
    assert security.name in response.content.decode()


def test_self_assessment_through_the_page(client_for, staff_profile, security):
    client_for(staff_profile.user).post(
        reverse("skills:my_skills"),
        {"action": "assess", "assess-skill": security.pk, "assess-level": 3, "assess-note": "研修受講"},
    )
    assert selectors.pending_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_self_assessment_future_date_shows_field_error(client_for, staff_profile, security):
    response = client_for(staff_profile.user).post(
        reverse("skills:my_skills"),
        {
            "action": "assess",
            "assess-skill": security.pk,
            "assess-level": 3,
            "assess-assessed_on": "2999-01-01",
        },
    )
    assert (
        response.status_code,
        "未来" in response.content.decode() or "future" in response.content.decode(),
    ) == (
        400,
        True,
    )


def test_hr_cannot_post_self_assessment(client_for, hr_user, staff_profile, security):
    response = client_for(hr_user).post(
        reverse("skills:my_skills"), {"action": "assess", "assess-skill": security.pk, "assess-level": 3}
    )
    assert (response.status_code, SkillAssessment.objects.count()) == (403, 0)


def test_certification_through_the_page(client_for, staff_profile, security):
    client_for(staff_profile.user).post(
        reverse("skills:my_skills"),
        {
            "action": "certification",
            "cert-name": "応用情報技術者",
            "cert-obtained_on": "2022-06-01",
            "cert-skill": "",
        },
    )
    assert list(staff_profile.certifications.values_list("name", flat=True)) == ["応用情報技術者"]


def test_interest_through_the_page(client_for, staff_profile, data_skill):
    client_for(staff_profile.user).post(
        reverse("skills:my_skills"),
        {"action": "interest", "interest-skill": data_skill.pk, "interest-wants_to_learn": "on"},
    )
    assert selectors.interests(staff_ids=[staff_profile.pk]) == {
        (staff_profile.pk, data_skill.pk): (True, False)
    }


# --- validation -------------------------------------------------------------------------------------------------


@pytest.fixture
def pending(staff_profile, security):
    return services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )


def test_queue_lists_pending(client_for, ict_manager, pending):
    response = client_for(ict_manager).get(reverse("skills:validation_queue"))
    assert list(response.context["queue"]) == [pending]


def test_queue_hides_managers_own(client_for, ict_manager, manager_profile, security):
    services.assessment_record_self(actor=ict_manager, staff=manager_profile, skill=security, level=3)
    response = client_for(ict_manager).get(reverse("skills:validation_queue"))
    assert list(response.context["queue"]) == []


def test_validate_through_the_page(client_for, ict_manager, pending, staff_profile, security):
    client_for(ict_manager).post(reverse("skills:validate", args=[pending.pk]))
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_staff_cannot_validate_through_the_page(client_for, make_profile, pending):
    other = make_profile("other@example.com")
    response = client_for(other.user).post(reverse("skills:validate", args=[pending.pk]))
    assert response.status_code == 403


def test_adjust_records_new_assessment(client_for, ict_manager, pending, staff_profile, security):
    client_for(ict_manager).post(
        reverse("skills:adjust", args=[pending.pk]), {"level": 2, "reason": "実務経験不足"}
    )
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 2}


def test_manager_assessment_from_profile_page(client_for, ict_manager, staff_profile, cloud):
    client_for(ict_manager).post(
        reverse("skills:staff_detail", args=[staff_profile.pk]),
        {"mgr-skill": cloud.pk, "mgr-level": 4, "mgr-reason": "設計レビューを主導"},
    )
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, cloud.pk): 4}


def test_hr_cannot_post_manager_assessment(client_for, hr_user, staff_profile, cloud):
    response = client_for(hr_user).post(
        reverse("skills:staff_detail", args=[staff_profile.pk]),
        {"mgr-skill": cloud.pk, "mgr-level": 4, "mgr-reason": "x"},
    )
    assert response.status_code == 403


# --- staff detail as of -----------------------------------------------------------------------------------------


def test_staff_detail_as_of(client_for, hr_user, staff_profile, security, validated, days_ago):
    validated(staff_profile, security, 2, on=days_ago(400))
    validated(staff_profile, security, 4, on=days_ago(5))
    response = client_for(hr_user).get(
        reverse("skills:staff_detail", args=[staff_profile.pk]), {"as_of": days_ago(100).isoformat()}
    )
    row = next(r for r in response.context["rows"] if r.skill == security)
    assert row.current_level == 2


# --- expert finder ----------------------------------------------------------------------------------------------


@pytest.fixture
def pool(make_profile, security, cloud, validated, days_ago):
    def build(n: int):
        people = []
        for i in range(n):
            person = make_profile(f"p{i}@example.com", capacity=10 + i)
            validated(person, security, 1 + i % 5, on=days_ago(20))
            validated(person, cloud, 1 + (i * 2) % 5, on=days_ago(20))
            people.append(person)
        return people

    return build


def test_expert_search_filters_by_levels(client_for, hr_user, pool, security, cloud):
    people = pool(10)
    response = client_for(hr_user).get(
        reverse("skills:expert_search"),
        {"skill_1": security.code, "min_1": 3, "skill_2": cloud.code, "min_2": 2},
    )
    levels = selectors.current_levels(staff_ids=[p.pk for p in people])
    expected = {p.pk for p in people if levels[(p.pk, security.pk)] >= 3 and levels[(p.pk, cloud.pk)] >= 2}
    assert {row.record.pk for row in response.context["table"].page.object_list} == expected


def test_expert_search_available_hours(client_for, hr_user, pool):
    people = pool(6)
    response = client_for(hr_user).get(reverse("skills:expert_search"), {"available_hours": 13})
    assert {row.record.pk for row in response.context["table"].page.object_list} == {
        p.pk for p in people if p.capacity_hours_per_week >= 13
    }


def test_expert_search_ignores_pending(client_for, hr_user, staff_profile, security):
    services.assessment_record_self(actor=staff_profile.user, staff=staff_profile, skill=security, level=5)
    response = client_for(hr_user).get(
        reverse("skills:expert_search"), {"skill_1": security.code, "min_1": 1}
    )
    assert list(response.context["table"].page.object_list) == []


def test_expert_search_unknown_sort_key_is_ignored(client_for, hr_user, pool):
    pool(3)
    response = client_for(hr_user).get(reverse("skills:expert_search"), {"sort": "user__password"})
    assert response.status_code == 200


def test_expert_search_query_count_independent_of_pool_size(
    client_for, hr_user, make_profile, security, cloud, validated, days_ago, django_assert_num_queries
):
    client = client_for(hr_user)
    url = reverse("skills:expert_search")
    params = {"skill_1": security.code, "min_1": 1, "skill_2": cloud.code, "min_2": 1, "sort": "-level_0"}

    def grow(start, n):
        for i in range(start, start + n):
            person = make_profile(f"x{i}@example.com")
            validated(person, security, 3, on=days_ago(5))
            validated(person, cloud, 2, on=days_ago(5))

    grow(0, 3)
    client.get(url, params)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url, params)
    grow(3, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, params)
    assert len(response.context["table"].page.object_list) == 23


def test_expert_export_neutralises(client_for, hr_user, make_profile):
    make_profile("evil@example.com", display_name="=cmd|' /C calc'!A0")
    response = client_for(hr_user).get(reverse("skills:expert_search"), {"export": "csv"})
    assert "'=cmd" in response.content.decode("utf-8-sig")


# --- import pages -----------------------------------------------------------------------------------------------


def test_import_dry_run_page_lists_row_column_reason(
    django_capture_on_commit_callbacks, client_for, admin_user, staff_profile, security
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "a.csv",
        b"email,skill,level,assessed_on\nstaff@example.com,SEC-RISK,9,2024-01-01\n",
        content_type="text/csv",
    )
    response = in_job(
        client_for(admin_user),
        django_capture_on_commit_callbacks,
        reverse("skills:import"),
        {"kind": "assessments", "file": upload},
    )
    [line] = response.context["report"].rejected
    assert (line.row, line.column, SkillAssessment.objects.count()) == (2, "level", 0)


def test_import_confirm_imports(
    client_for, admin_user, staff_profile, security, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(admin_user)
    upload = SimpleUploadedFile(
        "a.csv",
        b"email,skill,level,assessed_on\nstaff@example.com,SEC-RISK,4,2024-01-01\n",
        content_type="text/csv",
    )
    capture = django_capture_on_commit_callbacks
    preview = in_job(client, capture, reverse("skills:import"), {"kind": "assessments", "file": upload})
    in_job(client, capture, reverse("skills:import_confirm"), {"token": preview.context["token"]})
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 4}


# --- taxonomy ---------------------------------------------------------------------------------------------------


def test_retire_skill_through_the_page(client_for, admin_user, security):
    client_for(admin_user).post(reverse("skills:skill_retire", args=[security.code]), {"confirm": "yes"})
    security.refresh_from_db()
    assert security.active is False


def test_retiring_without_confirmation_says_what_will_happen_and_changes_nothing(
    client_for, admin_user, security
):
    response = client_for(admin_user).post(reverse("skills:skill_retire", args=[security.code]))
    security.refresh_from_db()
    page = response.content.decode()
    assert (response.status_code, security.active) == (200, True)
    assert f"スキル「{security.name}」を廃止しますか" in page and "履歴として残るもの" in page
    assert 'name="confirm" value="yes"' in page


def test_manager_cannot_retire(client_for, ict_manager, security):
    response = client_for(ict_manager).post(reverse("skills:skill_retire", args=[security.code]))
    assert response.status_code == 403


def _same_queries_as_history_grows(client, url, grow, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow(0, 2)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(2, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_staff_detail_query_count_independent_of_history(
    client_for, hr_user, make_profile, validated, days_ago, django_assert_num_queries
):
    from skills import services as skill_services

    person = make_profile("history@example.com")
    category, _ = skill_services.skill_category_upsert(actor=None, code="hist", defaults={"name": "履歴"})

    def grow(start, n):
        for i in range(start, start + n):
            skill, _ = skill_services.skill_upsert(
                actor=None, code=f"H-{i}", defaults={"name": f"スキル{i}", "category": category}
            )
            validated(person, skill, 2, on=days_ago(30))
            validated(person, skill, 3, on=days_ago(10))

    response = _same_queries_as_history_grows(
        client_for(hr_user), reverse("skills:staff_detail", args=[person.pk]), grow, django_assert_num_queries
    )
    assert "スキル13" in response.content.decode()


def test_my_skills_query_count_independent_of_history(
    client_for, make_profile, validated, days_ago, django_assert_num_queries
):
    from skills import services as skill_services

    person = make_profile("mine@example.com")
    category, _ = skill_services.skill_category_upsert(actor=None, code="mine", defaults={"name": "自分"})

    def grow(start, n):
        for i in range(start, start + n):
            skill, _ = skill_services.skill_upsert(
                actor=None, code=f"M-{i}", defaults={"name": f"技能{i}", "category": category}
            )
            validated(person, skill, 2, on=days_ago(20))

    response = _same_queries_as_history_grows(
        client_for(person.user), reverse("skills:my_skills"), grow, django_assert_num_queries
    )
    assert "技能13" in response.content.decode()
