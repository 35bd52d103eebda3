"""The progress report: figures by pillar and period, the narrative, the downloads, and the PDF — generated for
the demo year, its text extracted and checked, and no glyph missing (no tofu)."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.fiscal import fiscal_year_of, today
from reports.pdf import pdf_available
from reports.progress import period_range, progress_report_for
from support.engagement_models import EngagementKind
from support.models import SupportRequest
from tests.conftest import login

FY = fiscal_year_of(today()) - 1  # the demo's last complete fiscal year


def test_periods():
    assert period_range(2025, "h1").start.isoformat() == "2025-04-01"
    assert period_range(2025, "h1").end.isoformat() == "2025-10-01"
    assert period_range(2025, "h2").end.isoformat() == "2026-04-01"
    assert period_range(2025, "q4").start.isoformat() == "2026-01-01"
    import datetime as dt

    assert period_range(2025, "ytd", on=dt.date(2025, 8, 15)).last_day.isoformat() == "2025-08-15"


def test_report_counts_by_pillar_and_kind(demo_users):
    manager = demo_users["ict_manager"]
    report = progress_report_for(manager, fiscal_year=FY, period="fy")
    year = period_range(FY, "fy")
    received = SupportRequest.objects.filter(
        submitted_at__gte=year.start_datetime(), submitted_at__lt=year.end_datetime()
    ).count()
    assert report.total_requests == received > 0
    held = {str(label): now for label, _before, now in report.engagements}
    assert held[str(EngagementKind.STUDY_SESSION.label)] == 12
    assert held[str(EngagementKind.CIO_FORUM.label)] == 2
    assert report.coverage["round_table"] == 56
    total, planning = report.upstream["bureau"]
    assert 0 <= planning <= total
    first_half = progress_report_for(manager, fiscal_year=FY, period="h1")
    assert first_half.total_requests <= report.total_requests


def test_manager_writes_the_narrative_hr_reads_it(demo_users):
    url = reverse("reports:progress") + f"?fy={FY}&period=h2"
    login(demo_users["ict_manager"]).post(url, {"text": "下期は相談件数が増加した。"})
    page = login(demo_users["hr"]).get(url)
    assert page.status_code == 200 and "下期は相談件数が増加した。" in page.content.decode()
    refused = login(demo_users["hr"]).post(url, {"text": "書き換え"})
    assert refused.status_code == 404
    assert "書き換え" not in login(demo_users["hr"]).get(url).content.decode()
    assert login(demo_users["requester"]).get(url).status_code == 404
    assert login(demo_users["ict_staff"]).get(url).status_code == 404


def test_xlsx_has_the_same_figures(demo_users):
    response = login(demo_users["hr"]).get(
        reverse("reports:progress_export", args=["xlsx"]) + f"?fy={FY}&period=fy"
    )
    book = load_workbook(io.BytesIO(response.content))
    report = progress_report_for(demo_users["hr"], fiscal_year=FY, period="fy")
    sheet = book.worksheets[0]
    assert sum(row[3] for row in sheet.iter_rows(min_row=2, values_only=True)) == report.total_requests


def _pdf_fonts(data: bytes):
    """(base font name, embedded?, ToUnicode CMap text, embedded font bytes) for every font of every page."""
    from pypdf import PdfReader

    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            stream = next(
                (descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None
            )
            cmap = (
                font["/ToUnicode"].get_object().get_data().decode("latin-1") if "/ToUnicode" in font else ""
            )
            fonts[str(font["/BaseFont"])] = (
                stream is not None,
                cmap,
                stream.get_object().get_data() if stream is not None else b"",
            )
    return fonts


def _mapped_characters(cmap: str) -> dict[int, str]:
    """glyph id → text from a ToUnicode CMap (bfchar entries and bfrange runs)."""
    mapped = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapped[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, gid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapped[gid] = chr(start + offset)
    return mapped


def test_pdf_of_the_demo_year_is_in_japanese_without_tofu(demo_users):
    if not pdf_available():
        pytest.skip(
            "WeasyPrint or its Pango libraries are missing: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "fonts-ipafont-gothic (see .ci/run) and pip install weasyprint"
        )
    if (
        shutil.which("fc-list")
        and "IPAGothic" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    ):
        pytest.skip("the Japanese font is missing: apt-get install fonts-ipafont-gothic (see .ci/run)")
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    manager = demo_users["ict_manager"]
    login(manager).post(
        reverse("reports:progress") + f"?fy={FY}&period=fy", {"text": "年度を通じて支援を継続した。"}
    )
    with translation.override("ja"):
        response = login(manager).get(
            reverse("reports:progress_export", args=["pdf"]) + f"?fy={FY}&period=fy"
        )
        headings = ["進捗状況報告", "局への支援", "区市町村への支援", "上流工程からの支援", "研修"]
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = re.sub(r"\s+", "", text)
    for heading in headings + ["年度を通じて支援を継続した。"]:
        assert heading in flat, heading
    report = progress_report_for(manager, fiscal_year=FY, period="fy")
    for figure in (
        report.requests["bureau"][-1],
        report.requests["municipal"][-1],
        report.coverage["round_table"],
    ):
        assert str(figure) in text

    fonts = _pdf_fonts(data)
    assert fonts, "no font in the PDF"
    drawn = set()
    for name, (embedded, cmap, font_bytes) in fonts.items():
        assert embedded, f"{name} is not embedded"
        mapped = _mapped_characters(cmap)
        assert 0 not in mapped, f"{name} draws .notdef (tofu) for {mapped.get(0)!r}"
        if font_bytes and name.split("+")[-1].startswith(("IPA", "Noto")):
            font = TTFont(io.BytesIO(font_bytes))
            assert font["maxp"].numGlyphs > 1
        drawn |= set("".join(mapped.values()))
    assert any("IPA" in name or "Noto" in name for name in fonts), sorted(fonts)
    missing = {ch for heading in headings for ch in heading} - drawn
    assert not missing, f"characters drawn with no glyph: {sorted(missing)}"


def test_graphql_progress_report_matches_the_page(demo_users):
    from tests.conftest import GraphQLClient

    fields = "pillars { pillar requests } engagementsHeld"
    query = f"query {{ progressReport(fiscalYear: {FY}, period: FY) {{ {fields} }} }}"
    data = GraphQLClient(demo_users["hr"]).execute(query)["data"]["progressReport"]
    report = progress_report_for(demo_users["hr"], fiscal_year=FY, period="fy")
    assert sum(p["requests"] for p in data["pillars"]) == report.total_requests
    assert data["engagementsHeld"] == report.engagements_held > 0
    refused = GraphQLClient(demo_users["requester"]).execute(query)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
