"""Keyboard-only journeys (Tab, Enter and the arrow keys of a select; no mouse): filing a request, and triaging one
from the queue. Focus must always be visible, the menu's included."""

import re

from support.forms import RequestForm
from tests.e2e.helpers import field_label, ja

FOCUSED = "() => { const e = document.activeElement; return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || '').trim(), type: e.type || ''}; }"


def tab_to(page, wanted, *, limit=120, key="Tab"):
    """Press Tab until the focused element satisfies `wanted(focused)`; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"never reached by Tab; last focus: {page.evaluate(FOCUSED)}")


def focus_ring(page) -> tuple[str, float]:
    """The outline style and width of the focused element."""
    return tuple(
        page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth) || 0]; }"
        )
    )


def test_request_form_by_keyboard_only(world, browse):
    from support.models import SupportRequest

    page = browse.new_page(world["requester"])
    page.goto("/requests/new/")

    # The first Tab reaches the skip link; Enter on it skips the menu: the next Tab lands in the main content.
    first = tab_to(page, lambda f: f["tag"] == "A", limit=1)
    assert first["text"] == ja("Skip to main content")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    # The menu is reachable and opens with Enter, and its focus ring is visible on the dark navigation bar.
    page.goto("/requests/new/")
    tab_to(page, lambda f: f["tag"] in ("A", "BUTTON") and f["text"] == ja("Support requests"))
    outline_style, outline_width = focus_ring(page)
    assert outline_style != "none" and outline_width >= 2, (outline_style, outline_width)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-expanded')") == "true"
    page.keyboard.press("Escape")

    page.goto("/requests/new/")
    tab_to(page, lambda f: f["id"] == "id_title")
    page.keyboard.type("キーボードだけで入力した依頼")
    tab_to(page, lambda f: f["id"] == "id_description", limit=3)
    page.keyboard.type("マウスを使わずに依頼を登録できることの確認。")
    tab_to(page, lambda f: f["id"] == "id_category", limit=3)
    page.keyboard.press("ArrowDown")
    tab_to(page, lambda f: f["id"] == "id_phase", limit=3)
    page.keyboard.press("ArrowDown")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == ja("Save"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/DX-\d{4}-\d{4}/$"))
    reference = re.search(r"(DX-\d{4}-\d{4})", page.url).group(1)
    filed = SupportRequest.objects.get(reference=reference)
    assert filed.title == "キーボードだけで入力した依頼" and filed.category_id and filed.phase


def test_request_form_errors_by_keyboard(world, browse):
    """Submitting the empty form by keyboard shows the errors; the first invalid field is reachable and named."""
    page = browse.new_page(world["requester"])
    page.goto("/requests/new/")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == ja("Save"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    title = page.get_by_label(re.compile(re.escape(field_label(RequestForm, "title"))))
    assert "is-invalid" in (title.get_attribute("class") or "")
    assert page.locator(".invalid-feedback").count() >= 1


def test_triage_queue_by_keyboard_only(world, browse):
    from support.models import SupportRequest

    waiting = SupportRequest.objects.filter(status="submitted").order_by("submitted_at")
    references = set(waiting.values_list("reference", flat=True))
    page = browse.new_page(world["ict_manager"])
    page.goto("/requests/triage/")

    focused = tab_to(page, lambda f: f["tag"] == "A" and f["text"] in references)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(focused["text"]) + "/$"))
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == ja("Triage"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/triage/$"))
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == ja("Save decision"), limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/triage/"))
    assert SupportRequest.objects.get(reference=focused["text"]).status == "triaged"
