"""axe-core (tests/e2e/package.json, from the npm registry) on every main page and state: no critical and no
serious violation. Each page's result is written to e2e-artifacts/axe-results.json (the report of a run)."""

import json
import time

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import ja

BLOCKING = {"critical", "serious"}


def axe_violations(page, axe_js) -> list[dict]:
    """axe-core's violations on the page. On a very large page (the skill coverage report's full tables) colour
    contrast, by far the slowest rule, is checked on everything but the rows past the 12th of each table body
    (every row of a table shares its cells' classes); every other rule sees the whole page."""
    page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        """async () => {
            const options = {resultTypes: ["violations"]};
            let violations;
            if (document.querySelectorAll("*").length <= 3000) {
                violations = (await axe.run(document, options)).violations;
            } else {
                const rest = await axe.run(document, {...options, rules: {"color-contrast": {enabled: false}}});
                const contrast = await axe.run({exclude: [["tbody tr:nth-child(n+13)"]]},
                                               {...options, runOnly: ["color-contrast"]});
                violations = rest.violations.concat(contrast.violations);
            }
            return violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1, 2).join(""))
            }));
        }"""
    )


def demo_refs():
    """A request of each state the pages need, in the requester's organisation where the requester opens it."""
    from support.models import SupportRequest

    def first(**filters):
        return (
            SupportRequest.objects.filter(**filters)
            .order_by("-submitted_at")
            .values_list("reference", flat=True)[0]
        )

    from tests.world import DEMO_EMAIL

    return {
        "submitted": first(status="submitted"),
        "triaged": first(status="triaged"),
        "own": first(requester__email=DEMO_EMAIL["requester"]),
    }


PAGES = [
    # (role, path or callable(refs) → path, what the page is, optional action before the check)
    (None, "/accounts/login/", "login", None),
    ("requester", "/", "home (requester)", None),
    ("requester", "/requests/", "request list (requester)", None),
    ("requester", "/requests/new/", "request form", None),
    ("requester", "/requests/new/", "request form, validation errors", "submit"),
    ("requester", lambda r: f"/requests/{r['own']}/", "request detail (requester)", None),
    ("requester", "/me/profile/", "profile", None),
    ("requester", "/knowhow/cases/", "case library", None),
    ("requester", "/requests/triage/", "403", None),
    ("requester", "/requests/DX-1999-0001/", "404", None),
    ("ict_staff", "/", "home (staff)", None),
    ("ict_staff", "/staffing/mine/", "my assignments", None),
    ("ict_staff", "/skills/", "my skills", None),
    ("ict_staff", "/skills/experts/", "expert search", None),
    ("ict_manager", "/", "home (manager)", None),
    ("ict_manager", "/requests/", "request list (manager)", None),
    ("ict_manager", "/requests/triage/", "triage queue", None),
    ("ict_manager", lambda r: f"/requests/{r['submitted']}/", "request detail (manager)", None),
    ("ict_manager", lambda r: f"/requests/{r['submitted']}/triage/", "triage form", None),
    ("ict_manager", lambda r: f"/staffing/requests/{r['triaged']}/candidates/", "candidates", None),
    ("ict_manager", lambda r: f"/staffing/requests/{r['triaged']}/candidates/", "team proposal", "team"),
    ("ict_manager", "/staffing/backlog/", "backlog plan", None),
    ("ict_manager", "/reports/", "dashboard", None),
    ("ict_manager", "/reports/progress/", "progress report", None),
    ("ict_manager", "/requests/engagements/", "engagements", None),
    ("hr", "/", "home (HR)", None),
    ("hr", "/reports/skills/", "skill coverage report", None),
    ("admin", "/", "home (admin)", None),
    ("admin", "/requests/import/", "request import", None),
]


def test_no_critical_or_serious_violation_on_any_main_page(world, browse, axe_js):
    refs = demo_refs()
    pages, results, blocking = {}, [], []
    for role, path, name, action in PAGES:
        if role not in pages:
            pages[role] = browse.new_page(world[role] if role else None)
        page = pages[role]
        url = path(refs) if callable(path) else path
        response = page.goto(url)
        if action == "submit":
            page.get_by_role("main").get_by_role("button", name=ja("Save"), exact=True).click()
            page.wait_for_load_state()
        elif action == "team":
            page.get_by_role("link", name=ja("Propose a team"), exact=True).click()
            page.locator("#team-result").wait_for()
        started = time.monotonic()
        found = axe_violations(page, axe_js)
        lang = page.evaluate("document.documentElement.lang")
        results.append(
            {
                "page": name,
                "url": url,
                "status": response.status,
                "lang": lang,
                "axe_seconds": round(time.monotonic() - started, 1),
                "violations": {v["id"]: v["impact"] for v in found},
            }
        )
        blocking += [
            f"{name} ({url}): {v['id']} [{v['impact']}] {v['help']}: {v['nodes']}"
            for v in found
            if v["impact"] in BLOCKING
        ]
        if name in ("403", "404"):
            assert response.status == int(name), (name, response.status)
            assert lang == "ja", f"the {name} page says lang={lang!r}"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert not blocking, "\n".join(blocking)


@pytest.mark.parametrize("width", [390])
def test_narrow_screen_menu_is_reachable_and_clean(world, browse, axe_js, width):
    """On a phone-sized screen the menu collapses behind a labelled button; opened, it passes axe too."""
    page = browse.new_page(world["ict_manager"])
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/")
    page.get_by_role("button", name=ja("Menu"), exact=True).click()
    page.get_by_role("button", name=ja("Support requests"), exact=True).wait_for()
    assert not [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
