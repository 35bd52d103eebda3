import datetime as dt

import pytest

from core.fiscal import today
from skills.training_models import TrainingAttendance, TrainingCourse, TrainingSession, TrainingSkill
from tests.conftest import codes

RECORD = """mutation { recordTrainingCompletion(courseCode: "jt-security", staffEmail: "staff@example.com") {
  completion { courseCode completedOn } errors { field code } } }"""


@pytest.fixture
def course(security):
    course = TrainingCourse.objects.create(code="jt-security", name="職種別研修(情報セキュリティ)")
    TrainingSkill.objects.create(course=course, skill=security, level=3)
    TrainingSession.objects.create(course=course, starts_on=today() - dt.timedelta(days=10))
    return course


@pytest.mark.django_db
def test_catalogue_and_completion(gql, hr_user, ict_staff, requester, staff_profile, course):
    catalogue = gql(hr_user).execute(
        "query { trainings { code skills { skillCode level } sessions { id } } }"
    )
    assert catalogue["data"]["trainings"] == [
        {
            "code": "jt-security",
            "skills": [{"skillCode": "SEC-RISK", "level": 3}],
            "sessions": [{"id": catalogue["data"]["trainings"][0]["sessions"][0]["id"]}],
        }
    ]
    assert codes(gql(requester).execute("query { trainings { code } }")) == ["FORBIDDEN"]
    assert codes(gql(ict_staff).execute(RECORD)) == ["FORBIDDEN"]
    assert not TrainingAttendance.objects.exists()
    done = gql(hr_user).execute(RECORD)["data"]["recordTrainingCompletion"]
    assert done["errors"] == [] and done["completion"]["completedOn"] == today().isoformat()
    assert TrainingAttendance.objects.get().staff == staff_profile
