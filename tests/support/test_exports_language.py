"""Japanese all the way: the request export speaks the user's language (headers, labels, dates, sheet name), and
the import reads either language — Japanese headers and labels, or the English codes."""

import csv
import io

import openpyxl
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.tabular.report import CREATED, UNCHANGED
from support.models import SupportRequest
from support.resources import import_requests


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_xlsx_export_in_japanese_has_japanese_headers_labels_and_sheet(client_for, ict_manager, submit):
    submitted = submit()
    response = client_for(ict_manager).get(reverse("support:request_export"), {"format": "xlsx"})
    book = workbook(response)
    assert book.sheetnames == ["支援依頼"]
    sheet = book["支援依頼"]
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    assert headers[:3] == ["受付番号", "件名", "依頼内容"]
    assert (row["工程"], row["状態"], row["優先度"]) == ("調達", "受付済", "中")
    assert row["受付日時"].date() == submitted.submitted_at.date()
    assert sheet.cell(row=2, column=headers.index("受付日時") + 1).number_format == "yyyy/mm/dd hh:mm"
    assert sheet.freeze_panes == "A2"
    details, reference = sheet.column_dimensions["C"].width, sheet.column_dimensions["A"].width
    assert details > reference


def test_csv_export_in_japanese_writes_dates_in_the_japanese_format(client_for, ict_manager, submit):
    submitted = submit()
    rows = csv_rows(client_for(ict_manager).get(reverse("support:request_export")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["希望開始日"] == "2026/12/01"
    with translation.override("ja"):
        assert row["受付日時"].startswith(f"{submitted.submitted_at.astimezone():%Y/%m/%d} ")


def test_export_in_english_has_english_headers_labels_dates_and_sheet(client_for, ict_manager, submit):
    submit()
    client = english(client_for(ict_manager))
    rows = csv_rows(client.get(reverse("support:request_export")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert rows[0][:3] == ["Reference", "Title", "Request details"]
    assert (row["Phase"], row["Status"], row["Priority"], row["Desired start"]) == (
        "Procurement",
        "Submitted",
        "Normal",
        "2026-12-01",
    )
    assert workbook(client.get(reverse("support:request_export"), {"format": "xlsx"})).sheetnames == [
        "Support requests"
    ]


def test_japanese_export_imports_back_unchanged_and_so_does_the_english_one(client_for, ict_manager, submit):
    submit(title="日本語の依頼")
    client = client_for(ict_manager)
    for response in (
        client.get(reverse("support:request_export"), {"format": "xlsx"}),
        english(client_for(ict_manager)).get(reverse("support:request_export")),
    ):
        report = import_requests(
            actor=ict_manager,
            content=response.content,
            filename="back.xlsx" if response["Content-Type"].startswith("application/") else "back.csv",
            dry_run=True,
        )
        assert (report.ok, report.rejected, report.count(CREATED)) == (True, [], 0)
        assert report.count(UNCHANGED) + report.count("updated") == 1


def test_english_codes_still_import(ict_manager, requester, categories):
    body = (
        "reference,title,description,organization_code,requester_email,category_code,phase,status,priority,"
        "submitted_at\n"
        "DX-2023-0011,Old request,Details,131016,requester@example.com,website,design_build,closed,urgent,"
        "2023-06-01 10:00\n"
    )
    report = import_requests(actor=ict_manager, content=body.encode(), filename="r.csv", dry_run=False)
    request = SupportRequest.objects.get()
    assert (report.ok, request.phase, request.priority) == (True, "design_build", 3)


def test_a_bad_row_names_the_column_as_the_file_wrote_it(ict_manager, requester, categories):
    body = (
        "受付番号,件名,依頼内容,組織コード,依頼者メールアドレス,支援区分コード,工程,status,優先度,受付日時\n"
        ",悪い行,説明,131016,requester@example.com,website,企画,done,最高,2023/06/01 10:00\n"
    )
    with translation.override("en"):  # the reader's language does not rename the file's own columns
        report = import_requests(
            actor=ict_manager, content=body.encode("cp932"), filename="r.csv", dry_run=True
        )
    assert [(line.row, line.column, line.column_label) for line in report.rejected] == [
        (2, "status", "status"),
        (2, "priority", "優先度"),
    ]
    assert SupportRequest.objects.count() == 0


def test_request_list_in_english_shows_the_english_category_and_organisation(client_for, ict_manager, submit):
    submit()
    html = english(client_for(ict_manager)).get(reverse("support:request_list")).content.decode()
    assert "Specification review" in html and "Chiyoda" in html
    assert "仕様書の技術的確認" not in html
