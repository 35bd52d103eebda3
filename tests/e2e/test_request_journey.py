"""A request's whole life in the browser, in Japanese: the requester files it with an attachment and comments; the
manager triages it, opens the candidates, asks for a team proposal and assigns; the staff member works and resolves
it; the requester rates it and the dashboard changes."""

import re

from playwright.sync_api import expect

from support.forms import CommentForm, RequestForm, SatisfactionForm, StatusForm, TriageForm
from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.helpers import card_value, exact, field_label, ja, main

TITLE = "住民向けオンライン申請フォームのアクセシビリティ点検"


def test_request_from_filing_to_rating(world, browse, tmp_path):
    from support.models import SupportRequest

    # (1) The requester signs in on the sign-in page, in Japanese, and files a request with an attachment.
    requester = browse.new_page()
    requester.goto("/accounts/login/")
    expect(requester.locator("html")).to_have_attribute("lang", "ja")
    requester.get_by_label(exact("メールアドレス")).fill(world["requester"].email)
    requester.get_by_label(exact("パスワード")).fill(DEMO_PASSWORD)
    requester.get_by_role("button", name=ja("Sign In"), exact=True).click()
    expect(requester.get_by_role("navigation", name=ja("Main navigation"))).to_be_visible()

    requester.goto("/requests/new/")
    spec = tmp_path / "仕様書_概要.txt"
    spec.write_text("申請フォームの画面一覧と現行の課題。\n", encoding="utf-8")
    requester.get_by_label(exact(field_label(RequestForm, "title"))).fill(TITLE)
    requester.get_by_label(exact(field_label(RequestForm, "description"))).fill(
        "電子申請フォームをJIS X 8341-3に沿って点検し、改善点の優先順位を付けたい。"
    )
    requester.get_by_label(exact(field_label(RequestForm, "category"))).select_option(index=1)
    requester.get_by_label(exact(field_label(RequestForm, "phase"))).select_option(index=1)
    requester.get_by_label(exact(field_label(RequestForm, "files"))).set_input_files(str(spec))
    requester.get_by_role("button", name=ja("Save"), exact=True).click()
    expect(requester).to_have_url(re.compile(r"/requests/DX-\d{4}-\d{4}/$"))
    reference = re.search(r"(DX-\d{4}-\d{4})", requester.url).group(1)
    expect(main(requester).get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(main(requester).get_by_role("link", name=spec.name).first).to_be_visible()

    requester.get_by_label(exact(field_label(CommentForm, "body"))).fill("来週の打合せで画面を共有できます。")
    requester.get_by_role("button", name=ja("Add comment"), exact=True).click()
    expect(main(requester).get_by_text("来週の打合せで画面を共有できます。").first).to_be_visible()

    # (2) The manager finds it in the triage queue, accepts it, opens the candidates, asks for a team, assigns.
    manager = browse.new_page(world["ict_manager"])
    manager.goto("/requests/triage/")
    main(manager).get_by_role("link", name=reference).click()
    main(manager).get_by_role("link", name=ja("Triage"), exact=True).click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text(reference)
    manager.get_by_label(ja("Accept"), exact=True).check()
    manager.get_by_label(exact(field_label(TriageForm, "estimated_hours"))).fill("24")
    manager.get_by_role("button", name=ja("Save decision"), exact=True).click()
    expect(main(manager).get_by_text(ja("Triaged")).first).to_be_visible()

    if "/candidates/" not in manager.url:  # the decision may lead straight to the candidates
        main(manager).get_by_role("link", name=ja("Candidates"), exact=True).click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text(ja("Candidates"))
    manager.get_by_label(ja("Include people at capacity")).check()
    manager.get_by_role("button", name=ja("Filter"), exact=True).click()

    manager.get_by_role("link", name=ja("Propose a team"), exact=True).click()
    expect(manager.locator("#team-result")).to_be_visible()

    staff_name = world["ict_staff"].display_name
    row = manager.locator("#candidates tbody tr").filter(has_text=staff_name)
    expect(row).to_have_count(1)
    reason = row.get_by_label(ja("Reason for exceeding capacity"))
    if reason.count():
        reason.fill("アクセシビリティの経験者が他にいないため")
    # As a member: a lead's assignment would start the work itself (triaged → in progress), which staff do below.
    row.get_by_role("button", name=ja("As member"), exact=True).click()
    expect(manager.locator("#assignments")).to_contain_text(staff_name)

    # (3) The staff member starts work, writes an internal note and a public reply, and resolves the request.
    staff = browse.new_page(world["ict_staff"])
    staff.goto(f"/requests/{reference}/")
    staff.get_by_label(exact(field_label(StatusForm, "status"))).select_option("in_progress")
    staff.get_by_role("button", name=ja("Change"), exact=True).click()
    expect(main(staff).locator(".badge").filter(has_text=ja("In progress")).first).to_be_visible()

    comment = staff.get_by_label(exact(field_label(CommentForm, "body", allow_internal=True)))
    comment.fill("過去の点検結果(DX-2025)を参考にする。")
    staff.get_by_label(field_label(CommentForm, "internal", allow_internal=True)).check()
    staff.get_by_role("button", name=ja("Add comment"), exact=True).click()
    comment.fill("点検結果と改善案を添付の形式でお送りします。")
    staff.get_by_role("button", name=ja("Add comment"), exact=True).click()
    expect(main(staff).get_by_text("点検結果と改善案を添付の形式でお送りします。").first).to_be_visible()

    staff.get_by_label(exact(field_label(StatusForm, "status"))).select_option("resolved")
    staff.get_by_label(exact(field_label(StatusForm, "note"))).fill("点検報告書をお渡ししました。")
    staff.get_by_role("button", name=ja("Change"), exact=True).click()
    assert SupportRequest.objects.get(reference=reference).status == "resolved"

    # The requester sees the public reply, never the internal note.
    requester.goto(f"/requests/{reference}/")
    expect(main(requester).get_by_text("点検結果と改善案を添付の形式でお送りします。").first).to_be_visible()
    expect(main(requester).get_by_text("過去の点検結果(DX-2025)を参考にする。")).to_have_count(0)

    # (4) The requester rates it; the manager's dashboard (computed live) changes.
    manager.goto("/reports/?exact=1")
    rated_before = card_value(manager, ja("Satisfaction"))
    send = requester.get_by_role("button", name=ja("Send rating"), exact=True)
    rating = requester.locator("form").filter(has=send)
    score = rating.get_by_role("group", name=re.compile(re.escape(field_label(SatisfactionForm, "score"))))
    score.get_by_label("1", exact=True).check()
    rating.get_by_label(exact(field_label(SatisfactionForm, "comment"))).fill("対応が遅く感じました。")
    send.click()
    expect(main(requester).get_by_text("対応が遅く感じました。").first).to_be_visible()
    manager.goto("/reports/?exact=1")
    assert card_value(manager, ja("Satisfaction")) != rated_before
