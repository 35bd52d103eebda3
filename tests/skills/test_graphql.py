"""GraphQL of the skill map: the same rules as the pages, constant query counts."""

import datetime as dt

import pytest
from graphene.relay import Node

from core.fiscal import today
from skills import selectors, services
from skills.models import SkillAssessment
from tests.conftest import codes

PROFILE = """query($email: String) { staffProfile(email: $email) { email displayName
  currentSkills { skill { code } level pendingLevel targetLevel gap certified }
  assessments { level source status } certifications { name valid } } }"""

SEARCH = """query($skills: [SkillLevelInput!], $hours: Float, $first: Int) {
  staffProfiles(skills: $skills, availableHours: $hours, first: $first) { totalCount
    edges { node { email availableHours currentSkills { skill { code } level } } } } }"""

RECORD = """mutation($skill: String!, $level: Int!, $email: String, $note: String, $on: Date) {
  recordSkillAssessment(skill: $skill, level: $level, email: $email, note: $note, assessedOn: $on) {
    assessment { id level source status } errors { field code message } } }"""

VALIDATE = (
    """mutation($id: ID!) { validateSkillAssessment(id: $id) { assessment { status } errors { code } } }"""
)

CERT = """mutation($name: String!, $on: Date!, $skill: String, $email: String, $expires: Date) {
  addCertification(name: $name, obtainedOn: $on, skill: $skill, email: $email, expiresOn: $expires) {
    certification { name valid } errors { field code } } }"""


def gid(type_name, obj):
    return Node.to_global_id(type_name, obj.pk)


def test_profile_shows_current_and_pending(gql, hr_user, staff_profile, security, validated, days_ago):
    validated(staff_profile, security, 2, on=days_ago(30))
    services.assessment_record_self(actor=staff_profile.user, staff=staff_profile, skill=security, level=4)
    result = gql(hr_user).execute(PROFILE, {"email": "staff@example.com"})
    row = next(s for s in result["data"]["staffProfile"]["currentSkills"] if s["skill"]["code"] == "SEC-RISK")
    assert row == {
        "skill": {"code": "SEC-RISK"},
        "level": 2,
        "pendingLevel": 4,
        "targetLevel": 4,
        "gap": 2,
        "certified": False,
    }


def test_profile_by_relay_id(gql, ict_manager, staff_profile):
    result = gql(ict_manager).execute(
        "query($id: ID) { staffProfile(id: $id) { email } }", {"id": gid("StaffProfile", staff_profile)}
    )
    assert result["data"]["staffProfile"]["email"] == "staff@example.com", result


def test_requester_is_refused_profile(gql, requester, staff_profile):
    result = gql(requester).execute(PROFILE, {"email": "staff@example.com"})
    assert codes(result) == ["FORBIDDEN"]


@pytest.mark.parametrize("field", ["skills", "skillCategories", "jobTypes", "staffProfiles"])
def test_requester_is_refused_lists(gql, requester, field):
    result = gql(requester).execute(f"{{ {field} {{ totalCount }} }}")
    assert codes(result) == ["FORBIDDEN"]


def test_requester_node_lookup_is_refused(gql, requester, staff_profile):
    result = gql(requester).execute(
        "query($id: ID!) { node(id: $id) { id } }", {"id": gid("StaffProfile", staff_profile)}
    )
    assert result["data"]["node"] is None


def test_anonymous_is_refused(gql, staff_profile):
    assert codes(gql(None).execute("{ skills { totalCount } }")) == ["UNAUTHENTICATED"]


def test_skills_and_job_types(gql, ict_staff, job_type):
    result = gql(ict_staff).execute(
        "{ skills { totalCount } jobTypes { edges { node { code targets { skill { code } targetLevel } } } } }"
    )
    assert result["data"]["jobTypes"]["edges"][0]["node"]["targets"][0] == {
        "skill": {"code": "SEC-RISK"},
        "targetLevel": 4,
    }


def test_expert_search(gql, hr_user, make_profile, security, cloud, validated, days_ago):
    strong = make_profile("strong@example.com", capacity=30)
    weak = make_profile("weak@example.com", capacity=30)
    validated(strong, security, 4, on=days_ago(3))
    validated(strong, cloud, 2, on=days_ago(3))
    validated(weak, security, 2, on=days_ago(3))
    validated(weak, cloud, 5, on=days_ago(3))
    result = gql(hr_user).execute(
        SEARCH,
        {"skills": [{"skill": "SEC-RISK", "minLevel": 3}, {"skill": "INF-CLOUD", "minLevel": 2}], "hours": 8},
    )
    connection = result["data"]["staffProfiles"]
    assert (connection["totalCount"], [e["node"]["email"] for e in connection["edges"]]) == (
        1,
        ["strong@example.com"],
    )


def test_expert_search_unknown_skill(gql, hr_user, staff_profile):
    result = gql(hr_user).execute(SEARCH, {"skills": [{"skill": "NOPE", "minLevel": 3}]})
    assert codes(result) == ["NOT_FOUND"]


def test_expert_search_page_size_cap(gql, hr_user, staff_profile):
    assert codes(gql(hr_user).execute(SEARCH, {"first": 101})) == ["PAGE_SIZE_TOO_LARGE"]


