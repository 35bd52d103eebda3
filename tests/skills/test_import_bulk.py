"""The bulk write path of the assessment import: every row checked first, then a few multi-row INSERTs with one
audit event per assessment — the same rules as the one-row service (``assessment_import_check``)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from skills import services
from skills.models import AssessmentSource, AssessmentStatus, SkillAssessment
from skills.resources import CREATED, run_import

HEADER = "email,skill,level,source,status,assessed_on,note\n"


def _rows(n: int, *, bad_at=()) -> bytes:
    lines = []
    for i in range(n):
        level = 9 if i in bad_at else 1 + i % 5
        lines.append(
            f"staff@example.com,SEC-RISK,{level},manager,validated,2020-01-{1 + i % 28:02d},note{i}\n"
        )
    return (HEADER + "".join(lines)).encode()


def _import(actor, content: bytes, dry_run=False):
    return run_import(actor=actor, kind="assessments", content=content, filename="a.csv", dry_run=dry_run)


def _queries(actor, content) -> int:
    with CaptureQueriesContext(connection) as ctx:
        report = _import(actor, content)
    assert report.ok, report.rejected
    return len(ctx.captured_queries)


def test_rows_are_written_with_one_audit_event_each(admin_user, staff_profile, security):
    report = _import(admin_user, _rows(25))
    assert report.count(CREATED) == 25
    assessments = SkillAssessment.objects.order_by("pk")
    assert [a.level for a in assessments] == [1 + i % 5 for i in range(25)]
    events = AuditEvent.objects.filter(verb="skill_assessment.import")
    assert sorted(int(e.target_id) for e in events) == [a.pk for a in assessments]
    assert {(e.actor_id, e.data["skill"], e.data["source"]) for e in events} == {
        (admin_user.pk, "SEC-RISK", "manager")
    }


def test_the_number_of_queries_does_not_grow_with_the_rows(admin_user, staff_profile, security):
    _queries(admin_user, _rows(1))  # warm the caches (roles, content types) as a running server has them
    SkillAssessment.objects.all().delete()
    small = _queries(admin_user, _rows(5))
    SkillAssessment.objects.all().delete()
    assert _queries(admin_user, _rows(60)) == small


def test_a_bad_row_anywhere_writes_nothing_and_every_bad_row_is_reported(admin_user, staff_profile, security):
    report = _import(admin_user, _rows(30, bad_at=(3, 29)))
    assert [(line.row, line.column) for line in report.rejected] == [(5, "level"), (31, "level")]
    assert (
        not SkillAssessment.objects.exists()
        and not AuditEvent.objects.filter(verb="skill_assessment.import").exists()
    )


def test_the_dry_run_writes_nothing(admin_user, staff_profile, security):
    assert _import(admin_user, _rows(10), dry_run=True).count(CREATED) == 10
    assert not SkillAssessment.objects.exists()


def test_one_row_and_bulk_share_the_rules(admin_user, staff_profile, security):
    pending_manager = {
        "staff": staff_profile,
        "skill": security,
        "level": 3,
        "source": AssessmentSource.MANAGER,
        "assessed_on": None,
        "validated": False,
    }
    for service in (services.assessment_import, services.assessment_import_check):
        with pytest.raises(ValidationError) as refused:
            service(actor=admin_user, **pending_manager)
        assert "status" in refused.value.error_dict
    assert not SkillAssessment.objects.exists()


def test_one_row_import_still_writes_the_same_assessment_and_event(admin_user, staff_profile, security):
    import datetime as dt

    made = services.assessment_import(
        actor=admin_user, staff=staff_profile, skill=security, level=2, source=AssessmentSource.SELF,
        assessed_on=dt.date(2021, 4, 1), validated=False,
    )  # fmt: skip
    assert (made.status, made.assessed_by_id) == (AssessmentStatus.PENDING, staff_profile.user_id)
    event = AuditEvent.objects.get(verb="skill_assessment.import")
    assert event.data == {"staff": staff_profile.pk, "skill": "SEC-RISK", "level": 2, "source": "self"}


def test_bulk_write_is_refused_to_someone_who_may_not_import(
    ict_manager, admin_user, staff_profile, security
):
    from django.core.exceptions import PermissionDenied

    checked = services.assessment_import_check(
        actor=admin_user, staff=staff_profile, skill=security, level=2, source="manager", assessed_on=None
    )
    with pytest.raises(PermissionDenied):
        services.assessment_import_bulk(actor=ict_manager, assessments=[checked])
    assert not SkillAssessment.objects.exists()
