"""Skill map, HR report and import journeys in the browser, in Japanese."""

import io
import re
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from tests.e2e.helpers import exact, ja, main

SKILL = "DES-A11Y"


def test_self_assessment_validated_then_found_by_expert_search(world, browse):
    from skills.models import Skill

    skill = Skill.objects.get(code=SKILL)
    staff_name = world["ict_staff"].display_name

    def experts_at_level_5(page):
        page.goto("/skills/experts/")
        search = (
            main(page).locator("form").filter(has=page.get_by_role("button", name=ja("Search"), exact=True))
        )
        skill_select = search.get_by_label(re.compile(r"^\s*" + re.escape(ja("Skill")) + r"\s*1\s*$"))
        skill_select.select_option(label=skill.name)
        search.get_by_label(exact(ja("Level"))).first.select_option("5")
        search.get_by_role("button", name=ja("Search"), exact=True).click()
        return main(page).locator("table")

    # (5) The staff member rates themself L5 in web accessibility and asks for validation.
    staff = browse.new_page(world["ict_staff"])
    staff.goto("/skills/")
    submit = staff.get_by_role("button", name=ja("Submit for validation"), exact=True)
    form = staff.locator("form").filter(has=submit)
    skill_select = form.get_by_label(exact(ja("Skill")))
    skill_select.select_option(skill_select.locator("option", has_text=f"({SKILL})").get_attribute("value"))
    form.get_by_label(exact(ja("Level"))).select_option("5")
    form.get_by_label(exact(ja("Note"))).fill("JIS X 8341-3の試験を3件主導した。")
    submit.click()
    pending_row = main(staff).get_by_role("row").filter(has_text=skill.name).first
    expect(pending_row).to_contain_text("L5")

    # Not yet validated: the expert search does not find them at L5.
    manager = browse.new_page(world["ict_manager"])
    expect(experts_at_level_5(manager)).not_to_contain_text(staff_name)

    # The manager validates it in the queue; now the search finds them.
    manager.goto("/skills/validation/")
    row = main(manager).get_by_role("row").filter(has_text=staff_name).filter(has_text=skill.name)
    row.get_by_role("button", name=ja("Validate"), exact=True).click()
    expect(
        main(manager).get_by_role("row").filter(has_text=staff_name).filter(has_text=skill.name)
    ).to_have_count(0)
    expect(experts_at_level_5(manager)).to_contain_text(staff_name)


def test_hr_opens_coverage_and_downloads_excel(world, browse):
    from skills.models import Skill

    hr = browse.new_page(world["hr"])
    hr.goto("/")
    menu = hr.get_by_role("navigation", name=ja("Main navigation"))
    menu.get_by_role("button", name=ja("Reports"), exact=True).click()
    menu.get_by_role("link", name=ja("Skill coverage"), exact=True).click()
    expect(main(hr).get_by_role("heading", level=1)).to_contain_text(ja("Skill coverage"))
    expect(main(hr).get_by_role("table").first).to_be_visible()

    with hr.expect_download() as download_info:
        main(hr).get_by_role("link", name=re.compile(r"\.xlsx")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    cells = {
        str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c
    }
    assert Skill.objects.get(code=SKILL).name in cells, sorted(cells)[:20]


def test_admin_dry_run_of_a_cp932_file_with_one_bad_row_writes_nothing(world, browse, tmp_path):
    from support.models import RequestCategory, SupportRequest

    category = RequestCategory.objects.filter(active=True).order_by("code").first()
    requester = world["requester"]
    header = (
        "title,description,organization_code,requester_email,category_code,phase,status,priority,submitted_at"
    )
    rows = [
        f"庁内ポータルの改修相談,掲示板機能の刷新,{requester.organization.code},{requester.email},{category.code},planning,submitted,1,2026-10-01 09:00",
        f"区民向けアンケートの設計,集計方法の相談,999999,{requester.email},{category.code},planning,submitted,1,2026-10-02 09:00",
        f"ＢＣＰ訓練の振り返り,～訓練結果の整理～,{requester.organization.code},{requester.email},{category.code},operation,submitted,1,2026-10-03 09:00",
    ]
    upload = tmp_path / "過去の依頼.csv"
    upload.write_bytes("\r\n".join([header, *rows]).encode("cp932"))
    before = SupportRequest.objects.count()

    admin = browse.new_page(world["admin"])
    admin.goto("/requests/import/")
    admin.locator("input[type=file]").set_input_files(str(upload))
    admin.get_by_role("button", name=ja("Check (dry run)"), exact=True).click()

    rejected = main(admin).locator("tr.table-danger")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("3")  # the second data row is the file's third line (after the header)
    expect(main(admin).get_by_role("button", name=ja("Import now"), exact=True)).to_have_count(0)
    expect(
        main(admin).get_by_text(
            ja(
                "Some rows are rejected. Fix the file and upload it again; nothing is imported while any row is rejected."
            )
        )
    ).to_be_visible()
    assert SupportRequest.objects.count() == before
    assert not SupportRequest.objects.filter(
        title__in=["庁内ポータルの改修相談", "ＢＣＰ訓練の振り返り"]
    ).exists()