def test_staff_profiles_constant_queries(
    gql, hr_user, make_profile, security, cloud, validated, days_ago, django_assert_num_queries
):
    client = gql(hr_user)

    def grow(start, n):
        for i in range(start, start + n):
            person = make_profile(f"g{i}@example.com")
            validated(person, security, 3, on=days_ago(5))
            services.assessment_record_self(actor=person.user, staff=person, skill=cloud, level=2)
            services.certification_add(
                actor=person.user, staff=person, name="PMP", obtained_on=days_ago(10), skill=cloud
            )

    query = """{ staffProfiles(first: 50) { totalCount edges { node { email jobType { name }
      currentSkills { skill { code category { name } } level pendingLevel certified }
      assessments { level assessedBy validatedBy skill { code } } certifications { name skill { code } } } } } }"""
    grow(0, 3)
    client.execute(query)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.execute(query)
    grow(3, 17)
    with django_assert_num_queries(len(small.captured_queries)):
        result = client.execute(query)
    assert result["data"]["staffProfiles"]["totalCount"] == 20


# --- mutations ----------------------------------------------------------------------------------------------------


def test_self_assessment_mutation_stays_pending(gql, staff_profile, security):
    result = gql(staff_profile.user).execute(RECORD, {"skill": "SEC-RISK", "level": 3, "note": "研修"})
    assert result["data"]["recordSkillAssessment"]["assessment"]["status"] == "pending"


def test_self_assessment_mutation_level_error(gql, staff_profile, security):
    result = gql(staff_profile.user).execute(RECORD, {"skill": "SEC-RISK", "level": 7})
    assert result["data"]["recordSkillAssessment"]["errors"][0]["code"] == "level_out_of_range"


def test_self_assessment_mutation_future_date(gql, staff_profile, security):
    future = (today() + dt.timedelta(days=1)).isoformat()
    result = gql(staff_profile.user).execute(RECORD, {"skill": "SEC-RISK", "level": 3, "on": future})
    assert [e["field"] for e in result["data"]["recordSkillAssessment"]["errors"]] == ["assessedOn"]


def test_staff_cannot_assess_someone_else(gql, staff_profile, manager_profile, security):
    result = gql(staff_profile.user).execute(
        RECORD, {"skill": "SEC-RISK", "level": 3, "email": "manager@example.com"}
    )
    assert codes(result) == ["FORBIDDEN"]


def test_hr_mutation_is_refused(gql, hr_user, staff_profile, security):
    result = gql(hr_user).execute(RECORD, {"skill": "SEC-RISK", "level": 3, "email": "staff@example.com"})
    assert (codes(result), SkillAssessment.objects.count()) == (["FORBIDDEN"], 0)


def test_requester_mutation_is_refused(gql, requester, staff_profile, security):
    result = gql(requester).execute(RECORD, {"skill": "SEC-RISK", "level": 3, "email": "staff@example.com"})
    assert codes(result) == ["FORBIDDEN"]


def test_manager_assessment_mutation(gql, ict_manager, staff_profile, security):
    result = gql(ict_manager).execute(
        RECORD, {"skill": "SEC-RISK", "level": 4, "email": "staff@example.com", "note": "レビュー主導"}
    )
    assert result["data"]["recordSkillAssessment"]["assessment"]["source"] == "manager"


def test_manager_assessment_mutation_needs_reason(gql, ict_manager, staff_profile, security):
    result = gql(ict_manager).execute(RECORD, {"skill": "SEC-RISK", "level": 4, "email": "staff@example.com"})
    assert result["data"]["recordSkillAssessment"]["errors"][0]["code"] == "reason_required"


def test_validate_mutation(gql, ict_manager, staff_profile, security):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    gql(ict_manager).execute(VALIDATE, {"id": gid("SkillAssessment", own)})
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_validate_mutation_refused_to_staff(gql, make_profile, staff_profile, security):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    other = make_profile("colleague@example.com")
    assert codes(gql(other.user).execute(VALIDATE, {"id": gid("SkillAssessment", own)})) == ["FORBIDDEN"]


def test_validate_mutation_refused_to_hr(gql, hr_user, staff_profile, security):
    own = services.assessment_record_self(
        actor=staff_profile.user, staff=staff_profile, skill=security, level=3
    )
    assert codes(gql(hr_user).execute(VALIDATE, {"id": gid("SkillAssessment", own)})) == ["FORBIDDEN"]


def test_validate_own_is_not_found(gql, ict_manager, manager_profile, security):
    own = services.assessment_record_self(actor=ict_manager, staff=manager_profile, skill=security, level=3)
    assert codes(gql(ict_manager).execute(VALIDATE, {"id": gid("SkillAssessment", own)})) == ["NOT_FOUND"]


def test_add_certification_mutation(gql, staff_profile, security, days_ago):
    result = gql(staff_profile.user).execute(
        CERT, {"name": "情報処理安全確保支援士", "on": days_ago(10).isoformat(), "skill": "SEC-RISK"}
    )
    assert result["data"]["addCertification"]["certification"] == {
        "name": "情報処理安全確保支援士",
        "valid": True,
    }


def test_add_certification_expiry_error(gql, staff_profile, days_ago):
    result = gql(staff_profile.user).execute(
        CERT, {"name": "PMP", "on": days_ago(10).isoformat(), "expires": days_ago(20).isoformat()}
    )
    assert result["data"]["addCertification"]["errors"] == [
        {"field": "expiresOn", "code": "expires_before_obtained"}
    ]


def test_add_certification_refused_to_hr(gql, hr_user, staff_profile, days_ago):
    result = gql(hr_user).execute(
        CERT, {"name": "PMP", "on": days_ago(10).isoformat(), "email": "staff@example.com"}
    )
    assert codes(result) == ["FORBIDDEN"]
