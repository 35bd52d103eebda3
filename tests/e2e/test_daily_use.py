"""Daily use in the browser, in Japanese (issue 14): the home page's counts open lists of exactly those requests, the
notification inbox and its unread badge, watchers, status chips, saved views, bulk changes with a confirmation page,
the triage queue's keyboard shortcuts, the overdue badge and filter, and the phone-sized request list (cards).
axe-core checks the inbox, the bulk confirmation page and the phone list."""

import datetime as dt
import re

from django.utils import translation
from playwright.sync_api import expect

from skills.models import StaffProfile
from staffing.forms import BulkActionForm
from support.forms import CommentForm
from tests.e2e.helpers import exact, field_label, ja, main
from tests.e2e.test_accessibility import BLOCKING, axe_violations

COLLEAGUE = "demo-colleague-131016@example.com"


def choice_label(choice) -> str:
    with translation.override("ja"):
        return str(choice.label)


def result_count(page) -> int:
    """The total the list shows above its rows (「N 件の依頼」)."""
    text = page.locator("#result-count").inner_text()
    return int(re.search(r"[\d,]+", text).group(0).replace(",", ""))


def unread_badge(page):
    return page.locator("#nav-notifications .badge")


def assert_no_blocking(page, axe_js):
    found = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    assert not found, (page.url, [(v["id"], v["nodes"]) for v in found])


def open_request(requester, **filters):
    from support.models import OPEN_STATUSES, SupportRequest

    return (
        SupportRequest.objects.filter(requester=requester, status__in=OPEN_STATUSES, **filters)
        .order_by("-pk")
        .first()
    )


def test_home_counts_open_lists_of_exactly_that_many(world, browse):
    manager = browse.new_page(world["ict_manager"])
    for need in ("to_triage", "unassigned"):
        manager.goto("/")
        item = manager.locator(f'#needs li[data-need="{need}"]')
        expect(item).to_have_count(1)
        count = int(item.get_attribute("data-count"))
        expect(item.locator(".badge")).to_have_text(str(count))
        label = item.get_by_role("link").inner_text().strip()
        main(manager).get_by_role("link", name=label, exact=True).click()
        manager.wait_for_load_state()
        assert result_count(manager) == count, (need, manager.url)


def test_notification_badge_inbox_and_mark_all_read(world, browse, axe_js):
    request = open_request(world["requester"])
    requester = browse.new_page(world["requester"])
    requester.goto("/")
    before = int(unread_badge(requester).inner_text()) if unread_badge(requester).count() else 0

    manager = browse.new_page(world["ict_manager"])
    manager.goto(f"/requests/{request.reference}/")
    manager.get_by_label(exact(field_label(CommentForm, "body"))).fill(
        "来週の打合せ日程を調整させてください。"
    )
    manager.get_by_role("button", name=ja("Add comment"), exact=True).click()
    expect(main(manager).get_by_text("来週の打合せ日程を調整させてください。").first).to_be_visible()

    requester.reload()
    expect(unread_badge(requester)).to_have_text(str(before + 1))
    requester.locator("#nav-notifications").click()
    expect(requester.get_by_role("heading", level=1)).to_have_text(ja("Notifications"))
    notice = main(requester).locator("li.list-group-item").filter(has_text=request.reference).first
    expect(notice).to_be_visible()
    expect(notice.get_by_text(ja("Unread"), exact=True)).to_be_visible()
    assert_no_blocking(requester, axe_js)

    main(requester).get_by_role("button", name=ja("Mark all as read"), exact=True).click()
    expect(unread_badge(requester)).to_have_count(0)
    expect(main(requester).locator("li.list-group-item").get_by_text(ja("Unread"), exact=True)).to_have_count(
        0
    )


def test_requester_adds_a_colleague_who_can_then_open_the_request(world, browse):
    from accounts.models import User
    from support.models import RequestWatcher as Watcher

    colleague = User.objects.get(email=COLLEAGUE)
    request = open_request(world["requester"], organization=colleague.organization)
    Watcher.objects.filter(request=request, user=colleague).delete()

    requester = browse.new_page(world["requester"])
    requester.goto(f"/requests/{request.reference}/")
    watchers = requester.locator("#watchers")
    watchers.get_by_role("combobox").select_option(label=colleague.label)
    watchers.get_by_role("button", name=ja("Add watcher"), exact=True).click()
    # Listed among the watchers (not only as an option of the select, which holds the same name before the post).
    expect(
        requester.locator("#watchers").get_by_role("listitem").filter(has_text=colleague.label)
    ).to_have_count(1)
    assert Watcher.objects.filter(request=request, user=colleague).exists()

    seen = browse.new_page(colleague)
    response = seen.goto(f"/requests/{request.reference}/")
    assert response.status == 200
    expect(main(seen).get_by_role("heading", level=1)).to_contain_text(request.title)


