"""Imports: each bad-row class is rejected with row, column and reason and leaves the database unchanged."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from core.fiscal import today
from skills import selectors
from skills.models import Certification, SkillAssessment, StaffProfile
from skills.resources import CREATED, REJECTED, UNCHANGED, export_dataset, run_import

HEADER = "email,skill,level,source,status,assessed_on,note\n"


def csv_bytes(body: str, encoding="utf-8") -> bytes:
    return (HEADER + body).encode(encoding)


@pytest.fixture
def importer(admin_user):
    def run(content: bytes, *, kind="assessments", filename="data.csv", dry_run=False, actor=admin_user):
        return run_import(actor=actor, kind=kind, content=content, filename=filename, dry_run=dry_run)

    return run


def only_rejection(report):
    return [(line.row, line.column, str(line.message)) for line in report.rejected]


def test_dry_run_reports_created_rows(importer, staff_profile, security):
    report = importer(
        csv_bytes("staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,面談\n"), dry_run=True
    )
    assert [(line.row, line.action) for line in report.lines] == [(2, CREATED)]


def test_dry_run_changes_nothing(importer, staff_profile, security):
    importer(csv_bytes("staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,面談\n"), dry_run=True)
    assert not SkillAssessment.objects.exists()


def test_real_import_creates_assessments(importer, staff_profile, security):
    importer(csv_bytes("staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,面談\n"))
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 3}


def test_reimport_is_unchanged(importer, staff_profile, security):
    content = csv_bytes("staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,面談\n")
    importer(content)
    report = importer(content, dry_run=True)
    assert [line.action for line in report.lines] == [UNCHANGED]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("staff@example.com,NOPE,3,manager,validated,2024-05-01,", "skill", "NOPE"),
        ("staff@example.com,SEC-RISK,6,manager,validated,2024-05-01,", "level", "1"),
        ("staff@example.com,SEC-RISK,0,manager,validated,2024-05-01,", "level", "5"),
        ("ghost@example.com,SEC-RISK,3,manager,validated,2024-05-01,", "email", "ghost@example.com"),
        ("staff@example.com,SEC-RISK,3,manager,validated,2999-01-01,", "assessed_on", ""),
    ],
    ids=["unknown-skill", "level-6", "level-0", "unknown-person", "future-date"],
)
def test_bad_row_is_rejected_with_row_column_reason(importer, staff_profile, security, row, column, reason):
    good = "staff@example.com,SEC-RISK,2,manager,validated,2023-05-01,\n"
    report = importer(csv_bytes(good + row + "\n"))
    [(number, col, message)] = only_rejection(report)
    assert (number, col, reason in message) == (3, column, True)


@pytest.mark.parametrize(
    "row",
    [
        "staff@example.com,NOPE,3,manager,validated,2024-05-01,",
        "staff@example.com,SEC-RISK,6,manager,validated,2024-05-01,",
        "ghost@example.com,SEC-RISK,3,manager,validated,2024-05-01,",
        "staff@example.com,SEC-RISK,3,manager,validated,2999-01-01,",
        "staff@example.com,SEC-RISK,2,manager,validated,2023-05-01,",  # duplicate of the good row
    ],
    ids=["unknown-skill", "level", "unknown-person", "future-date", "duplicate"],
)
def test_bad_row_leaves_database_unchanged(importer, staff_profile, security, row):
    good = "staff@example.com,SEC-RISK,2,manager,validated,2023-05-01,\n"
    importer(csv_bytes(good + row + "\n"))
    assert not SkillAssessment.objects.exists()


def test_duplicate_row_is_rejected(importer, staff_profile, security):
    row = "staff@example.com,SEC-RISK,2,manager,validated,2023-05-01,\n"
    report = importer(csv_bytes(row + row))
    assert [(line.row, line.action) for line in report.rejected] == [(3, REJECTED)]


def test_future_date_message_in_japanese(importer, staff_profile, security):
    future = (today() + dt.timedelta(days=2)).isoformat()
    with translation.override("ja"):
        report = importer(csv_bytes(f"staff@example.com,SEC-RISK,3,manager,validated,{future},\n"))
    assert [str(line.message) for line in report.rejected] == ["日付に未来の日付は指定できません。"]


def test_missing_column_is_reported(importer, staff_profile):
    report = importer(b"email,level\nstaff@example.com,3\n")
    assert "skill" in report.error


def test_cp932_file_with_japanese_names_imports(importer, make_user, job_type, security):
    from accounts.roles import Role

    make_user("yamada@example.com", Role.ICT_STAFF)
    content = (
        "メールアドレス,ジョブタイプ,等級,稼働上限\n"
        "yamada@example.com,security-specialist,主任（情報セキュリティ担当）,25\n"
    ).encode("cp932")
    importer(content, kind="staff")
    profile = StaffProfile.objects.get(user__email="yamada@example.com")
    assert (profile.grade, profile.job_type_id, profile.capacity_hours_per_week) == (
        "主任（情報セキュリティ担当）",
        job_type.pk,
        25,
    )


def test_cp932_certification_names(importer, staff_profile, security):
    content = (
        "email,name,issuer,obtained_on,expires_on,skill\n"
        "staff@example.com,情報処理安全確保支援士,情報処理推進機構（IPA）,2023/04/01,2026/03/31,SEC-RISK\n"
    ).encode("cp932")
    importer(content, kind="certifications")
    assert list(Certification.objects.values_list("name", "issuer")) == [
        ("情報処理安全確保支援士", "情報処理推進機構（IPA）")
    ]


def test_xlsx_import(importer, staff_profile, security):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["email", "skill", "level", "source", "status", "assessed_on"])
    sheet.append(["staff@example.com", "SEC-RISK", 4, "manager", "validated", dt.datetime(2024, 6, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    importer(buffer.getvalue(), filename="data.xlsx")
    assert selectors.current_levels(staff_ids=[staff_profile.pk]) == {(staff_profile.pk, security.pk): 4}


def test_import_refused_to_manager(importer, staff_profile, security, ict_manager):
    report = importer(
        csv_bytes("staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,\n"), actor=ict_manager
    )
    assert (len(report.rejected), SkillAssessment.objects.count()) == (1, 0)


def test_skill_import_rejects_unknown_category(importer, category):
    report = importer(b"code,name,category\nNEW-1,new,nowhere\n", kind="skills")
    assert [(line.column, line.action) for line in report.lines] == [("category", REJECTED)]


def test_export_neutralises_formula_cells(staff_profile, security, ict_manager):
    from skills import services

    services.assessment_record_manager(
        actor=ict_manager, staff=staff_profile, skill=security, level=3, reason='=HYPERLINK("http://x")'
    )
    dataset = export_dataset("assessments", selectors.assessment_history(staff_profile))
    assert dataset.dict[0]["note"].startswith("'=")
