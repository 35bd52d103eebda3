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
from tests.world import in_job

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
    assert dataset.dict[0]["メモ"].startswith("'=")


# --- one framework: encodings, headers, every error, dry run → confirm, exports -------------------------------------

JA_HEADER = "メールアドレス,スキルコード,レベル,評価区分,状態,評価日,メモ"
JA_ROW = "staff@example.com,SEC-RISK,4,manager,validated,2024-05-01,髙橋さんと面談①"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "xlsx"])
def test_every_encoding_imports_with_japanese_headers(importer, staff_profile, security, encoding):
    if encoding == "xlsx":
        workbook = openpyxl.Workbook()
        for line in (JA_HEADER, JA_ROW):
            workbook.active.append(line.split(","))
        buffer = io.BytesIO()
        workbook.save(buffer)
        content, filename = buffer.getvalue(), "data.xlsx"
    else:
        content, filename = f"{JA_HEADER}\r\n{JA_ROW}\r\n".encode(encoding), "data.csv"
    report = importer(content, filename=filename)
    assert (report.ok, list(SkillAssessment.objects.values_list("level", "note"))) == (
        True,
        [(4, "髙橋さんと面談①")],
    )


def test_english_codes_in_any_case_are_accepted(importer, staff_profile, security):
    importer(b"EMAIL,Skill,LEVEL,Assessed_On\nstaff@example.com,SEC-RISK,2,2024-05-01\n")
    assert SkillAssessment.objects.get().level == 2


def test_every_error_of_every_row_with_row_number_and_japanese_header(importer, staff_profile, security):
    content = (
        f"{JA_HEADER}\n"
        "staff@example.com,SEC-RISK,2,manager,validated,2023-05-01,\n"  # row 2: fine
        "ghost@example.com,NOPE,9,manager,validated,2023-05-01,\n"  # row 3: three bad cells
        "\n"  # row 4: blank, skipped
        "staff@example.com,SEC-RISK,,boss,validated,someday,\n"  # row 5: three bad cells
    ).encode()
    with translation.override("ja"):
        report = importer(content)
    assert [(line.row, line.column_label) for line in report.rejected] == [
        (3, "メールアドレス"),
        (3, "スキルコード"),
        (3, "レベル"),
        (5, "レベル"),
        (5, "評価日"),
        (5, "評価区分"),
    ]
    assert (report.count(CREATED), SkillAssessment.objects.count()) == (1, 0)


def test_dry_run_then_confirm_without_second_upload(
    client_for, admin_user, staff_profile, security, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(admin_user)
    body = f"{JA_HEADER}\n{JA_ROW}\nstaff@example.com,SEC-RISK,5,manager,validated,2024-06-01,\n".encode(
        "cp932"
    )
    capture = django_capture_on_commit_callbacks
    upload = {"kind": "assessments", "file": SimpleUploadedFile("a.csv", body)}
    response = in_job(client, capture, reverse("skills:import"), upload)
    token = response.context["token"]
    assert (token != "", SkillAssessment.objects.count()) == (True, 0)
    response = in_job(client, capture, reverse("skills:import_confirm"), {"token": token})
    assert response.context["imported"] and response.context["report"].counts["created"] == 2
    again = client.post(
        reverse("skills:import_confirm"), {"token": token}
    )  # a second confirm imports nothing
    assert again["Location"] == reverse("skills:import")
    assert sorted(SkillAssessment.objects.values_list("level", flat=True)) == [4, 5]


def test_failure_half_way_through_confirm_writes_nothing(
    client_for, admin_user, staff_profile, security, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import DatabaseError
    from django.urls import reverse

    from skills import services

    client = client_for(admin_user)
    rows = "".join(f"staff@example.com,SEC-RISK,{n},manager,validated,2024-0{n}-01,\n" for n in range(1, 5))
    capture = django_capture_on_commit_callbacks
    response = in_job(
        client,
        capture,
        reverse("skills:import"),
        {"kind": "assessments", "file": SimpleUploadedFile("a.csv", (HEADER + rows).encode())},
    )
    real = services.assessment_import_bulk

    def fail_after_first_chunk(*, actor, assessments):
        real(
            actor=actor, assessments=assessments[:2], chunk=2
        )  # two rows are written, then the disk fills up
        assert SkillAssessment.objects.count() == 2
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "assessment_import_bulk", fail_after_first_chunk)
    response = in_job(client, capture, reverse("skills:import_confirm"), {"token": response.context["token"]})
    report = response.context["report"]
    assert (response.context["failed"], report.ok, report.error) == (
        True,
        False,
        "取り込みに失敗しました。何も変更されていません。",
    )
    assert not SkillAssessment.objects.exists()


@pytest.fixture
def one_assessment(validated, staff_profile, security):
    return validated(staff_profile, security, 3, reason="=1+1 の確認〜")


def test_export_csv_has_bom_and_japanese_headers(client_for, admin_user, one_assessment):
    from django.urls import reverse

    response = client_for(admin_user).get(reverse("skills:export", args=["assessments"]))
    assert response.content.startswith("\ufeff".encode())
    assert (
        response.content.decode("utf-8-sig").splitlines()[0].startswith("メールアドレス,スキルコード,レベル")
    )


def test_export_in_shift_jis_decodes_with_cp932(client_for, admin_user, one_assessment):
    from django.urls import reverse

    response = client_for(admin_user).get(
        reverse("skills:export", args=["assessments"]), {"encoding": "sjis"}
    )
    lines = response.content.decode("cp932").splitlines()
    assert (lines[0].startswith("メールアドレス,スキルコード"), "'=1+1 の確認～" in lines[1]) == (True, True)


def test_exported_file_imports_back_unchanged(client_for, admin_user, one_assessment, importer):
    from django.urls import reverse

    content = client_for(admin_user).get(reverse("skills:export", args=["assessments"]), {"format": "xlsx"})
    report = importer(content.content, filename="back.xlsx", dry_run=True)
    assert (report.ok, report.count(UNCHANGED)) == (True, SkillAssessment.objects.count())


def test_expert_finder_csv_has_bom_and_sjis_option(client_for, hr_user, make_profile):
    from django.urls import reverse

    make_profile("evil@example.com", display_name="=cmd〜")
    client = client_for(hr_user)
    utf8 = client.get(reverse("skills:expert_search"), {"export": "csv"}).content
    sjis = client.get(reverse("skills:expert_search"), {"export": "csv", "encoding": "sjis"}).content
    assert (utf8.startswith("\ufeff".encode()), "'=cmd～" in sjis.decode("cp932")) == (True, True)