def test_status_chips_saved_view_and_bulk_priority(world, browse, axe_js):
    from support.models import Priority, Status, SupportRequest

    page = browse.new_page(world["ict_manager"])
    page.goto("/requests/")
    submitted = choice_label(Status.SUBMITTED)
    filters = page.locator("#filter-form")
    filters.get_by_text(submitted, exact=True).click()  # the chip is the checkbox's label
    expect(filters.get_by_role("checkbox", name=submitted, exact=True)).to_be_checked()
    filters.get_by_role("button", name=ja("Filter"), exact=True).click()
    expect(page).to_have_url(re.compile(r"status=submitted"))
    total = result_count(page)
    assert total == SupportRequest.objects.filter(status=Status.SUBMITTED).count()
    badges = page.locator("table tbody tr .badge")
    assert badges.count() >= 1
    assert set(badges.all_inner_texts()) <= {submitted, ja("Overdue")}

    # Save the view, leave the filters, and reopen it from the saved-views menu.
    saved = page.locator("#saved-views")
    saved.get_by_role("button", name=re.compile("^" + re.escape(ja("Saved views")))).click()
    saved.get_by_label(ja("Name of the view")).fill("受付待ちだけ")
    saved.get_by_role("button", name=ja("Save the current filters"), exact=True).click()
    expect(page.get_by_text("受付待ちだけ").first).to_be_attached()
    page.goto("/requests/")
    expect(
        page.locator("#filter-form").get_by_role("checkbox", name=submitted, exact=True)
    ).not_to_be_checked()
    saved = page.locator("#saved-views")
    saved.get_by_role("button", name=re.compile("^" + re.escape(ja("Saved views")))).click()
    saved.get_by_role("link", name="受付待ちだけ", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=submitted"))
    expect(page.locator("#filter-form").get_by_role("checkbox", name=submitted, exact=True)).to_be_checked()
    assert result_count(page) == total

    # Bulk: two open rows selected, priority changed after the confirmation page.
    page.goto("/requests/?status=triaged&status=in_progress")
    references = [
        link.inner_text().strip()
        for link in page.locator("table tbody tr td a[href*='/requests/DX-']").all()[:2]
    ]
    assert len(references) == 2
    before = dict(
        SupportRequest.objects.filter(reference__in=references).values_list("reference", "priority")
    )
    target = next(p for p in Priority if p not in before.values())
    for reference in references:
        page.get_by_role("checkbox", name=ja("Select %(reference)s") % {"reference": reference}).check()
    expect(page.locator("#bulk-selected")).to_contain_text("2")
    page.get_by_label(ja("With the selected requests:")).select_option(label=ja("Change priority"))
    page.get_by_role("button", name=ja("Continue…"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Change several requests"))
    page.get_by_label(
        exact(field_label(BulkActionForm, "priority", staff_queryset=StaffProfile.objects.none()))
    ).select_option(str(target.value))
    page.get_by_role("button", name=ja("Show what will happen"), exact=True).click()
    expect(page.locator("#bulk-summary")).to_be_visible()
    assert_no_blocking(page, axe_js)
    assert dict(
        SupportRequest.objects.filter(reference__in=references).values_list("reference", "priority")
    ) == (before)  # nothing changes before the confirmation
    preview = main(page).get_by_role("region", name=ja("What will happen"))
    preview.get_by_role("button", name=re.compile(r"2")).click()  # 「2 件の依頼を変更」
    expect(page).to_have_url(re.compile(r"/requests/\?"))  # back on the list once the change is made
    after = dict(SupportRequest.objects.filter(reference__in=references).values_list("reference", "priority"))
    assert after == dict.fromkeys(references, target.value)


def test_triage_queue_shortcuts_by_keyboard(world, browse):
    page = browse.new_page(world["ict_manager"])
    page.goto(
        "/requests/triage/?status=submitted&status=triaged"
    )  # the small demo world has one submitted request
    links = page.locator('[data-shortcuts="rows"] tbody tr a[href*="/requests/DX-"]')
    assert links.count() >= 2
    first, second = links.nth(0).inner_text().strip(), links.nth(1).inner_text().strip()
    focused = "() => document.activeElement.innerText.trim()"
    page.locator("body").focus()
    page.keyboard.press("j")
    assert page.evaluate(focused) == first
    page.keyboard.press("j")
    assert page.evaluate(focused) == second
    page.keyboard.press("k")
    assert page.evaluate(focused) == first

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name=ja("Keyboard shortcuts"))
    expect(dialog).to_be_visible()
    page.wait_for_function(
        "() => document.activeElement.closest('#shortcut-help') !== null"
    )  # focus moves in
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/requests/{first}/$"))


def test_overdue_badge_and_filter(world, browse):
    from core.fiscal import today
    from support.models import Status, SupportRequest

    request = (
        SupportRequest.objects.filter(status=Status.IN_PROGRESS, requester=world["requester"])
        .order_by("pk")
        .first()
        or SupportRequest.objects.filter(status=Status.IN_PROGRESS).order_by("pk").first()
    )
    SupportRequest.objects.filter(pk=request.pk).update(resolution_due=today() - dt.timedelta(days=10))

    page = browse.new_page(world["ict_manager"])
    page.goto(f"/requests/{request.reference}/")
    expect(page.locator("#overdue-badge")).to_have_text(ja("Overdue"))

    page.goto("/requests/")
    filters = page.locator("#filter-form")
    filters.get_by_label(ja("Search"), exact=True).fill(request.reference)
    filters.get_by_label(ja("Overdue"), exact=True).check()
    filters.get_by_role("button", name=ja("Filter"), exact=True).click()
    expect(page).to_have_url(re.compile(r"overdue=on"))
    row = page.locator("table tbody tr").filter(has_text=request.reference)
    expect(row).to_have_count(1)
    expect(row.get_by_text(ja("Overdue"), exact=True)).to_be_visible()


def test_phone_list_shows_cards_not_the_table(world, browse, axe_js):
    page = browse.new_page(world["requester"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/requests/")
    cards = page.get_by_role("list", name=ja("Support requests"))
    expect(cards).to_be_visible()
    assert cards.locator("li.card").count() >= 1
    expect(page.locator("table").first).to_be_hidden()
    expect(cards.get_by_role("link").first).to_be_visible()
    assert_no_blocking(page, axe_js)
