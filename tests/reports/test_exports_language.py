"""The coverage Excel in the user's language: sheet names and headers, and the English names of skills and job
types in English mode (the stored figures keep the names they were computed with; the download renames them)."""

import io

import openpyxl
from django.conf import settings

from skills.models import JobType

URL = "/reports/export/skills.xlsx?fy=2025&q=1"


def sheets(client) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(client.get(URL).content))
    return {
        name: [[cell.value for cell in row] for row in book[name].iter_rows()] for name in book.sheetnames
    }


def test_coverage_excel_in_japanese_then_english(coverage_world, client_for, hr_user):
    JobType.objects.filter(code="pm").update(name_en="Project manager")
    client = client_for(hr_user)
    japanese = sheets(client)  # computes and stores the figures, in Japanese
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in japanese)
    text = str(japanese)
    assert "スキルA" in text and "プロジェクトマネージャ" in text and "Skill a" not in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = sheets(client)  # the stored figures, read back in English
    assert set(english).isdisjoint(japanese)  # sheet names translated too
    first = next(iter(english.values()))
    assert first[0][:2] == ["Skill", "Skill category"] and first[1][:2] == ["Skill a", "Reports"]
    text = str(english)
    assert "Project manager" in text and "スキルA" not in text and "プロジェクトマネージャ" not in text
    assert "セキュリティ" in text  # a job type without an English name keeps its Japanese one
