"""Japanese all the way in the skill map: exports in the user's language (headers, labels, dates, sheet name),
imports in either language, and English mode shows the English names of skills, categories and job types."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from skills.models import SkillAssessment
from skills.resources import UNCHANGED, run_import

ON = dt.date(2024, 5, 1)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def one_assessment(validated, staff_profile, security):
    return validated(staff_profile, security, 3, on=ON)


def export(client, kind="assessments", **params):
    return client.get(reverse("skills:export", args=[kind]), params)


def first_row(sheet) -> dict:
    headers = [cell.value for cell in sheet[1]]
    return dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))


def test_assessment_export_in_japanese(client_for, admin_user, one_assessment):
    book = openpyxl.load_workbook(io.BytesIO(export(client_for(admin_user), format="xlsx").content))
    assert book.sheetnames == ["スキル評価"]
    row = first_row(book["スキル評価"])
    assert (row["評価区分"], row["状態"], row["評価日"]) == ("上長評価", "承認済", dt.datetime(2024, 5, 1))
    assert book["スキル評価"]["F2"].number_format == "yyyy/mm/dd"
    text = export(client_for(admin_user)).content.decode("utf-8-sig")
    assert "2024/05/01" in text and "上長評価" in text


def test_assessment_export_in_english(client_for, admin_user, one_assessment):
    client = english(client_for(admin_user))
    book = openpyxl.load_workbook(io.BytesIO(export(client, format="xlsx").content))
    assert book.sheetnames == ["Skill assessments"]
    row = first_row(book["Skill assessments"])
    assert (row["Email address"], row["Assessment source"], row["Status"]) == (
        "staff@example.com",
        "Manager assessment",
        "Validated",
    )
    rows = list(csv.DictReader(io.StringIO(export(client).content.decode("utf-8-sig"))))
    assert (rows[0]["Skill code"], rows[0]["Assessed on"]) == ("SEC-RISK", "2024-05-01")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_export_in_either_language_imports_back_unchanged(client_for, admin_user, one_assessment, language):
    client = client_for(admin_user)
    if language == "en":
        english(client)
    for fmt, filename in (("csv", "back.csv"), ("xlsx", "back.xlsx")):
        content = export(client, format=fmt).content
        report = run_import(
            actor=admin_user, kind="assessments", content=content, filename=filename, dry_run=True
        )
        assert (report.ok, report.rejected, report.count(UNCHANGED)) == (True, [], 1)


def test_english_codes_and_japanese_labels_mix_in_one_file(admin_user, staff_profile, security):
    content = "email,skill,level,source,status,assessed_on\nstaff@example.com,SEC-RISK,2,上長評価,validated,2024/05/01\n"
    report = run_import(
        actor=admin_user, kind="assessments", content=content.encode(), filename="x.csv", dry_run=False
    )
    assert (report.ok, SkillAssessment.objects.get().source) == (True, "manager")


def test_a_bad_japanese_headed_row_names_the_japanese_column(admin_user, staff_profile, security):
    content = "メールアドレス,スキルコード,ＬＥＶＥＬ,評価日\nstaff@example.com,SEC-RISK,9,2024/05/01\n"
    with translation.override("en"):
        report = run_import(
            actor=admin_user,
            kind="assessments",
            content=content.encode("cp932"),
            filename="x.csv",
            dry_run=True,
        )
    assert [(line.row, line.column, line.column_label) for line in report.rejected] == [
        (2, "level", "ＬＥＶＥＬ")
    ]


def test_english_mode_shows_english_names_on_the_staff_page(
    client_for, ict_manager, staff_profile, one_assessment
):
    url = reverse("skills:staff_detail", args=[staff_profile.pk])
    japanese = client_for(ict_manager).get(url).content.decode()
    assert "情報セキュリティリスク管理" in japanese and "セキュリティスペシャリスト" in japanese
    html = english(client_for(ict_manager)).get(url).content.decode()
    assert "Security risk management" in html and "Security specialist" in html
    assert "情報セキュリティリスク管理" not in html and "セキュリティスペシャリスト" not in html


def test_english_mode_shows_english_job_types_in_the_expert_export(client_for, hr_user, make_profile):
    make_profile("expert@example.com")
    client = client_for(hr_user)
    assert "セキュリティスペシャリスト" in client.get(
        reverse("skills:expert_search"), {"export": "csv"}
    ).content.decode("utf-8-sig")
    text = english(client).get(reverse("skills:expert_search"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "Security specialist" in text and "セキュリティスペシャリスト" not in text


def test_localized_name_is_one_rule(security, category):
    with translation.override("en"):
        assert (str(security), security.localized_name, str(category)) == (
            "Security risk management",
            "Security risk management",
            "Security",
        )
    with translation.override("ja"):
        assert str(security) == "情報セキュリティリスク管理"
    security.name_en = ""
    with translation.override("en"):
        assert str(security) == "情報セキュリティリスク管理"  # no English name: the Japanese one


TAXONOMY = (
    "{ skills(first: 5) { edges { node { code name nameEn localizedName category { localizedName } } } } }"
)


def test_graphql_localized_name_follows_the_request_language(gql, ict_staff, security):
    from django.conf import settings as django_settings

    client = gql(ict_staff)
    japanese = client.execute(TAXONOMY)["data"]["skills"]["edges"][0]["node"]
    client.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.execute(TAXONOMY)["data"]["skills"]["edges"][0]["node"]
    assert (japanese["localizedName"], japanese["category"]["localizedName"]) == (
        "情報セキュリティリスク管理",
        "セキュリティ",
    )
    assert (english["localizedName"], english["category"]["localizedName"]) == (
        "Security risk management",
        "Security",
    )
    assert (
        english["name"] == japanese["name"] == "情報セキュリティリスク管理"
    )  # `name` stays the Japanese name


def test_expert_excel_sheet_is_named_and_its_columns_fit(client_for, hr_user, make_profile):
    make_profile("a-very-long-address-for-width@example.com")
    response = client_for(hr_user).get(reverse("skills:expert_search"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["ICT人材プール"]
    sheet = book["ICT人材プール"]
    assert sheet.column_dimensions["A"].width >= len("a-very-long-address-for-width")  # the name column fits


def test_staff_export_writes_labels_and_imports_back_unchanged(client_for, admin_user, staff_profile):
    client = client_for(admin_user)
    rows = list(csv.reader(io.StringIO(export(client, "staff").content.decode("utf-8-sig"))))
    assert "はい" in rows[1] and "1" not in rows[1][-1:]  # active: a label, not a code
    for language in ("ja", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        content = export(client, "staff", format="xlsx").content
        report = run_import(actor=admin_user, kind="staff", content=content, filename="s.xlsx", dry_run=True)
        assert (report.ok, report.rejected, report.count(UNCHANGED)) == (True, [], 1)
